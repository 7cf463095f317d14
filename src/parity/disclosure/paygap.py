"""Disclosure control for pay gap results (``parity.paygap.PayGapResult.to_dict()``).

The gender pay gap figures are statutory (Equality Act 2010 (Specific Duties and Public
Authorities) Regulations 2017) and are published unsuppressed, as the regulations require; only the
analysis-only ``unrounded`` values are dropped. Ethnicity and disability comparisons, and any
within-band breakdown, are protected: the quarters form a quarter x group table whose row totals
(``size``) and column totals (the groups' ``full_pay`` counts) are published, so it gets primary and
secondary suppression like any other table; a group's gaps are withheld when it has fewer than k
full-pay employees (hourly gaps) or bonus recipients (bonus gaps).

The same comparison is published for all organisations and for each organisation, so
`protect_paygap_levels` protects them as one system in which **levels are margins** (as in
`parity.disclosure.release`): a unit's count equals the sum of its child units' same count, and
secondary suppression makes sure no subtraction between levels gives back a withheld count
(issue 10, leak 6: RXA's 5 staff of unknown status = 20 for all organisations - 15 for RXB).
"""

from __future__ import annotations

import copy
from typing import Any

from parity.disclosure.components import solve_components
from parity.disclosure.rules import SUPPRESSED, DisclosureRule
from parity.disclosure.system import Path, System, Vector, get, path_text, plus, put

STATUTORY = ("Gender pay gap figures are statutory and published unsuppressed; "
             "the analysis-only unrounded values are removed.")
NOT_PAYGAP = "protect_paygap() expects PayGapResult.to_dict(): a dict with 'attribute', 'counts' and 'quarters'"
HOURLY = ("mean_hourly_gap", "median_hourly_gap")
BONUS = ("mean_bonus_gap", "median_bonus_gap")
Unit = tuple[str, ...]


def protect_paygap(result: dict[str, Any], rule: DisclosureRule | None = None) -> dict[str, Any]:
    """A copy of one pay gap comparison that is safe to publish (None where withheld)."""
    return protect_paygap_levels({(): result}, rule)[()]


def protect_paygap_levels(results: dict[Unit, dict[str, Any]],
                          rule: DisclosureRule | None = None) -> dict[Unit, dict[str, Any]]:
    """The same comparison for several units (``()`` all organisations, ``("RXX",)`` one organisation),
    protected together: the copy of each that is safe to publish beside the others."""
    rule = rule or DisclosureRule()
    for result in results.values():
        if not isinstance(result, dict) or not {"attribute", "counts", "quarters"} <= set(result):
            raise TypeError(NOT_PAYGAP)
    outs: dict[Unit, dict[str, Any]] = {}
    withheld: dict[Unit, list[str]] = {}
    sys = System(rule=rule)
    index: dict[Unit, dict[Path, tuple[Vector, float]]] = {}
    for unit, result in results.items():
        out = outs[unit] = copy.deepcopy(result)
        withheld[unit] = ["unrounded"] if out.get("unrounded") else []
        out["unrounded"] = {}
        if out["attribute"] == "sex":
            out["disclosure"] = {"rule": rule.to_dict(), "statutory": True, "note": STATUTORY,
                                 "suppressed": withheld[unit]}
        else:
            index[unit] = _model(sys, unit, out)
    _link_levels(sys, index)
    solution = solve_components(sys.n, sys.vectors, sys.values, sys.specs, rule, margins=sys.margins)
    for path, p, s, f in zip(sys.paths, solution.primary, solution.secondary, solution.failed, strict=True):
        if path is not None and (p or s or f):
            put(outs[path[0]], path[1:], SUPPRESSED)
            withheld[path[0]].append(path_text(path[1:]))
    for d in sys.derived:
        unit, p = d.path[0], d.path[1:]
        if get(outs[unit], p) is not None and not all(solution.determined(v) for v in d.deps):
            put(outs[unit], p, SUPPRESSED)
            withheld[unit].append(path_text(p))
    for unit in index:
        out, result = outs[unit], results[unit]
        for names, key in ((HOURLY, "full_pay"), (BONUS, "bonus_recipients")):
            if any(rule.is_small_count(c[key]) for c in result["counts"].values()):
                for name in names:
                    if out.get(name) is not None:
                        out[name] = SUPPRESSED
                        withheld[unit].append(name)
        out["disclosure"] = {"rule": rule.to_dict(), "statutory": False, "methods_note": rule.methods_note(),
                             "suppressed": withheld[unit]}
        if any(f for path, f in zip(sys.paths, solution.failed, strict=True) if path is not None and path[0] == unit):
            out["disclosure"]["unprotectable"] = sorted(set(solution.errors))
    return outs


def _model(sys: System, unit: Unit, out: dict[str, Any]) -> dict[Path, tuple[Vector, float]]:
    """Add one comparison's counts to ``sys`` (paths start with ``unit``); returns them by path."""
    found: dict[Path, tuple[Vector, float]] = {}

    def quantity(path: Path, vector: Vector, value: float, **kw: Any) -> Vector:
        found[path] = (vector, value)
        return sys.quantity((unit,) + path, vector, value, **kw)

    quarters = out.get("quarters") or []
    # ethnicity quarters hold every published group, the comparison's counts only its two groups
    groups = list(dict.fromkeys([*out["counts"], *(g for q in quarters for g in q["counts"])]))
    cells = {(i, g): sys.atom() for i in range(len(quarters)) for g in groups}
    for i, q in enumerate(quarters):
        size = plus(*(cells[i, g] for g in groups if g in q["counts"]))
        quantity(("quarters", i, "size"), size, q["size"])
        for g, n in q["counts"].items():
            quantity(("quarters", i, "counts", g), cells[i, g], n, priority=2)
            if (q.get("percent") or {}).get(g) is not None:
                sys.depends((unit, "quarters", i, "percent", g), [cells[i, g], size])
    for g, c in out["counts"].items():
        in_quarters = sum(q["counts"].get(g, 0) for q in quarters)
        full = plus(*(cells[i, g] for i in range(len(quarters)))) if quarters and in_quarters == c["full_pay"] \
            else sys.atom()
        quantity(("counts", g, "full_pay"), full, c["full_pay"], priority=2)
        relevant = quantity(("counts", g, "relevant"), plus(full, sys.atom()), c["relevant"], priority=2)
        paid = quantity(("counts", g, "bonus_recipients"), sys.atom(), c["bonus_recipients"], priority=2)
        sys.link(f"{'/'.join(unit)}:counts.{g}.bonus", relevant, plus(paid, sys.atom()))
        if (out.get("bonus_percent") or {}).get(g) is not None:
            sys.depends((unit, "bonus_percent", g), [paid, relevant])
    for reason, n in (out.get("excluded") or {}).items():
        excluded = quantity(("excluded", reason), sys.atom(), n)
        if out.get("not_disclosed_percent") is not None:  # share of all relevant employees: goes with the count
            sys.depends((unit, "not_disclosed_percent"), [excluded])
    return found


def _link_levels(sys: System, index: dict[Unit, dict[Path, tuple[Vector, float]]]) -> None:
    """A unit's count = the sum of its child units' same count (when the values agree)."""
    for unit, figures in index.items():
        children = [c for c in index if len(c) == len(unit) + 1 and c[:-1] == unit]
        if not children:
            continue
        for path, (vector, value) in figures.items():
            have = [index[c][path] for c in children if path in index[c]]
            if have and abs(sum(v for _, v in have) - value) < 1e-9:
                sys.link(f"{'/'.join(unit) or 'all'}:{path_text(path)}=sum of units", vector, plus(*(v for v, _ in have)),
                         margin=True)


WITHIN_BAND_SIDES = ("n_reference", "n_comparison")


def protect_within_band_levels(tables: dict[Unit, list[dict[str, Any]]],
                               rule: DisclosureRule | None = None) -> dict[Unit, set[int]]:
    """The within-band rows to withhold in each unit's table, all units protected together.

    Each unit's within-band table is a band x group count table whose group totals are published;
    a unit's cell equals the sum of its child units' same band and group (organisations are a
    margin, as in `protect_paygap_levels`), so secondary suppression makes sure no subtraction between
    levels gives back a withheld band size (issue 10: all organisations minus one organisation gave
    back the other's 9). Returns, per unit, the indices of the rows with a withheld count."""
    rule = rule or DisclosureRule()
    sys = System(rule=rule)
    cells: dict[Unit, dict[tuple[str, str], tuple[Vector, float, int]]] = {}
    for unit, rows in tables.items():
        mine = cells[unit] = {}
        totals: dict[str, list[Vector]] = {side: [] for side in WITHIN_BAND_SIDES}
        for i, row in enumerate(rows):
            for side in WITHIN_BAND_SIDES:
                value = float(row.get(side) or 0)
                vector = sys.quantity((unit, "within_band", i, side), sys.atom(), value, priority=2)
                mine[str(row.get("pay_band")), side] = (vector, value, i)
                totals[side].append(vector)
        for side, vectors in totals.items():
            if vectors:
                total = sum(mine[k][1] for k in mine if k[1] == side)
                sys.quantity((unit, "within_band_total", side), plus(*vectors), total)
    for unit, mine in cells.items():
        children = [c for c in cells if len(c) == len(unit) + 1 and c[:-1] == unit]
        for key, (vector, value, _) in mine.items():
            have = [cells[c][key] for c in children if key in cells[c]]
            if children and have and abs(sum(v for _, v, _ in have) - value) < 1e-9:
                sys.link(f"{'/'.join(unit) or 'all'}:within_band.{key[0]}.{key[1]}=sum of units",
                         vector, plus(*(v for v, _, _ in have)), margin=True)
    solution = solve_components(sys.n, sys.vectors, sys.values, sys.specs, rule, margins=sys.margins)
    out: dict[Unit, set[int]] = {unit: set() for unit in tables}
    for path, p, s, f in zip(sys.paths, solution.primary, solution.secondary, solution.failed, strict=True):
        if path is not None and path[1] == "within_band" and (p or s or f):
            out[path[0]].add(path[2])
        elif path is not None and path[1] == "within_band_total" and (p or s or f):
            out[path[0]].update(range(len(tables[path[0]])))  # an unprotectable total: the whole table
    return out
