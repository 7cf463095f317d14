"""Disclosure control for the bias explorer (``parity explore ... --protected``, issue 10).

Each finding or untested cell compares a group with a reference: four counts (events and people of
each), with the people not counted (people - events) protected as hidden quantities, as a rate's
are in `parity.disclosure.model`. The same reference repeated by several findings shares its atoms,
so it is withheld everywhere or nowhere. Every statistic of a cell (rates, relative likelihood,
interval, p-values, test, significance) and its narrative derive from its four counts and are
withheld with any of them. Secondary tables (funnel stages, leaving reasons) are not in the
published view. A group is linked to the sum of its sub-groups (Black = Black female + Black male)
when the cells shown add up to it, so subtracting cells of one scan gives nothing back. A "rest"
reference (``--reference rest``: everyone else in the stratum) is the stratum's total minus the cell,
and the total is the sum of the cells of the same attributes when they add up to it, so a withheld
cell is not the total (known from any cell shown whole) minus its published reference.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from parity.disclosure.components import solve_components
from parity.disclosure.explore_wres import link_wres2
from parity.disclosure.rules import SUPPRESSED, WITHHELD_NARRATIVE, DisclosureRule
from parity.disclosure.system import Path, System, Vector, get, minus, path_text, plus, put

NOT_COUNTS = "explore {kind}: --protected needs each finding's counts (this kind has none yet)"
#: a finding's labels; every other field (rates, relative likelihood, interval, p-values, test,
#: significance, and any new one) is a statistic, withheld with any of its four counts
LABELS = ("outcome", "group", "reference_group", "context", "group_label", "reference_label", "counts",
          "confidence", "narrative")
TABLES_LEFT_OUT = "Secondary tables (stage counts, reasons, series) are not part of the published view."
LIMITATION = ("A group is linked to its sub-groups when they add up, and a 'rest' reference (everyone else) "
              "is the total of the cells minus the cell.")
REST = "rest"


def protect_explore(result: dict[str, Any], rule: DisclosureRule | None = None, *,
                    wres: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    """A copy of `ExploreResult.to_dict()` that is safe to publish (None where withheld).

    ``wres``: {year: protected WRES result} of the scanned organisation, as published beside the scan;
    its WRES 2 figures are known sums of the appointment cells (`parity.disclosure.explore_wres`)."""
    rule = rule or DisclosureRule()
    out = copy.deepcopy(result)
    sys = System(rule=rule)
    refs: dict[str, tuple[Vector, Vector]] = {}
    totals: dict[tuple, tuple[tuple[Vector, Vector], tuple[int, int]]] = {}
    cells: dict[tuple, tuple[tuple[Vector, Vector], tuple[int, int]]] = {}
    for i, f in enumerate(out.get("findings") or []):
        if not isinstance(f.get("counts"), dict):
            raise ValueError(NOT_COUNTS.format(kind=out.get("kind")))
        c, p = f["counts"], ("findings", i)
        mine = _cell(sys, p + ("counts",), c["events"], c["n"], ("events", "n"))
        if f.get("reference_group") == REST:
            ref = _rest(sys, totals, f, p + ("counts",), mine, c)
        else:
            key = json.dumps([f.get("outcome"), f.get("reference_group"), f.get("context"), c["reference_events"],
                              c["reference_n"]], sort_keys=True, default=str)
            ref = _cell(sys, p + ("counts",), c["reference_events"], c["reference_n"],
                        ("reference_events", "reference_n"), refs.get(key))
            refs.setdefault(key, ref)
        _register(cells, f, f.get("group"), mine, (c["events"], c["n"]))
        _register(cells, f, f.get("reference_group"), ref, (c["reference_events"], c["reference_n"]))
        for name in f:
            if name not in LABELS and f[name] is not None:
                sys.depends(p + (name,), [*mine, *ref])
        sys.depends(p + ("narrative",), [*mine, *ref], text=True)
    for i, cell in enumerate(out.get("not_tested") or []):
        p = ("not_tested", i)
        mine = _cell(sys, p, cell["events"], cell["n"], ("events", "n"))
        if cell.get("reference_group") == REST or (out.get("settings") or {}).get("reference") == REST:
            _rest(sys, totals, cell, p, mine, cell)
        else:
            _cell(sys, p, cell["reference_events"], cell["reference_n"], ("reference_events", "reference_n"))
        _register(cells, cell, cell.get("group"), mine, (cell["events"], cell["n"]))
    _link_margins(sys, cells)
    _link_totals(sys, cells, totals)
    link_wres2(sys, cells, wres)
    if out.get("kind") == "funnel":
        _link_steps(sys, cells)
    solution = solve_components(sys.n, sys.vectors, sys.values, sys.specs, rule)
    withheld: dict[Path, str] = {}
    for path, pri, sec, failed in zip(sys.paths, solution.primary, solution.secondary, solution.failed,
                                      strict=True):
        if path is not None and (pri or sec or failed):
            put(out, path, SUPPRESSED)
            withheld[path] = "primary" if pri else "failed" if failed else "secondary"
    for d in sys.derived:
        if get(out, d.path) is not None and not all(solution.determined(v) for v in d.deps):
            put(out, d.path, WITHHELD_NARRATIVE.format(k=rule.k, n=rule.survey_min_responses) if d.text else SUPPRESSED)
            withheld.setdefault(d.path, "derived")
    out["tables"] = {}
    out["notes"] = [*(out.get("notes") or []), TABLES_LEFT_OUT]
    out["disclosure"] = {
        "protected": True, "rule": rule.to_dict(), "methods_note": rule.methods_note(),
        "cells_suppressed": sum(1 for w in withheld.values() if w == "primary"),
        "complementary": sum(1 for w in withheld.values() if w == "secondary"),
        "suppressed": [path_text(p) for p in withheld], "limitations": LIMITATION,
    }
    if any(w == "failed" for w in withheld.values()):
        out["disclosure"]["unprotectable"] = sorted(set(solution.errors))
    return out


def _register(cells: dict, doc: dict[str, Any], group: Any, vectors: tuple[Vector, Vector],
              values: tuple[int, int]) -> None:
    if isinstance(group, dict):
        key = (doc.get("outcome"), json.dumps(doc.get("context"), sort_keys=True, default=str),
               frozenset(group.items()))
        cells.setdefault(key, (vectors, values))


def _link_margins(sys: System, cells: dict) -> None:
    """A group (ethnicity = Black) is the sum of its sub-groups (Black female + Black male) when the
    published sub-groups add up to it: a reader subtracts them, so the system knows it too."""
    for (outcome, ctx, group), (vectors, values) in cells.items():
        names = {a for other in cells if other[:2] == (outcome, ctx) for a, _ in other[2]} - {a for a, _ in group}
        for extra in sorted(names):
            subs = [v for (o, c, g), v in cells.items() if (o, c) == (outcome, ctx) and group < g
                    and len(g) == len(group) + 1 and extra in dict(g)]
            if subs and all(sum(v[1][j] for v in subs) == values[j] for j in (0, 1)):
                for j, name in enumerate(("events", "n")):
                    sys.link(f"{outcome}:{sorted(group)}.{name}=sum by {extra}", vectors[j],
                             plus(*(v[0][j] for v in subs)))


def _link_steps(sys: System, cells: dict) -> None:
    """A funnel's steps share their stages: the people who reached b in step "a → b" are the people
    of step "b → c" (a reader subtracts across steps, so the system links them). The step into
    appointed leaves declined offers out of its people, so those offered minus its people are the
    offers declined: a count of people, protected as a hidden quantity."""
    by_step = {}
    for (_outcome, ctx, group), (vectors, values) in cells.items():
        context = json.loads(ctx) if ctx else {}
        before, _, after = str(context.get("step") or "").partition(" → ")
        if after:
            by_step[(before, context.get("year"), group)] = (after, vectors, values)
    for (_before, year, group), (after, vectors, values) in by_step.items():
        following = by_step.get((after, year, group))
        if following is None:
            continue
        nxt, (_, n_vector), (_, n_value) = following
        name = f"funnel:{sorted(group)}:{after}"
        if nxt != "appointed" and values[0] == n_value:
            sys.link(f"{name}=people of the next step", vectors[0], n_vector)
        elif nxt == "appointed" and values[0] >= n_value:
            sys.hidden(f"{name}-people of the step into appointed (offers declined)", minus(vectors[0], n_vector),
                       values[0] - n_value)


def _total_key(doc: dict[str, Any]) -> tuple | None:
    group = doc.get("group")
    if not isinstance(group, dict):
        return None
    return doc.get("outcome"), json.dumps(doc.get("context"), sort_keys=True, default=str), frozenset(group)


def _rest(sys: System, totals: dict, doc: dict[str, Any], p: Path, mine: tuple[Vector, Vector],
          c: dict[str, Any]) -> tuple[Vector, Vector]:
    """Everyone else in the stratum = the stratum's total (of these attributes) minus the cell."""
    key = _total_key(doc)
    events, n = c.get("reference_events"), c.get("reference_n")
    if key is None or events is None or n is None or c.get("events") is None or c.get("n") is None:
        return _cell(sys, p, events, n, ("reference_events", "reference_n"))
    if key not in totals:
        ev, rest = sys.atom(), sys.atom()
        totals[key] = ((ev, plus(ev, rest)), (c["events"] + events, c["n"] + n))
    (t_ev, t_n), _ = totals[key]
    ref = (minus(t_ev, mine[0]), minus(t_n, mine[1]))
    sys.quantity(p + ("reference_events",), ref[0], events, priority=2)
    sys.quantity(p + ("reference_n",), ref[1], n, priority=2)
    if n >= events:
        sys.hidden(f"{path_text(p)}.reference_n-reference_events", minus(ref[1], ref[0]), n - events)
    return ref


def _link_totals(sys: System, cells: dict, totals: dict) -> None:
    """A stratum's total is the sum of its cells of the same attributes, when they add up to it."""
    for (outcome, ctx, names), ((t_ev, t_n), values) in totals.items():
        parts = [v for (o, c, g), v in cells.items() if (o, c) == (outcome, ctx) and frozenset(dict(g)) == names]
        if parts and all(sum(v[1][j] for v in parts) == values[j] for j in (0, 1)):
            sys.link(f"{outcome}:{sorted(names)}.events=sum of cells", t_ev, plus(*(v[0][0] for v in parts)))
            sys.link(f"{outcome}:{sorted(names)}.n=sum of cells", t_n, plus(*(v[0][1] for v in parts)))


def _cell(sys: System, p: Path, events: int, n: int, names: tuple[str, str],
          shared: tuple[Vector, Vector] | None = None) -> tuple[Vector, Vector]:
    """Events and people of one group; the people not counted are protected too."""
    if shared is None:
        ev, rest = sys.atom(), sys.atom()
        shared = (ev, plus(ev, rest))
        if n >= events:
            sys.hidden(f"{path_text(p)}.{names[1]}-{names[0]}", rest, n - events)
    sys.quantity(p + (names[0],), shared[0], events, priority=2)
    sys.quantity(p + (names[1],), shared[1], n, priority=2)
    return shared
