"""The two table-shaped indicators: staff by band (WRES 1 / WDES 1) and the board (WRES 9 / WDES 10)."""

from __future__ import annotations

from typing import Any

from parity.disclosure.system import Path, System, Vector, minus, path_text, plus
from parity.indicators.distribution import SENIOR_BANDS

UNKNOWN = "Unknown"

INCONSISTENT = "{path}: the band rows add up to more than the group total ({rows} > {total})"
BOARD = ("voting", "all", "executive", "non_executive")


def distribution(sys: System, p: Path, ind: dict[str, Any], minority: str) -> dict[str, tuple[Vector, int]]:
    """Atoms: one per band row x group, plus one per group for staff in bands not shown as rows.

    Published: every cell, every row total, each group's total (``groups[g].numerator``) and the
    grand total (``groups[g].denominator``). Returns the headcount per group for linking.
    """
    groups = list(ind.get("groups", {}))
    rows = ind.get("rows") or []
    cells = {(i, g): sys.atom() for i in range(len(rows)) for g in groups}
    pop: dict[str, tuple[Vector, int]] = {}
    for g in groups:
        total = ind["groups"][g]["numerator"] or 0
        shown = sum(r["groups"][g]["count"] or 0 for r in rows)
        if shown > total:
            raise ValueError(INCONSISTENT.format(path=f"indicators[{p[1]}].groups.{g}", rows=shown, total=total))
        parts = [cells[i, g] for i in range(len(rows))] + ([sys.atom()] if shown < total else [])
        pop[g] = (plus(*parts), total)
    grand = plus(*(v for v, _ in pop.values()))
    grand_value = sum(n for _, n in pop.values())
    for g in groups:
        sys.quantity(p + ("groups", g, "numerator"), pop[g][0], pop[g][1], priority=2)
        den = ind["groups"][g]["denominator"]
        whole = grand if den == grand_value else sys.atom()
        sys.quantity(p + ("groups", g, "denominator"), whole, den, priority=2)
        _not_in_group(sys, p + ("groups", g), g, whole, pop[g][0], den - pop[g][1])
    senior_min, senior_all = [], []
    for i, row in enumerate(rows):
        r = p + ("rows", i)
        total = plus(*(cells[i, g] for g in groups))
        sys.quantity(r + ("total",), total, row["total"])
        for g in groups:
            sys.quantity(r + ("groups", g, "count"), cells[i, g], row["groups"][g]["count"])
            if row["groups"][g].get("percent") is not None:
                sys.depends(r + ("groups", g, "percent"), [cells[i, g], total])
        if row.get("difference_from_overall") is not None:
            sys.depends(r + ("difference_from_overall",), [cells[i, minority], total, pop[minority][0], grand])
        if row["band"] in SENIOR_BANDS:
            senior_min.append(cells[i, minority])
            senior_all.append(total)
    overall = [pop[minority][0], grand] if minority in pop else [sys.atom()]
    senior = [plus(*senior_min), plus(*senior_all)] if senior_all else []
    if ind.get("value") is not None:
        sys.depends(p + ("value",), overall)
    for key, value in (ind.get("data_quality") or {}).items():
        if key.endswith("_percent_senior_bands") and value is not None:
            sys.depends(p + ("data_quality", key), senior or [sys.atom()])
    senior = _senior(sys, p, ind, senior, overall) or senior
    sys.depends(p + ("narrative",), overall + senior, text=True)
    return pop


def _senior(sys: System, p: Path, ind: dict[str, Any], vecs: list[Vector], overall: list[Vector]) -> list[Vector]:
    """``senior`` (issue 13): the minority count and headcount of bands 8a-9 and VSM together are
    published cells in their own right (sums of the senior rows), so the finding can stand when a
    small senior row is withheld; everything else in it derives from them and the overall counts."""
    senior = ind.get("senior")
    if not isinstance(senior, dict):
        return []
    q = p + ("senior",)
    found = []
    for name, vec in zip(("count", "total"), vecs or (sys.atom(), sys.atom()), strict=True):
        if senior.get(name) is not None:
            sys.quantity(q + (name,), vec, senior[name])
        found.append(vec)
    deps = found + overall
    for name, value in senior.items():
        if name in ("count", "total", "bands", "group") or value is None:
            continue
        if isinstance(value, dict):
            for sub, v in value.items():
                if v is not None and sub not in ("confidence", "method"):
                    sys.depends(q + (name, sub), deps)
        else:
            sys.depends(q + (name,), deps)
    for name in ("certainty", "statement"):
        if ind.get(name) is not None:
            sys.depends(p + (name,), deps)
    return found


def board(sys: System, p: Path, ind: dict[str, Any], minority: str,
          pop: dict[str, tuple[Vector, int]]) -> dict[str, tuple[Vector, Vector]]:
    """Board members by group in four overlapping breakdowns, beside the workforce.

    Atoms per group: executive / non-executive / other role x voting / not voting, so that
    ``all = executive + non_executive + other`` and ``voting`` are the same people in every
    breakdown. Workforce figures are linked to the band table's headcount when the values agree.
    The members not in a group (members - its count) are protected like any count (board rule,
    docs/disclosure-control.md "Board members"). Returns the workforce (numerator, denominator) vectors per group.
    """
    parts = ind.get("breakdowns") or []
    by_name = {b["breakdown"]: b for b in parts}
    members = _board_atoms(sys, by_name)
    workforce: dict[str, tuple[Vector, Vector]] = {}
    seen: dict[str, tuple[int, int]] = {}  # workforce figures repeat in every breakdown; relink if they differ
    headline = by_name.get("voting") if (by_name.get("voting") or {}).get("members") else by_name.get("all")
    for j, part in enumerate(parts):
        b = p + ("breakdowns", j)
        vecs = members.get(part["breakdown"]) or {g: sys.atom() for g in part["groups"]}
        size = plus(*vecs.values())
        if part.get("members") is not None:
            sys.quantity(b + ("members",), size, part["members"], priority=2)
        for g, fig in part["groups"].items():
            sys.quantity(b + ("groups", g, "numerator"), vecs[g], fig["numerator"], priority=2)
            sys.quantity(b + ("groups", g, "denominator"), size, fig["denominator"], priority=2)
            _percent(sys, b + ("groups", g), fig, [vecs[g], size])
            if fig["numerator"] is not None and fig["denominator"] is not None:
                # members not in the group (13 members - 10 White = 3 not White): named people too
                _not_in_group(sys, b + ("groups", g), g, size, vecs[g], fig["denominator"] - fig["numerator"])
        for g, fig in (part.get("workforce") or {}).items():
            if g not in workforce or seen.get(g) != (fig["numerator"], fig["denominator"]):
                seen[g] = (fig["numerator"], fig["denominator"])
                linked = g in pop and pop[g][1] == fig["numerator"]
                grand = plus(*(v for v, _ in pop.values()))
                whole = linked and fig["denominator"] == sum(n for _, n in pop.values())
                workforce[g] = (pop[g][0] if linked else sys.atom(), grand if whole else sys.atom())
            num, den = workforce[g]
            sys.quantity(b + ("workforce", g, "numerator"), num, fig["numerator"], priority=2)
            sys.quantity(b + ("workforce", g, "denominator"), den, fig["denominator"], priority=2)
            if fig["numerator"] is not None and fig["denominator"] is not None:
                _not_in_group(sys, b + ("workforce", g), g, den, num, fig["denominator"] - fig["numerator"])
            _percent(sys, b + ("workforce", g), fig, [num, den])
        deps = [vecs.get(minority, {}), size] + list(workforce.get(minority, ()))
        for name in ("value", "ci_low", "ci_high"):
            if part.get(name) is not None:
                sys.depends(b + (name,), deps)
        sys.depends(b + ("narrative",), deps, text=True)
        if part is headline:
            _headline(sys, p, ind, vecs, size, deps)
    return workforce


def _headline(sys: System, p: Path, ind: dict[str, Any], vecs: dict[str, Vector], size: Vector,
              deps: list[Vector]) -> None:
    """The indicator's own ``groups`` and value repeat the headline breakdown."""
    for g, fig in ind.get("groups", {}).items():
        num = vecs.get(g) or sys.atom()
        sys.quantity(p + ("groups", g, "numerator"), num, fig["numerator"], priority=2)
        sys.quantity(p + ("groups", g, "denominator"), size, fig["denominator"], priority=2)
        _percent(sys, p + ("groups", g), fig, [num, size])
    for name in ("value", "ci_low", "ci_high", "certainty", "statement"):
        if ind.get(name) is not None:
            sys.depends(p + (name,), deps)
    sys.depends(p + ("narrative",), deps, text=True)


def _not_in_group(sys: System, path: Path, g: str, whole: Vector, part: Vector, value: int) -> None:
    """A board's members, or a workforce's staff, who are not in a known group (110 staff - 102 Non-disabled = 8 Disabled
    or of unknown status) are protected like the people a rate did not count: 1 to k-1 of them narrow
    a special-category attribute to a handful of people (issue 18 attack; docs/disclosure-control.md).
    The Unknown group's rest counts people of known status, as on the board: not protected."""
    if g != UNKNOWN:
        sys.hidden(f"{path_text(path)}.not_in_group", minus(whole, part), value)


def _percent(sys: System, path: Path, fig: dict[str, Any], deps: list[Vector]) -> None:
    for name in ("percent", "ci_low", "ci_high"):
        if fig.get(name) is not None:
            sys.depends(path + (name,), deps)


def _board_atoms(sys: System, parts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Vector]]:
    """Shared atoms when the four breakdowns are consistent; else {} (each breakdown on its own)."""
    if set(BOARD) - set(parts):
        return {}
    out: dict[str, dict[str, Vector]] = {name: {} for name in BOARD}
    for g in parts["all"]["groups"]:
        try:
            v, a, e, n = (parts[name]["groups"][g]["numerator"] for name in BOARD)
        except KeyError:
            return {}
        other = a - e - n
        ev = min(e, v)
        nv = min(n, v - ev)
        if other < 0 or v - ev - nv > other:
            return {}
        atoms = dict(zip(("ev", "eo", "nv", "no", "ov", "oo"), (sys.atom() for _ in range(6)), strict=True))
        out["voting"][g] = plus(atoms["ev"], atoms["nv"], atoms["ov"])
        out["all"][g] = plus(*atoms.values())
        out["executive"][g] = plus(atoms["ev"], atoms["eo"])
        out["non_executive"][g] = plus(atoms["nv"], atoms["no"])
    return out
