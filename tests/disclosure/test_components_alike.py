"""Components with the same inputs but for their names are solved once (`components.alike`): each
gets the decisions it would get alone, and one that cannot be protected still reports its own names."""

from __future__ import annotations

import numpy as np
import pytest
from test_modular import RULE, hierarchy, leaks

import parity.disclosure.components as components
from parity.disclosure.components import solve_components
from parity.disclosure.secondary import Published

CELLS = [[3, 12, 0, 25], [7, 2, 30, 14], [0, 0, 9, 1]]  # three organisations' 2 x 2 tables


def shifted(system, by: int, tag: str):
    """``system`` over atoms ``by`` onwards, every name prefixed with ``tag``."""
    n, vectors, values, specs, margins = system
    moved = [{a + by: c for a, c in v.items()} for v in vectors]
    return n, moved, list(values), [Published(f"{tag}{s.name}", m, s.basis, s.shown, s.known, s.priority, s.primary)
                                    for s, m in zip(specs, moved, strict=True)], margins


def joined(*systems):
    """Several systems side by side in one (atoms offset, rows appended): one component each."""
    n, vectors, values, specs, margins = 0, [], [], [], set()
    for k, system in enumerate(systems):
        m, v, x, s, marg = shifted(system, n, f"c{k}:")
        margins |= {len(vectors) + r for r in marg}
        n, vectors, values, specs = n + m, vectors + v, values + x, specs + s
    return n, vectors, values, specs, margins


@pytest.fixture
def solves(monkeypatch):
    """Each component solved by `_solve_one`, counted."""
    calls = []
    real = components._solve_one

    def counted(inputs):
        calls.append(inputs[0].shape)
        return real(inputs)

    monkeypatch.setattr(components, "_solve_one", counted)
    return calls


def test_alike_components_are_solved_once_each_with_its_own_decisions(solves, lp):
    region = hierarchy(2, 2, CELLS)
    other = hierarchy(2, 2, [[4, 4, 40, 40], [1, 50, 50, 2], [8, 0, 0, 8]])
    n, vectors, values, specs, margins = system = joined(region, region, other, region)
    solution = solve_components(n, vectors, values, specs, RULE, margins=margins)
    assert len(solves) == 2  # the region (three times) and the other one
    alone = solve_components(*region[:4], RULE, margins=region[4])
    rows = len(region[1])
    for k in (0, 1, 3):  # each copy withholds what the region withholds alone
        at = slice(k * rows, (k + 1) * rows)
        assert solution.primary[at].tolist() == alone.primary.tolist()
        assert solution.secondary[at].tolist() == alone.secondary.tolist()
    assert alone.secondary.any() and alone.primary.any()  # the decisions were exercised
    assert leaks(*system[:4], solution, lp) == []  # and what each publishes derives no protected cell
    # what is determined is asked of each copy's own atoms
    first, fourth = ({a + k * region[0]: 1.0 for a in range(4)} for k in (0, 3))
    assert solution.determined(first) == solution.determined(fourth)


def test_a_different_value_or_flag_is_solved_on_its_own(solves):
    region = hierarchy(2, 2, CELLS)
    changed = hierarchy(2, 2, [CELLS[0], CELLS[1], [0, 0, 9, 2]])
    solve_components(*joined(region, changed)[:4], RULE, margins=joined(region, changed)[4])
    assert len(solves) == 2
    solves.clear()
    n, vectors, values, specs, margins = joined(region, region)
    specs[0] = Published(specs[0].name, specs[0].coefficients, priority=5)  # needed more: kept first
    solve_components(n, vectors, values, specs, RULE, margins=margins)
    assert len(solves) == 2


def test_a_component_that_cannot_be_protected_reports_its_own_names(solves):
    def unprotectable(tag):  # a small count that an identity everyone knows gives away
        return 1, [{0: 1.0}, {0: 1.0}], [3.0, 3.0], [Published(f"{tag}cell", {0: 1.0}),
                                                       Published(f"{tag}known", {0: 1.0}, known=True)], set()

    n, vectors, values, specs, margins = joined(unprotectable("a:"), unprotectable("b:"))
    solution = solve_components(n, vectors, values, specs, RULE, margins=margins)
    assert solution.failed.tolist() == [True, False, True, False]
    assert len(solution.errors) == 2
    assert "c0:a:cell" in solution.errors[0] and "c1:b:cell" in solution.errors[1]
    assert np.count_nonzero(solution.failed) == 2
