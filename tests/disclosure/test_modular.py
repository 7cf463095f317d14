"""Issue 18: many organisations protected block by block (`parity.disclosure.modular`) stay protected.

Random hierarchies: 3-6 organisations, each a small band x group table with its row, column and
grand totals, and an all-organisations table whose every figure is the sum of the organisations'
(a known identity). The published set is checked with scipy's LP (min and max of each protected
cell over every non-negative table reproducing the published figures and the identities), which
shares no code with the engine.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parity.disclosure.blocks as blocks
import parity.disclosure.modular as modular
from parity.disclosure import DisclosureRule
from parity.disclosure.components import solve_components
from parity.disclosure.modular import ModularSolution
from parity.disclosure.secondary import Published, solve

COUNT = st.one_of(st.integers(0, 9), st.integers(0, 40))
RULE = DisclosureRule()


@st.composite
def regions(draw):
    orgs, rows, cols = draw(st.integers(3, 6)), draw(st.integers(2, 3)), draw(st.integers(2, 3))
    cells = [draw(st.lists(COUNT, min_size=rows * cols, max_size=rows * cols)) for _ in range(orgs)]
    return rows, cols, cells


def shapes(rows: int, cols: int) -> list[np.ndarray]:
    """Masks over a rows x cols grid: each cell, each row total, each column total, the grand total."""
    out = []
    for i in range(rows + 1):
        for j in range(cols + 1):
            m = np.zeros((rows, cols))
            m[i if i < rows else slice(None), j if j < cols else slice(None)] = 1
            out.append(m.ravel())
    return out


def hierarchy(rows: int, cols: int, cells: list[list[int]]):
    """The linked system: organisations' tables, the all-organisations table, the margin identities."""
    size = rows * cols
    units = [np.array(c, dtype=float) for c in cells]
    units = [np.sum(units, axis=0)] + units  # unit 0: all organisations (its own atoms)
    n = size * len(units)
    vectors, values, specs, margins = [], [], [], set()
    masks = shapes(rows, cols)
    for u, x in enumerate(units):
        for s, mask in enumerate(masks):
            vectors.append({u * size + a: 1.0 for a in np.flatnonzero(mask)})
            values.append(float(mask @ x))
            specs.append(Published(f"u{u}:q{s}", vectors[-1]))
    for s, mask in enumerate(masks):  # all organisations' figure = the sum of the organisations'
        link = {a: 1.0 for a in np.flatnonzero(mask)}
        for u in range(1, len(units)):
            link.update({u * size + a: -1.0 for a in np.flatnonzero(mask)})
        margins.add(len(vectors))
        vectors.append(link)
        values.append(0.0)
        specs.append(Published(f"link:q{s}", link, shown=False, known=True))
    return n, vectors, values, specs, margins


def dense(n: int, vectors) -> np.ndarray:
    out = np.zeros((len(vectors), n))
    for r, v in enumerate(vectors):
        for k, c in v.items():
            out[r, k] += c
    return out


def leaks(n, vectors, values, specs, solution, lp) -> list[str]:
    """Names of protected cells the published figures and the identities pin down (scipy LP)."""
    a = dense(n, vectors)
    b = np.array(values)
    public = [i for i, s in enumerate(specs) if s.known or not (solution.primary[i] or solution.secondary[i])]
    out = []
    for i, s in enumerate(specs):
        if s.known or not 0 < values[i] < RULE.k:
            continue
        assert solution.primary[i], f"{s.name} ({values[i]:g}) is small but not withheld"
        if not lp(a[public], b[public], a[i]):
            out.append(f"{s.name} = {values[i]:g}")
    return out


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(region=regions())
def test_no_protected_cell_follows_from_a_modular_release(region, lp):
    n, vectors, values, specs, margins = hierarchy(*region)
    solution = solve_components(n, vectors, values, specs, RULE, margins=margins)
    assert leaks(n, vectors, values, specs, solution, lp) == []


def test_one_small_cell_is_covered_by_another_organisation_not_the_total(lp):
    """Org 1 holds 3 people in cell (0, 0); four others hold 20-23. Subtracting the others from the
    all-organisations figure would give the 3 back, so a second organisation's cell is withheld
    (the smallest), and the all-organisations figure, which its readers came for, stays published."""
    cells = [[3, 30, 30, 30], [20, 30, 30, 30], [21, 30, 30, 30], [22, 30, 30, 30], [23, 30, 30, 30]]
    n, vectors, values, specs, margins = hierarchy(2, 2, cells)
    solution = solve_components(n, vectors, values, specs, RULE, margins=margins)
    assert isinstance(solution._parts[0].solution, ModularSolution)
    assert leaks(n, vectors, values, specs, solution, lp) == []
    hidden = {s.name for i, s in enumerate(specs) if solution.primary[i] or solution.secondary[i]}
    assert "u1:q0" in hidden and "u2:q0" in hidden  # org 1's 3 and the smallest other (20)
    assert not any(name.startswith("u0:") for name in hidden)  # every all-organisations figure published
    assert not any(name.startswith(("u3:", "u4:", "u5:")) for name in hidden)


#: four organisations (2 x 3 tables) where withholding a second member of every link is not enough:
#: the published figures still pin a cell through a combination of several links (found by a search
#: over random regions with the exact check switched off; found again in session 26, once the margins
#: weighed the organisations' own figures and closed the earlier example alone)
SEVERAL_LINKS = (2, 3, [[2, 3, 0, 0, 12, 14], [1, 18, 33, 32, 37, 7], [8, 2, 3, 20, 9, 7], [9, 5, 2, 4, 28, 4]])


def test_a_derivation_across_several_links_is_found_and_closed(lp, monkeypatch):
    n, vectors, values, specs, margins = hierarchy(*SEVERAL_LINKS)
    solution = solve_components(n, vectors, values, specs, RULE, margins=margins)
    assert isinstance(solution._parts[0].solution, ModularSolution)
    assert leaks(n, vectors, values, specs, solution, lp) == []
    monkeypatch.setattr(modular, "check", lambda structure, targets: [])  # margins alone
    unchecked = solve_components(n, vectors, values, specs, RULE, margins=margins)
    assert leaks(n, vectors, values, specs, unchecked, lp) != []


def test_two_organisations_keep_the_joint_engine():
    """All organisations and two organisations (3 blocks, under MIN_BLOCKS): solved whole, so the
    decisions are exactly the joint engine's, as before."""
    assert modular.MIN_BLOCKS > 3
    n, vectors, values, specs, margins = hierarchy(2, 2, [[3, 30, 30, 30], [20, 30, 30, 30]])
    solution = solve_components(n, vectors, values, specs, RULE, margins=margins)
    joint = solve(dense(n, vectors), np.array(values), specs, RULE)
    assert not isinstance(solution._parts[0].solution, ModularSolution)
    assert (solution.primary == joint.primary).all() and (solution.secondary == joint.secondary).all()


@SETTINGS
@given(region=regions(), seed=st.integers(0, 2**16))
def test_what_a_modular_release_determines_agrees_with_linprog(region, seed, lp):
    """`JointSolution.determined` of a component solved block by block (it reads the vector's atoms
    only, never a dense vector over the component) against scipy's LP: a figure is determined
    exactly when its value is the same in every non-negative table reproducing what is published.
    Vectors: every quantity, and sums of two quantities of different organisations (several blocks)."""
    n, vectors, values, specs, margins = hierarchy(*region)
    solution = solve_components(n, vectors, values, specs, RULE, margins=margins)
    a, b = dense(n, vectors), np.array(values)
    public = [i for i, s in enumerate(specs) if s.known or not (solution.primary[i] or solution.secondary[i])]
    rng = np.random.default_rng(seed)
    shown = [i for i, s in enumerate(specs) if not s.known]
    pairs = [tuple(rng.choice(shown, 2, replace=False)) for _ in range(6)]
    asked = [vectors[i] for i in shown] + [{**vectors[i], **vectors[j]} for i, j in pairs
                                           if not set(vectors[i]) & set(vectors[j])]
    for v in asked:
        target = dense(n, [v])[0]
        assert solution.determined(v) == (not lp(a[public], b[public], target)), v


@SETTINGS
@given(region=regions())
def test_blocks_split_from_the_sparse_matrix_equal_scipy_slices(region):
    """`blocks.split` (every nonzero sorted by block once) gives each block's rows over its atoms and
    the links over its atoms exactly as slicing the sparse matrix block by block does."""
    from parity.disclosure.components import _matrix

    n, vectors, _values, _specs, margins = hierarchy(*region)
    matrix = _matrix(n, vectors)
    label, links = blocks.blocks_of(matrix, margins)
    k = int(label.max()) + 1
    atoms, rows, local, restricted, members = blocks.split(matrix, label, links, k)
    for b in range(k):
        assert atoms[b].tolist() == np.flatnonzero(label == b).tolist()
        assert rows[b] == [r for r in range(len(vectors)) if r not in margins and label[min(vectors[r])] == b]
        assert np.array_equal(local[b], matrix[rows[b]][:, atoms[b]].toarray())
        assert np.array_equal(restricted[b], matrix[links][:, atoms[b]].toarray().T)
    assert members == [[b for b in range(k) if restricted[b][:, q].any()] for q in range(len(links))]


@SETTINGS
@given(region=regions())
def test_blocks_are_the_units_numbered_by_their_smallest_atom(region):
    """`blocks.blocks_of` against a breadth-first search over the rows that are not margins: the same
    groups of atoms, numbered in the order of their smallest atom; the links are the margins whose
    atoms lie in two or more blocks."""
    from parity.disclosure.components import _matrix

    n, vectors, _values, _specs, margins = hierarchy(*region)
    label, links = blocks.blocks_of(_matrix(n, vectors), margins)
    neighbours: dict[int, set[int]] = {a: set() for a in range(n)}
    for r, v in enumerate(vectors):
        if r not in margins:
            for a in v:
                neighbours[a] |= set(v)
    seen: dict[int, int] = {}
    for start in range(n):
        if start in seen:
            continue
        block, todo = len(set(seen.values())), [start]
        while todo:
            a = todo.pop()
            if a not in seen:
                seen[a] = block
                todo.extend(neighbours[a] - set(seen))
    assert label.tolist() == [seen[a] for a in range(n)]
    assert links == [r for r in sorted(margins) if len({seen[a] for a in vectors[r]}) > 1]
