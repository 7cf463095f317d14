""""Questions to ask": what each (protected) result shows, and the board prompts it selects.

The prompts are data (`questions.yaml`, versioned); this module only decides the *findings* —
``adverse``, ``worse_for_minority``, ``data_quality_low_declaration`` … — from the result dicts.
Findings read only the protected dict, so a withheld figure can never steer (and so reveal
itself through) the questions shown.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

SENIOR_BANDS = ("8a", "8b", "8c", "8d", "9", "VSM")
MINORITY = {"WRES": "BME", "WDES": "Disabled"}


@cache
def load_questions() -> dict[str, Any]:
    """The parsed `questions.yaml` (cached; treat as read-only)."""
    text = resources.files("parity.report").joinpath("questions.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def questions_version() -> str:
    return str(load_questions()["version"])


def findings(indicator: dict[str, Any], standard: str) -> list[str]:
    """The findings of one indicator dict (results JSON shape), main finding first."""
    kind = indicator.get("kind")
    if indicator.get("value") is None and _suppressed(indicator):
        main: list[str] = []  # withheld, not undefined: "suppressed" (below) says so
    elif kind == "relative_likelihood":
        main = [indicator.get("assessment") or "undefined"] if indicator.get("value") is not None else ["undefined"]
        if _worsening(indicator):
            main.append("worsening")
    elif kind in ("percentages", "score"):
        main = [_survey_finding(indicator, standard)]
    elif kind == "distribution":
        main = [_distribution_finding(indicator, standard)]
    elif kind == "difference":
        value = indicator.get("value")
        main = ["undefined" if value is None else "under_represented" if value < 0 else "representative"]
    elif kind == "narrative":
        main = ["undefined" if indicator.get("value") is None and indicator.get("undefined_reason") else "supplied"]
    else:
        main = ["undefined"]
    return main + _common_findings(indicator)


def paygap_findings(result: dict[str, Any], intervals: dict[str, Any] | None,
                    decomposition: dict[str, Any] | None, within_band: list[dict[str, Any]]) -> list[str]:
    """Findings of one protected pay gap comparison (a `PayGapResult` dict)."""
    gap = result.get("mean_hourly_gap")
    if result.get("withheld") or gap is None:
        return ["withheld"]
    mean_ci = (intervals or {}).get("mean") or {}
    low, high = mean_ci.get("ci_low"), mean_ci.get("ci_high")
    if low is not None and low > 0:
        out = ["gap_favours_reference"]
    elif high is not None and high < 0:
        out = ["gap_favours_comparison"]
    elif low is None and gap != 0:  # no interval: go by the sign
        out = ["gap_favours_reference" if gap > 0 else "gap_favours_comparison"]
    else:
        out = ["no_clear_gap"]
    share = load_questions()["thresholds"]["band_mix_share"]
    mix, total = (decomposition or {}).get("band_mix"), (decomposition or {}).get("total_gap")
    if mix is not None and total and total > 0 and mix / total > share:
        out.append("mostly_band_mix")
    if any((row.get("mean_gap") or 0) > 0 for row in within_band):
        out.append("within_band_gaps")
    return out


def questions_for(indicator_id: str, found: list[str]) -> list[str]:
    """The prompts for `indicator_id` and its findings, in order, without repeats."""
    data = load_questions()
    own = data["indicators"].get(indicator_id, {})
    out: list[str] = []
    for finding in found:
        for question in own.get(finding) or data["common"].get(finding) or []:
            if question not in out:
                out.append(question)
    return out


def _worsening(ind: dict[str, Any]) -> bool:
    change = ind.get("change") or {}
    ratio = change.get("ratio")
    return bool(change.get("beyond_chance")) and ratio is not None and ratio > 1 and ind.get("assessment") != "favourable"


def _survey_finding(ind: dict[str, Any], standard: str) -> str:
    if ind.get("id") == "wdes.8":
        return "undefined" if ind.get("value") is None else "reported"
    low, high, value = ind.get("ci_low"), ind.get("ci_high"), ind.get("value")
    if value is None or low is None or high is None:
        return "undefined"
    from parity.indicators.catalogue import CATALOGUE, indicators

    indicators(standard)  # make sure the catalogue is loaded
    definition = CATALOGUE.get(ind["id"])
    higher_is_worse = bool(definition and definition.higher_is_worse)
    if low > 0:
        return "worse_for_minority" if higher_is_worse else "better_for_minority"
    if high < 0:
        return "better_for_minority" if higher_is_worse else "worse_for_minority"
    return "no_clear_difference"


def _distribution_finding(ind: dict[str, Any], standard: str) -> str:
    overall = ind.get("value")
    if "senior" in ind:
        # issue 13: the finding stands on the one senior aggregate (bands 8a-9 and VSM together), with
        # its test — never on the band rows left after withholding, which lose the small senior cells
        senior = ind.get("senior") or {}
        difference, sure = senior.get("difference"), senior.get("certainty")
        if overall is None or difference is None or sure is None:
            return "undefined"
        if sure != "clear":
            return "similar_shares"
        return "lower_share_in_senior_bands" if difference < 0 else "higher_share_in_senior_bands"
    return _distribution_finding_from_rows(ind, standard, overall)


def _distribution_finding_from_rows(ind: dict[str, Any], standard: str, overall: Any) -> str:
    """Results written before the senior aggregate existed: the shown senior rows decide."""
    group = MINORITY.get(standard, "BME")
    senior = [r for r in ind.get("rows") or [] if str(r.get("band")) in SENIOR_BANDS]
    # only the rows shown decide (a withheld count must not steer the finding, and so reveal itself)
    counts = [(c, t) for r in senior
              if (c := r.get("groups", {}).get(group, {}).get("count")) is not None and (t := r.get("total")) is not None]
    if overall is None or not counts:
        return "undefined"
    total = sum(t for _, t in counts)
    if not total:
        return "undefined"
    share = 100.0 * sum(c for c, _ in counts) / total
    gap = load_questions()["thresholds"]["senior_gap_points"]
    return "lower_share_in_senior_bands" if share < overall - gap else "undefined"


def _common_findings(ind: dict[str, Any]) -> list[str]:
    limits = load_questions()["thresholds"]
    dq = ind.get("data_quality") or {}
    out = []
    unknown = dq.get("unknown_percent")
    if unknown is not None and unknown > limits["unknown_percent"] and ind.get("kind") != "difference":
        out.append("data_quality_high_unknown")
    rate = dq.get("declaration_rate")
    if rate is not None and rate < limits["declaration_rate"]:
        out.append("data_quality_low_declaration")
    if _suppressed(ind):
        out.append("suppressed")
    return out


def _suppressed(ind: dict[str, Any]) -> bool:
    return bool((ind.get("disclosure") or {}).get("suppressed_fields"))
