"""Collect one organisation's results for one year into a single, protected report model.

Everything a report shows is read from the dicts held here, and every dict has been through
`parity.disclosure` (``protect`` / ``protect_paygap``) — the renderers never see raw results, so
no format can show (or recompute) a withheld number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from parity.report.ahead import MISSING, ahead_for, effective_org
from parity.report.chart_worker import prefetch as prefetch_charts
from parity.report.quality import unmatched_case_notes
from parity.report.release import protected_standards, unit_for

DEFAULT_STANDARDS = ("wres", "wdes", "paygap")
PAYGAP_BY = ("sex", "ethnicity", "disability")
#: the marking on every page of an unsuppressed report
NOT_FOR_PUBLICATION = "Not for publication — contains small numbers"
#: years shown in trends (the reporting year and up to four before it)
TREND_YEARS = 5
UNKNOWN_STANDARD = "unknown standard {name!r}: choose from wres, wdes, paygap"
NO_DISCLOSURE = ("parity.disclosure is not available, and a report is never written without disclosure "
                 "control: {exc}")

NO_RESULT = "{standard} cannot be computed for {year} ({org}): no data for that organisation and year"
Progress = Callable[[str], None]
PAYGAP_UNPROTECTABLE = "Withheld: disclosure control could not be applied to this comparison"
GAPS = ("mean_hourly_gap", "median_hourly_gap")
WITHIN_BAND_FIGURES = ("n_reference", "n_comparison", "mean_reference", "mean_comparison", "median_reference",
                       "median_comparison", "mean_gap", "median_gap")


@dataclass
class Report:
    """What every format renders: protected results, trends, pay gaps and notes.

    ``standards`` maps "WRES"/"WDES" to a protected results dict (docs/results-json.md plus the
    disclosure fields); ``trends`` maps an indicator id to ``[{"year", "value", "ci_low",
    "ci_high"}]`` oldest first, from the same release (all years and organisations protected together); ``paygap`` maps "sex",
    "ethnicity", "disability" to a protected `PayGapReport` dict.
    """

    year: int
    organisation: str
    rule: Any
    unsuppressed: bool = False
    standards: dict[str, dict[str, Any]] = field(default_factory=dict)
    trends: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    paygap: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: "WRES"/"WDES" -> {year: result dict} of the trend years, from the same release (for the trend in words)
    history: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    generated_on: str | None = None
    #: the organisation's actions and protected verdicts (`parity.report.actions.ActionPlan`), or None
    actions: Any = None
    #: "Change over time": SPC verdicts in words (`parity.report.spc.change_over_time`), or None
    spc: Any = None
    #: "What staff told us": published pulse surveys (`parity.pulse.published.staff_told_us`), or None
    pulse: Any = None
    #: "How we compare": the organisation against the others (`parity.report.compare.how_we_compare`), or None
    compare: Any = None
    #: the bias explorer's protected scan (`parity.report.explorer`; its significant cells are ranked), or None
    explore: Any = None

    @property
    def marking(self) -> str | None:
        """"Not for publication — contains small numbers" on an unsuppressed report, else None."""
        return NOT_FOR_PUBLICATION if self.unsuppressed else None

    @property
    def methods_note(self) -> str:
        return self.rule.methods_note()

    @property
    def title(self) -> str:
        return f"Workforce equality report {self.year - 1}/{str(self.year)[-2:]} — {self.organisation}"


def build_report(source, *, year: int, org: str | None = None, standards: Iterable[str] = DEFAULT_STANDARDS,
                 rule=None, unsuppressed: bool = False, generated_on: str | date | None = None,
                 paygap_resamples: int = 2000, progress: Progress | None = None,
                 release_cache: dict[str, Any] | None = None) -> Report:
    """Compute, protect and collect the standards for `year` (financial year ending 31 March).

    `source` is a workspace directory, a `Workspace` or an Ibis connection (as `parity.wres`).
    ``rule`` defaults to ``DisclosureRule()`` (counts 1–9 withheld). ``unsuppressed=True`` keeps
    small numbers for the analyst's own view and marks every page "Not for publication".
    ``generated_on`` is printed on the report (None prints no date, for reproducible output).
    ``release_cache``: a dict shared by calls for several organisations (same source, year, rule): each
    standard is counted and protected once, then read by every report (``parity report --all-orgs``).
    """
    _protect, protect_paygap, rule_cls = _disclosure()
    rule = rule or rule_cls()
    names = [s.strip().lower() for s in standards if s.strip()]
    for name in names:
        if name not in DEFAULT_STANDARDS:
            raise ValueError(UNKNOWN_STANDARD.format(name=name))
    tick = progress or (lambda _msg: None)
    ahead = None if release_cache is not None else ahead_for(
        source, year=year, org=org, rule=rule, unsuppressed=unsuppressed, resamples=paygap_resamples)
    releases: dict[str, tuple[dict, list[str]]] = {}
    report = Report(year=year, organisation=org or "", rule=rule, unsuppressed=unsuppressed,
                    generated_on=str(generated_on) if generated_on else None)
    wanted = [name for name in ("wres", "wdes") if name in names]
    cache = release_cache if release_cache is not None else {}
    if wanted and not any(name in cache for name in ("wres", "wdes")):  # one pass fills both
        # both standards, every organisation, the all-organisations level and the trend years: one
        # protection pass (what `parity wres --protected`, the dashboard and the benchmark publish too)
        cache.update(protected_standards(source, rule, first=year - TREND_YEARS + 1, last=year,
                                         required=tuple(wanted), unsuppressed=unsuppressed, progress=tick))
    for name in wanted:
        results, orgs, protected = cache.get(name) or ({}, [], {})
        unit = unit_for(org, orgs)
        if (unit, year) not in results:
            raise ValueError(NO_RESULT.format(standard=name.upper(), year=year, org=org or "all organisations"))
        releases[name] = (protected, orgs)  # every organisation's protected figures: "How we compare"
        mine = {y: doc for (u, y), doc in protected.items() if u == unit}
        current = mine[year]
        report.standards[current["standard"]] = current
        report.history[current["standard"]] = mine
        report.organisation = report.organisation or current["organisation"]
        report.trends.update(_trends(mine))
    if wanted:  # their charts can be drawn now, in the worker if there is one, while the rest is computed
        prefetch_charts(report)
    if {"wres", "wdes"} & set(names):
        notes = ahead.take("notes") if ahead is not None else MISSING  # the child's, when it counted them
        report.notes += notes if notes is not MISSING else unmatched_case_notes(
            source, year=year, org=org, rule=rule,
            cache=None if release_cache is None else release_cache.setdefault("unmatched_cases", {}))
    if "paygap" in names:
        tick("Computing pay gaps")
        # computed while WRES and WDES were counted, when `parity report` forked a child for that
        ahead_paygap = ahead.take("paygap") if ahead is not None and ahead.job["paygap"] else MISSING
        if ahead_paygap is not MISSING and ahead_paygap[0] == effective_org(report.organisation):
            report.paygap.update(ahead_paygap[1])
            report.notes += ahead_paygap[2]
        else:
            _add_paygap(report, source, protect_paygap, resamples=paygap_resamples,
                        cache=None if release_cache is None else release_cache.setdefault("paygap_levels", {}),
                        employees={} if release_cache is None else release_cache.setdefault("paygap_employees", {}),
                        memo=None if release_cache is None else release_cache.setdefault("paygap_protected", {}))
        prefetch_charts(report)
    report.organisation = report.organisation or "All organisations"
    if not unsuppressed and release_cache is None:  # not --all-orgs: a scan per organisation is its own run
        from parity.report.explorer import report_scan

        tick("Scanning for bias")
        from parity.disclosure.explore_wres import wres_by_year

        found = cache.get("wres")  # the scan is protected around WRES 2 as published (leak 13)
        wres = wres_by_year(found[2], found[1], org) if found else None
        counted = ahead.take("scan") if ahead is not None else MISSING  # counted by the child, protected here
        report.explore = None if counted is None else report_scan(
            source, year=year, org=org, rule=rule, wres=wres, counted=None if counted is MISSING else counted)
    from parity.report.actions import action_plan

    report.actions = action_plan(report, source, org)
    if not unsuppressed:
        from parity.report.spc import change_over_time

        report.spc = change_over_time(source, org, cache=None if release_cache is None
                                      else release_cache.setdefault("change_over_time", {}))
    from parity.pulse.published import staff_told_us

    report.pulse = staff_told_us(source, org)  # protected whatever the rule: thresholds are the survey's own
    from parity.report.compare import how_we_compare

    report.compare = how_we_compare(source, releases, org=org, year=year, unsuppressed=unsuppressed,
                                    cache=None if release_cache is None else release_cache.setdefault("compare", {}))
    return report


def protect_paygap_report(pg: dict[str, Any], rule, protect_paygap, *,
                          levels: dict[tuple[str, ...], dict[str, Any]] | None = None,
                          unit: tuple[str, ...] = (), memo: dict | None = None) -> dict[str, Any]:
    """Protect a `PayGapReport` dict: each comparison with ``protect_paygap`` (gender figures are
    statutory and stay) — with ``levels`` (`parity.report.paygap_levels.level_reports`, `pg` being
    ``levels[unit]``) together with the same comparison of every other unit — and the within-band table — not statutory — as a band x group count table
    whose group totals are published; a band with a withheld count loses its means, medians and gaps.
    The decomposition's per-band detail is not published (only its three totals). ``memo``: shared by
    the reports of every organisation (`parity.report.paygap_levels.protected_together`)."""
    from parity.disclosure import protect_table

    out = dict(pg, results=[_protect_one(r, rule, protect_paygap, levels, unit, memo) for r in pg.get("results") or []])
    suppressed = [f"results[{i}].{p}" for i, r in enumerate(out["results"])
                  for p in (r.get("disclosure") or {}).get("suppressed", []) if p != "unrounded"]
    bands = [dict(row) for row in pg.get("within_band") or []]
    if bands and levels and len(levels) > 1 and unit in levels:
        # organisations are a margin: every level's table protected together (issue 10)
        from parity.disclosure.paygap import protect_within_band_levels
        from parity.report.paygap_levels import protected_together

        hidden = protected_together(protect_within_band_levels,
                                    {u: list(r.get("within_band") or []) for u, r in levels.items()}, rule,
                                    unit=unit, memo=memo, key=("within_band", pg.get("by")))
        for i, row in enumerate(bands):
            if i in hidden:
                for key in WITHIN_BAND_FIGURES:
                    row[key] = None
                suppressed.append(f"within_band[{i}]")
    elif bands:
        import pandas as pd

        frame = pd.DataFrame({"ref": [row.get("n_reference") or 0 for row in bands],
                              "cmp": [row.get("n_comparison") or 0 for row in bands]})
        mask = protect_table(frame, rule, row_totals=False, col_totals=True, grand_total=False).mask
        for i, row in enumerate(bands):
            if bool(mask.iloc[i, 0]) or bool(mask.iloc[i, 1]):
                for key in WITHIN_BAND_FIGURES:
                    row[key] = None
                suppressed.append(f"within_band[{i}]")
    out["within_band"] = bands
    # a withheld gap or band shows nothing about that group: not through the decomposition's total
    # (the mean gap again) or its parts, nor through the bootstrap interval of the gap (issue 10)
    # (a withheld within-band row alone does not: the three totals aggregate over every band, and the
    # band's head counts are protected by the band x group table)
    gap_hidden = _binary_gap_hidden(out, pg, rule)
    if out.get("decomposition"):
        decomposition = {k: v for k, v in out["decomposition"].items() if k != "by_band"}
        if gap_hidden:
            decomposition = {k: (v if isinstance(v, str) else None) for k, v in decomposition.items()}
            suppressed.append("decomposition")
        out["decomposition"] = decomposition
    if gap_hidden and out.get("bootstrap_intervals"):
        out["bootstrap_intervals"] = {m: {**ci, "ci_low": None, "ci_high": None}
                                      for m, ci in out["bootstrap_intervals"].items()}
        suppressed.append("bootstrap_intervals")
    out["suppressed"] = suppressed
    out["disclosure"] = {"rule": rule.to_dict(), "methods_note": rule.methods_note()}
    return out


def _binary_gap_hidden(out: dict[str, Any], pg: dict[str, Any], rule) -> bool:
    """Are the gaps of the two-group comparison behind the decomposition and bootstrap withheld?

    Those figures compare the binary groups (White / all ethnic minority, Non-disabled / Disabled);
    the comparison with the same two groups decides, else (none published) a group of fewer than k
    banded employees does."""
    d = pg.get("decomposition") or {}
    pair = (d.get("reference_group"), d.get("comparison_group"))
    for r, raw in zip(out["results"], pg.get("results") or [], strict=False):
        if (raw.get("reference_group"), raw.get("comparison_group")) == pair:
            return bool(r.get("withheld")) or any(r.get(m) is None and raw.get(m) is not None for m in GAPS)
    bands = pg.get("within_band") or []
    return any(rule.is_small_count(sum(b.get(side) or 0 for b in bands)) for side in ("n_reference", "n_comparison"))


def _protect_one(result: dict[str, Any], rule, protect_paygap, levels=None, unit=(), memo=None) -> dict[str, Any]:
    try:
        if levels and len(levels) > 1 and result.get("attribute") != "sex":
            from parity.disclosure.paygap import protect_paygap_levels
            from parity.report.paygap_levels import protected_together, same_comparisons

            return protected_together(protect_paygap_levels, {**same_comparisons(levels, result), unit: result}, rule,
                                      unit=unit, memo=memo, key=("results", result.get("attribute"),
                                                                 result.get("reference_group"),
                                                                 result.get("comparison_group")))
        return protect_paygap(result, rule)
    except (KeyError, TypeError, ValueError) as exc:  # cannot protect: withhold it all, never publish raw
        return {"attribute": result.get("attribute"), "reference_group": result.get("reference_group"),
                "comparison_group": result.get("comparison_group"), "withheld": True, "quarters": [],
                "counts": {}, "bonus_percent": {}, "notes": [f"{PAYGAP_UNPROTECTABLE} ({type(exc).__name__})"],
                "disclosure": {"suppressed": ["*"]}}


def _disclosure():
    try:
        from parity.disclosure import DisclosureRule, protect, protect_paygap
    except ImportError as exc:  # never fall back to publishing unprotected figures
        raise RuntimeError(NO_DISCLOSURE.format(exc=exc)) from exc
    return protect, protect_paygap, DisclosureRule


def _trends(protected: dict[int, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for y in sorted(protected):
        for ind in protected[y]["indicators"]:
            if ind.get("kind") in ("relative_likelihood", "percentages", "difference", "score", "distribution"):
                out.setdefault(ind["id"], []).append(
                    {"year": y, "value": ind.get("value"), "ci_low": ind.get("ci_low"), "ci_high": ind.get("ci_high")})
    return out


def _add_paygap(report: Report, source, protect_paygap, *, resamples: int, cache: dict | None = None,
                employees: dict | None = None, memo: dict | None = None) -> None:
    try:
        from parity.paygap.api import paygap
    except ImportError:  # hook: the pay data loader is wired by the lead (parity.paygap.api.paygap)
        report.notes.append("Pay gaps are not included: the pay gap loader is not installed.")
        return
    org = report.organisation if report.organisation and report.organisation != "All organisations" else None
    for by in PAYGAP_BY:
        try:
            result = paygap(source, year=report.year, by=by, org=org, n_resamples=resamples, employees=employees)
        except ValueError as exc:  # no pay rows, or a group missing: say so rather than fail
            report.notes.append(f"Pay gap by {by} not included: {exc}")
            continue
        raw = result.to_dict()
        if report.unsuppressed:
            raw.update(not_for_publication=True, marking=NOT_FOR_PUBLICATION)
            report.paygap[by] = raw
        else:
            from parity.report.paygap_levels import level_reports

            levels = None if by == "sex" else level_reports(source, year=report.year, by=by, org=org, mine=raw,
                                                            cache=cache, employees=employees)
            unit = () if org is None else (org,)
            if levels is not None and unit not in levels:  # the only organisation: its report is the top level
                levels = None
            report.paygap[by] = protect_paygap_report(raw, report.rule, protect_paygap, levels=levels, unit=unit,
                                                      memo=memo)
