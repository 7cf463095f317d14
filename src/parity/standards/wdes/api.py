"""`parity.wdes(...)`: the WDES metrics for an organisation (or all together) and a year."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING

from parity.indicators.assemble import event_rate_result, missing_table_notes, survey_slice, survey_slices
from parity.indicators.build import percentages_result, relative_likelihood_result
from parity.indicators.catalogue import CATALOGUE, indicators
from parity.indicators.config import StandardConfig
from parity.indicators.distribution import band_distribution_result, board_result
from parity.indicators.groups import DISABILITY_GROUPS
from parity.indicators.periods import survey_year_for
from parity.indicators.results import IndicatorResult, StandardResult
from parity.indicators.rows import Rows, as_rows, sums
from parity.indicators.score import score_result
from parity.indicators.source import open_source, select_rows
from parity.narratives import get_narrative

if TYPE_CHECKING:  # the counting (Ibis, pandas) is imported where it runs: `assemble` needs neither (issue 19)
    import pandas as pd

    from parity.indicators.counted import StandardCounts

#: WDES 3: which capability cases each count holds, and how every output names it beside the figure
BASIS = {"capability": "including_ill_health", "capability_performance": "performance_only"}
BASIS_LABEL = {"including_ill_health": "any grounds, including ill health",
               "performance_only": "performance grounds only, ill health excluded"}
#: docs/wdes.md says what we could and could not read of the guidance on this
BASIS_NOTE = ("The basis of metric 3 (with or without ill-health capability) is stated beside the figure; "
              "the other basis is given as a breakdown. See docs/wdes.md on the guidance.")
PERCENT_IDS = ("wdes.4a.i", "wdes.4a.ii", "wdes.4a.iii", "wdes.4b", "wdes.5", "wdes.6", "wdes.7", "wdes.8")


@dataclass(frozen=True)
class WdesConfig(StandardConfig):
    """WDES choices the guidance leaves open, documented in docs/wdes.md.

    ``capability_period``: metric 3 over one year or two-year rolling (default, as WRES 3).
    ``capability_ill_health``: whether the headline metric 3 includes capability on ill-health
    grounds. Default False: performance grounds only, the basis of NHS England's published
    national figures for 2021 and 2023 (see docs/wdes.md "Metric 3"), so a trust's figure compares
    with the national one; the other definition is always given as a breakdown.
    """

    capability_period: str = "two_year_rolling"
    capability_ill_health: bool = False


def wdes(source, *, year: int, org: str | None = None, config: WdesConfig | None = None,
         backend: str = "duckdb") -> StandardResult:
    """All WDES metrics for reporting year `year`; `source` as for `parity.wres`."""
    from parity.indicators.survey import load_question_map, score_counts
    from parity.standards.wdes.counts import by_disability, count_wdes

    config = config or WdesConfig()
    con, workspace_dir = open_source(source, backend=backend)
    counts = count_wdes(con, workspace_dir=workspace_dir, exclude_declined=config.exclude_declined_offers)
    counts.check_year(year)
    scores = score_counts(con, by_disability, load_question_map(workspace_dir), ["wdes.9a"])
    return assemble(counts, scores, year=year, org=org, config=config, workspace_dir=workspace_dir)


def assemble(counts: StandardCounts, scores: pd.DataFrame | Rows, *, year: int, org: str | None, config: WdesConfig,
             workspace_dir=None) -> StandardResult:
    s = config.stats
    defs = {i.id: i for i in indicators("WDES")}
    g = DISABILITY_GROUPS
    results: list[IndicatorResult] = [
        band_distribution_result(defs["wdes.1"], select_rows(counts.distribution, org, year), g, "Disabled", s),
        relative_likelihood_result(defs["wdes.2"], select_rows(counts.recruitment, org, year),
                                   select_rows(counts.recruitment, org, year - 1), g, s,
                                   disadvantaged="Disabled applicants",
                                   people=("non-disabled applicants", "Disabled applicants")),
    ]
    capability = {}
    for name in ("capability", "capability_performance"):
        basis = BASIS[name]
        ind3 = replace(defs["wdes.3"], title=f"{defs['wdes.3'].title} ({BASIS_LABEL[basis]})",
                       outcome=f"{defs['wdes.3'].outcome} ({BASIS_LABEL[basis]})")
        capability[name] = event_rate_result(
            ind3, counts.events[name], counts.headcount, org=org, year=year,
            period=config.capability_period, groups=g, settings=s, disadvantaged="Disabled staff")
        capability[name].basis = basis
    headline, other = ("capability", "capability_performance") if config.capability_ill_health else (
        "capability_performance", "capability")
    metric3 = capability[headline]
    metric3.notes.append("Includes capability on ill-health grounds." if config.capability_ill_health
                         else "Capability on performance grounds only (ill health excluded).")
    metric3.notes.append(BASIS_NOTE)
    alt = capability[other]
    metric3.breakdowns = [{"breakdown": "excluding_ill_health" if other == "capability_performance" else "including_ill_health",
                           "basis": alt.basis, "value": alt.value, "ci_low": alt.ci_low, "ci_high": alt.ci_high,
                           "certainty": alt.certainty,
                           "groups": {k: v.to_dict(with_percent=False) for k, v in alt.groups.items()},
                           "narrative": alt.narrative}]
    results.append(metric3)
    survey_year = survey_year_for(year)
    for ind_id in PERCENT_IDS:
        cur, prev, source_name = survey_slices(counts.survey, org, survey_year, ind_id)
        if ind_id == "wdes.8":
            results.append(_disabled_only(defs[ind_id], cur, prev, g, s, survey_year, source_name))
        else:
            results.append(percentages_result(defs[ind_id], cur, prev, g, s, survey_year=survey_year,
                                              source=source_name))
    results.append(score_result(defs["wdes.9a"], survey_slice(scores, org, survey_year, "wdes.9a"),
                                survey_slice(scores, org, survey_year - 1, "wdes.9a"), g, s,
                                survey_year=survey_year))
    results.append(_narrative(defs["wdes.9b"], workspace_dir, org or counts.label_all(), year))
    results.append(board_result(defs["wdes.10"], select_rows(counts.board, org, year), g, "Disabled", s))
    missing_table_notes(results, counts.missing_tables, CATALOGUE, survey_present=not counts.survey.empty,
                        year=year, table_years=counts.table_years)
    _declaration(results, select_rows(counts.headcount, org, year))
    settings = {**asdict(config), "organisations": counts.orgs() if org is None else [org]}
    return StandardResult("WDES", year, org or counts.label_all(), results, settings)


def _disabled_only(ind, cur, prev, groups, s, survey_year, source) -> IndicatorResult:
    """Metric 8 asks Disabled staff only: one percentage, no comparison."""
    result = percentages_result(replace(ind, group_b="Non-disabled"), cur, prev, groups, s,
                                survey_year=survey_year, source=source)
    d = result.groups["Disabled"]
    result.value, result.ci_low, result.ci_high = d.percent, d.ci_low, d.ci_high
    result.unit, result.difference, result.direction = "%", None, ""
    result.certainty = result.statement = None  # one group, nothing to compare
    result.groups = {"Disabled": d}
    result.narrative = (f"{d.percent:.1f}% of Disabled respondents ({d.numerator:,} of {d.denominator:,}) said adequate "
                        f"adjustments had been made in the {survey_year} staff survey." if d.percent is not None
                        else "No Disabled respondents answered the question on reasonable adjustments.")
    return result


def _narrative(ind, workspace_dir, org: str, year: int) -> IndicatorResult:
    text = get_narrative(workspace_dir, org=org, year=year, indicator=ind.id)
    return IndicatorResult(
        id=ind.id, standard=ind.standard, title=ind.title, kind=ind.kind, value=None, groups={},
        narrative=text or "No narrative has been supplied yet (`parity narrative`).",
        undefined_reason=None if text else "narrative not supplied", notes=list(ind.notes))


def _declaration(results: list[IndicatorResult], headcount: pd.DataFrame | Rows) -> None:
    """Declaration rate and % Disabled beside every metric (WDES data-quality measures)."""
    by = sums(as_rows(headcount), "denominator")
    total = sum(by.values())
    known = total - by.get("Unknown", 0)
    quality = {"declaration_rate": round(100 * known / total, 1) if total else None,
               "disabled_percent": round(100 * int(by.get("Disabled", 0)) / total, 1) if total else None,
               "workforce_headcount": total}
    for r in results:
        r.data_quality = {**r.data_quality, **quality}



def __getattr__(name: str):
    # the counting (Ibis, pandas) is imported on first use, so `assemble` comes without it (issue 19)
    if name in ("count_wdes", "by_disability"):
        from parity.standards.wdes import counts

        return getattr(counts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
