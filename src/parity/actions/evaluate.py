"""Did the number move? Each action's indicator before it started against the latest year.

"Before" is the last reporting year ending (31 March) before the action's start; "latest" the
newest year in the workspace. The change is tested as the standards test year-on-year change
(`parity.stats.change`): for a relative likelihood the ratio of the two years' RLs (z-test on the
log scale, Katz variances); for a percentage gap or score the difference of the two years'
differences, with the standard error of each taken from its own 95% interval. ``verdict``:

- ``improved`` / ``worsened``: moved beyond chance (p < 0.05) in the better / worse direction.
  Better is lower for a ratio whose adverse side is above 1 (WRES 2, 3, 4 as defined, WDES 2, 3),
  and for a gap where higher is worse for the group; otherwise a gap closing towards 0;
- ``no_clear_change``: a change chance could explain;
- ``too_early``: no reporting year ends after the start;
- ``no_baseline``: no reporting year ends before the start (nothing to compare with);
- ``not_available``: the indicator has no value in one of the years (a table not imported, too few
  people, or a distribution such as WRES 1 with no single value).

``target_status`` reads the latest value against the target (``met``/``not_met``), ``unknown`` when
there is no latest value, ``none`` without a target. An action on an explorer cell
(``explore:OUTCOME:attr=value,...``) is evaluated the same way on that cell's relative likelihood.
"""

from __future__ import annotations

import math
from datetime import date

from parity.actions.model import Action, parse_cell

GAP_KINDS = ("percentages", "difference", "score")
Z95 = 1.959963984540054


def _last_year_before(day: date, years: list[int]) -> int | None:
    ended = [y for y in years if date(y, 3, 31) < day]
    return max(ended) if ended else None


class _Results:
    """Indicator results per (standard, org, year), counted once per standard."""

    def __init__(self, workspace, org: str) -> None:
        self.workspace, self.org = workspace, org
        self._cache: dict[tuple, object] = {}
        self._years: dict[str, list[int]] = {}

    def years(self, standard: str) -> list[int]:
        if standard not in self._years:
            from parity.indicators.source import open_source

            con, wdir = open_source(self.workspace)
            if standard == "wres":
                from parity.standards.wres.counts import count_wres

                counts = count_wres(con, workspace_dir=wdir)
            else:
                from parity.standards.wdes.counts import count_wdes

                counts = count_wdes(con, workspace_dir=wdir)
            self._years[standard] = counts.years()
            self._cache[(standard, "counts")] = counts
            self._cache[(standard, "source")] = (con, wdir)
        return self._years[standard]

    def indicator(self, ref: str, year: int):
        standard = ref.split(".")[0]
        key = (standard, year)
        if key not in self._cache:
            self.years(standard)
            counts = self._cache[(standard, "counts")]
            if standard == "wres":
                from parity.standards.wres.api import WresConfig, assemble

                self._cache[key] = assemble(counts, year=year, org=self.org, config=WresConfig())
            else:  # WDES also reads the staff survey scores (metric 9a), as `parity.wdes` does
                from parity.indicators.survey import load_question_map, score_counts
                from parity.standards.wdes.api import WdesConfig, assemble
                from parity.standards.wdes.counts import by_disability

                con, wdir = self._cache[(standard, "source")]
                scores = score_counts(con, by_disability, load_question_map(wdir), ["wdes.9a"])
                self._cache[key] = assemble(counts, scores, year=year, org=self.org, config=WdesConfig(),
                                            workspace_dir=wdir)
        return self._cache[key][ref]

    def cell(self, ref: str, year: int) -> dict | None:
        """An explorer cell's finding (counts, RL, interval) in `year`, or None when not tested."""
        key = ("cell", ref, year)
        if key not in self._cache:
            from parity.explore.api import explore

            outcome, group = parse_cell(ref)
            result = explore(self.workspace, kind="scan", year=year, by=tuple(group), outcomes=[outcome],
                             org=self.org, min_cell=1)
            hit = [f for f in result.findings if f["group"] == group and f["outcome"] == outcome]
            self._cache[key] = hit[0] if hit else None
        return self._cache[key]


def _cell_counts(finding: dict) -> tuple[int, int, int, int]:
    """(events, n, reference events, reference n) in the order of the finding's ratio."""
    c = finding["counts"]
    cell, ref = (c["events"], c["n"]), (c["reference_events"], c["reference_n"])
    return (*cell, *ref) if finding["orientation"].startswith("cell rate") else (*ref, *cell)


def _snapshot(value, low, high, year) -> dict:
    return {"year": year, "value": value, "ci_low": low, "ci_high": high}


def _better(ind) -> str:
    """"lower", "higher" or "towards_zero" for an indicator's value."""
    if ind.kind == "relative_likelihood":
        return "higher" if getattr(ind, "adverse_when", None) == "below" else "lower"
    flag = getattr(ind, "higher_is_worse", None)
    if flag is True:
        return "lower"
    if flag is False:
        return "higher"
    return "towards_zero"


def _ratio_change(before: dict, latest: dict, ratio_counts) -> dict | None:
    from parity import stats

    (a0, n0, b0, m0), (a1, n1, b1, m1) = ratio_counts
    prev = stats.relative_likelihood(a0, n0, b0, m0)
    cur = stats.relative_likelihood(a1, n1, b1, m1)
    if prev.value is None or cur.value is None:
        return None
    ch = stats.change_in_relative_likelihood(cur, prev)
    return {"estimate": ch.ratio, "ci_low": ch.ci_low, "ci_high": ch.ci_high, "p_value": ch.p_value,
            "test": ch.test, "scale": "ratio"}


def _gap_change(before: dict, latest: dict) -> dict | None:
    if None in (before["ci_low"], before["ci_high"], latest["ci_low"], latest["ci_high"]):
        return None
    from scipy.stats import norm

    se = math.hypot((before["ci_high"] - before["ci_low"]) / (2 * Z95),
                    (latest["ci_high"] - latest["ci_low"]) / (2 * Z95))
    est = latest["value"] - before["value"]
    p = float(2 * norm.sf(abs(est) / se)) if se > 0 else (0.0 if est else 1.0)
    return {"estimate": est, "ci_low": est - Z95 * se, "ci_high": est + Z95 * se, "p_value": p,
            "test": "difference_of_differences_z", "scale": "difference"}


def _verdict(change: dict, before: float, better: str) -> str:
    if change["p_value"] is None or change["p_value"] >= 0.05:
        return "no_clear_change"
    up = change["estimate"] > (1.0 if change["scale"] == "ratio" else 0.0)
    if better == "towards_zero":
        good = (before > 0 and not up) or (before < 0 and up)
    else:
        good = up == (better == "higher")
    return "improved" if good else "worsened"


def _target_status(action: Action, latest: dict | None) -> str:
    if action.target is None:
        return "none"
    if latest is None or latest["value"] is None:
        return "unknown"
    return "met" if action.target.met_by(latest["value"]) else "not_met"


def _entry(action: Action, ref: str, results: _Results) -> dict:
    from parity.indicators.catalogue import CATALOGUE

    out = {"id": action.id, "title": action.title, "indicator": ref, "status": action.status,
           "before": None, "latest": None, "change": None}
    is_cell = ref.startswith("explore:")
    years = results.years("wres" if is_cell else ref.split(".")[0])
    before_year = _last_year_before(action.start, years)
    latest_year = max(years) if years else None
    if latest_year is None or date(latest_year, 3, 31) <= action.start:
        return {**out, "verdict": "too_early", "target_status": _target_status(action, None)}
    if before_year is None:
        return {**out, "verdict": "no_baseline", "target_status": _target_status(action, None)}
    if is_cell:
        f0, f1 = results.cell(ref, before_year), results.cell(ref, latest_year)
        snap = [None if f is None or f.get("relative_likelihood") is None else
                _snapshot(f["relative_likelihood"], f.get("ci_low"), f.get("ci_high"), y)
                for f, y in ((f0, before_year), (f1, latest_year))]
        better = "lower"  # the explorer orients every RL so that above 1 means the group is worse off
        counts = None if None in (f0, f1) else tuple(_cell_counts(f) for f in (f0, f1))
        kind = "relative_likelihood"
    else:
        i0, i1 = results.indicator(ref, before_year), results.indicator(ref, latest_year)
        snap = [None if i.value is None else _snapshot(i.value, i.ci_low, i.ci_high, y)
                for i, y in ((i0, before_year), (i1, latest_year))]
        defn = CATALOGUE[ref]
        better, kind = _better(defn), defn.kind
        counts = None
        if kind == "relative_likelihood" and None not in snap:
            counts = tuple((i.groups[defn.group_a].numerator, i.groups[defn.group_a].denominator,
                            i.groups[defn.group_b].numerator, i.groups[defn.group_b].denominator) for i in (i0, i1))
    out.update(before=snap[0], latest=snap[1])
    if None in snap or (kind != "relative_likelihood" and kind not in GAP_KINDS):
        return {**out, "verdict": "not_available", "target_status": _target_status(action, snap[1])}
    change = _ratio_change(*snap, counts) if kind == "relative_likelihood" else _gap_change(*snap)
    if change is None:
        return {**out, "verdict": "not_available", "target_status": _target_status(action, snap[1])}
    return {**out, "change": change, "verdict": _verdict(change, snap[0]["value"], better),
            "target_status": _target_status(action, snap[1])}


def evaluate(workspace, actions: list[Action], *, org: str) -> dict:
    """``{"actions": [...]}``: one entry per action and indicator it targets (issue 15's JSON)."""
    results = _Results(workspace, org)
    return {"org": org, "actions": [_entry(a, ref, results) for a in actions for ref in a.indicators]}
