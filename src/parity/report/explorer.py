"""The bias explorer's findings in "What the board should know" (issue 14).

The scan is the one the dashboard's Explore page shows (`parity.web.views.explore`): ethnicity and
sex, every outcome, Benjamini-Hochberg at 5%, protected as one release by
`parity.disclosure.explore.protect_explore`. Its **significant** cells (after false discovery rate
control) whose figures are published become findings — one per outcome: its most serious cell, naming
the other groups that also differ beyond chance — ranked with the standards' by the same rules
(`parity.report.findings`): severity from the relative likelihood against NHS England's non-adverse
range 0.80-1.25, certainty from the cell's 95% interval, size from the interval's end nearest 1.
A scan finding is exploratory — one of many comparisons, chosen because it stood out — so within the
same severity and certainty it follows the standards' own measures (``Finding.exploratory``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from parity.report.findings import NOT_PROTECTED, Finding, NotProtected, _cap, _interval, _size

#: the scan the dashboard shows and the report ranks: the `parity explore scan` defaults
BY = ("ethnicity", "sex")
SOURCE = "Bias explorer"
NON_ADVERSE_HIGH = 1.25
TOPIC = {"appointment": "recruitment", "disciplinary": "discipline", "capability": "discipline",
         "training": "development", "promotion": "development", "leaving": "representation"}


def protected_scan(source, *, year: int, org: str | None, rule,
                   wres: dict[int, dict[str, Any]] | None = None,
                   counted: dict[str, Any] | None = None) -> dict[str, Any]:
    """The organisation's scan for `year`, protected (`protect_explore`): what every viewer may see.
    ``wres``: {year: protected WRES} of the organisation as published (the release of both standards);
    None: counted and protected here (`protected_standards`), so the scan never prints what WRES 2's
    totals give back (issue 10 leak 13, `parity.disclosure.explore_wres`). ``counted``: the same scan's
    unprotected ``to_dict()``, already counted (`parity.report.ahead`); protected here all the same."""
    from parity.disclosure.explore import protect_explore

    if counted is None:
        from parity.explore import explore

        counted = explore(source, kind="scan", year=year, by=BY, org=org).to_dict()
    if wres is None:
        wres = published_wres(source, year=year, org=org, rule=rule)
    return protect_explore(counted, rule, wres=wres)


def published_wres(source, *, year: int, org: str | None, rule) -> dict[int, dict[str, Any]]:
    """{year: protected WRES} of `org` from the release of both standards (the report's trend years)."""
    from parity.disclosure.explore_wres import wres_by_year
    from parity.report.build import TREND_YEARS
    from parity.report.release import protected_standards

    found = protected_standards(source, rule, first=year - TREND_YEARS + 1, last=year).get("wres")
    return wres_by_year(found[2], found[1], org) if found else {}


def report_scan(source, *, year: int, org: str | None, rule, wres: dict[int, dict[str, Any]] | None = None,
                counted: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """`protected_scan` for a report, or None when the workspace cannot be scanned (no such tables
    or year): the report then ranks the standards' findings alone."""
    try:
        return protected_scan(source, year=year, org=org, rule=rule, wres=wres, counted=counted)
    except (ValueError, KeyError, LookupError):
        return None


def explorer_findings(scan: dict[str, Any] | None) -> list[Finding]:
    """One finding per outcome with a significant, published cell of a protected scan (unranked): the
    most serious cell's sentence, naming the other groups that also differ beyond chance."""
    if not scan:
        return []
    if not (scan.get("disclosure") or {}).get("protected"):
        raise NotProtected(NOT_PROTECTED.format(what="bias explorer scan"))
    from parity.explore.outcomes import OUTCOMES

    by_outcome: dict[str, list[tuple[Finding, str]]] = {}
    for f in scan.get("findings") or []:
        rl, low, high = f.get("relative_likelihood"), f.get("ci_low"), f.get("ci_high")
        o = OUTCOMES.get(f.get("outcome"))
        if not f.get("significant") or not isinstance(rl, int | float) or o is None or low is None or high is None:
            continue  # not significant after FDR control, or withheld
        by_outcome.setdefault(o.name, []).append((_finding(f, o, rl, low, high), f.get("group_label") or ""))
    out = []
    for cells in by_outcome.values():
        cells.sort(key=lambda c: c[0].rank_key)
        top, others = cells[0][0], [label for _, label in cells[1:]]
        if others:
            names = others[0] if len(others) == 1 else f"{', '.join(others[:-1])} and {others[-1]}"
            top = replace(top, sentence=f"{top.sentence[:-1]}; {names} also {'differs' if len(others) == 1 else 'differ'} "
                                        "beyond chance.")
        out.append(top)
    return out


def _finding(f: dict[str, Any], o, rl: float, low: float, high: float) -> Finding:
    group, ref = f.get("group_label") or "", f.get("reference_label") or ""
    # above 1 the group is worse off: the reference's rate over the group's for a good outcome
    first, second = (group, ref) if o.adverse else (ref, group)
    level = round(100 * (f.get("confidence") or 0.95))
    sentence = f"{_cap(first)} were {rl:.2f} times as likely as {second} to {o.label}{_interval(low, high, 2)}."
    if level != 95:
        sentence = sentence.replace("(95% interval", f"({level}% interval")
    worse = rl > 1
    severity = "adverse" if rl > NON_ADVERSE_HIGH else "within_range" if worse else "not_adverse"
    certainty = "clear" if low > 1 or high < 1 else "uncertain"
    return Finding(f"explore.{o.name}", SOURCE, f"{_cap(group)} compared with {ref}",
                   TOPIC.get(o.name, "experience"), severity, certainty, sentence, None,
                   _size(rl, low, high, certainty, worse), f"explore?outcome={o.name}", exploratory=True)
