"""Two-year rolling windows: this year's cases inside the window are protected (issue 10 leak 7).

WRES indicator 3 and WDES metric 3 default to two-year rolling (the WRES technical guidance, 2018,
and the WDES technical guidance): year Y's window counts the cases of years Y-1 and Y over the two
31 March headcounts. Consecutive windows share a year, so a reader subtracts them: 2024's window of
12 BME cases (one year: there was no 2023 snapshot) and 2025's of 16 give 2024/25's 4 cases.

**Rule (worst case, one year at a time).** Year Y's window is modelled as ``this year's cases +
last year's cases`` where last year's cases are taken as *known* to the reader (as they are when
every earlier window is published), and this year's cases are a protected hidden quantity. So a
window is withheld (with complementary cells, as for any small count) whenever its own year holds
1 to k-1 cases, however large the window. Likewise a rolling denominator is this year's band-table
headcount plus a known remainder, so a withheld headcount is not given back by the denominator.

Why not link the windows of different years to shared atoms: each year's report is published
when that year is reported, from the years up to it; if year Y's protection depended on year Y+1's
figures, the report for Y and the report for Y+1 could withhold different cells, and together give
back what each withheld. Under this rule each year's protection depends only on that year's data
(and the fact of last year's cases), so every report and page that shows year Y withholds the same
cells. With year Y's window withheld, year Y's cases cannot be worked out from any set of windows
(a year's cases follow from windows only by alternating sums over every window back to the first
single-year one), and later windows cannot give them back (each adds a year nobody knows).

This year's cases come from the caller (`Release.add(..., one_year=...)`, computed from the same
counts by `parity.report.release.standard_results`); without them, from last year's single-year
window in the same release; otherwise the window is left unlinked (a documented limitation).
"""

from __future__ import annotations

from typing import Any

from parity.disclosure.system import Path, System, Vector, plus

Unit = tuple[str, ...]
#: (unit, year, standard) as `parity.disclosure.release.Release` keys its results
Key = tuple
#: {(indicator id, breakdown name or None): {group: cases in this financial year alone}}
OneYear = dict[tuple[str, str | None], dict[str, int]]
ROLLING = "two_year_rolling"
SINGLE = "single_year"


def link_windows(joint: System, parts: list[System], keys: list[Key], docs: list[dict[str, Any]],
                 one_year: list[OneYear | None]) -> None:
    """For every two-year rolling rate (and its breakdowns) of every result: see the module docstring.
    ``parts``: each result's system, built at its place in ``joint`` (`model.build` ``start``)."""
    for d, (unit, year, *_standard) in enumerate(keys):
        where = {p: j for j, p in enumerate(parts[d].paths) if p is not None}

        def quantity(path: Path, d=d, where=where) -> tuple[Vector, float] | None:
            j = where.get(path)
            if j is None:
                return None
            return parts[d].vectors[j], parts[d].values[j]

        indicators = docs[d].get("indicators") or []
        band = next((i for i, ind in enumerate(indicators) if ind.get("kind") == "distribution"), None)
        for i, ind in enumerate(indicators):
            if ind.get("period_rule") != ROLLING:
                continue
            name = f"{'/'.join(unit) or 'all'}:{year}:{ind['id']}"
            figures = [(("indicators", i), None, ind)]
            figures += [(("indicators", i, "breakdowns", j), b.get("breakdown"), b)
                        for j, b in enumerate(ind.get("breakdowns") or [])]
            for base, breakdown, part in figures:
                cases = _cases(one_year[d], keys, docs, d, str(ind["id"]), breakdown)
                for g in part.get("groups") or {}:
                    label = f"{name}{'.' + breakdown if breakdown else ''}.groups.{g}"
                    window = quantity(base + ("groups", g, "numerator"))
                    if window is not None and cases is not None and g in cases:
                        _split(joint, f"{label}.numerator", window, cases[g])
                    den = quantity(base + ("groups", g, "denominator"))
                    head = quantity(("indicators", band, "groups", g, "numerator")) if band is not None else None
                    if den is not None and head is not None and breakdown is None:
                        _remainder(joint, f"{label}.denominator", den, head)


def _split(joint: System, name: str, window: tuple[Vector, float], cases: int) -> None:
    """window = this year's cases (hidden, protected) + last year's (known)."""
    vector, value = window
    if cases < 0 or cases > value:
        return  # not this window's year (inconsistent input): add no identity
    now, before = joint.atom(), joint.atom()
    joint.known(f"{name}:last year (taken as known)", before, value - cases)
    joint.link(f"{name}=this year+last year", vector, plus(now, before))
    joint.hidden(f"{name}:this year alone", now, cases)


def _remainder(joint: System, name: str, den: tuple[Vector, float], head: tuple[Vector, float]) -> None:
    """denominator = this year's headcount (the band table's group total) + last year's (known)."""
    (d_vec, d_val), (h_vec, h_val) = den, head
    if d_val < h_val:
        return
    before = joint.atom()
    joint.known(f"{name}:last year's headcount (taken as known)", before, d_val - h_val)
    joint.link(f"{name}=this year's headcount+last year's", d_vec, plus(h_vec, before))


def _cases(given: OneYear | None, keys: list[Key], docs: list[dict[str, Any]], d: int, ind_id: str,
           breakdown: str | None) -> dict[str, int] | None:
    """This year's cases per group: given by the caller, else window minus last year's single-year window."""
    if given is not None and (ind_id, breakdown) in given:
        return given[(ind_id, breakdown)]
    unit, year, *standard = keys[d]
    before = (unit, year - 1, *standard)
    if before not in keys:
        return None
    now, last = (_figures(docs[k], ind_id, breakdown) for k in (d, keys.index(before)))
    if now is None or last is None or last[0] != SINGLE:
        return None
    return {g: now[1][g] - last[1][g] for g in now[1] if g in last[1]}


def _figures(doc: dict[str, Any], ind_id: str, breakdown: str | None) -> tuple[str, dict[str, int]] | None:
    ind = next((i for i in doc.get("indicators") or [] if str(i.get("id")) == ind_id), None)
    if ind is None:
        return None
    part = ind if breakdown is None else next(
        (b for b in ind.get("breakdowns") or [] if b.get("breakdown") == breakdown), None)
    if part is None:
        return None
    nums = {g: f.get("numerator") for g, f in (part.get("groups") or {}).items()}
    return ind.get("period_rule"), {g: n for g, n in nums.items() if isinstance(n, (int, float))}
