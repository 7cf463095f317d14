"""Issue 18, session 28: the engine's batched questions answer what the one-at-a-time ones answer.

* `Span.contains_rows` / `contains_units` (many rows or atoms in one product) against `Span.contains`
  and NumPy's rank;
* `JointSolution.determine` / `Structure.derives_rows` (a block's questions together) against
  `determined` one at a time and `linear.determined` from scratch, also through the level links;
* `modular_check._null` / `_orth` of a negligible matrix without an SVD, against SciPy.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from parity.disclosure import DisclosureRule
from parity.disclosure.linear import Span

RULE = DisclosureRule()


@st.composite
def systems(draw):
    """Rows of 0/1 (and some -1) coefficients over 2-7 atoms."""
    n = draw(st.integers(2, 7))
    m = draw(st.integers(1, 8))
    rows = np.array(draw(st.lists(st.lists(st.sampled_from([0, 0, 1, 1, -1]), min_size=n, max_size=n),
                                  min_size=m, max_size=m)), dtype=float)
    return rows, np.zeros(n)


def test_many_derived_inputs_decided_at_once_as_one_at_a_time(four_organisations):
    """`JointSolution.determine` (the vectors of a block tested together) answers what `determined`
    answers vector by vector, and what the exact check from scratch (`linear.determined`: published
    rows plus the atoms non-negativity forces to zero) says, for cells, sums, differences within an
    organisation, vectors over two organisations and an atom no quantity uses."""
    from parity.disclosure.components import JointSolution, solve_components
    from parity.disclosure.linear import determined
    from parity.disclosure.modular import ModularSolution

    n, vectors, values, specs, margins = four_organisations
    rng = np.random.default_rng(28)
    asked = [{4 * u + a: 1.0} for u in range(5) for a in range(4)]
    asked += [{4 * u + a: 1.0, 4 * u + b: float(c)} for u in range(5) for a in range(4) for b in range(a + 1, 4)
              for c in (1, -1)]
    asked += [{int(a): 1.0 for a in rng.choice(n, 2, replace=False)} for _ in range(20)] + [{n + 3: 1.0}]
    batched = solve_components(n + 4, vectors, values, specs, RULE, margins=margins)
    assert any(isinstance(p.solution, ModularSolution) for p in batched._parts)
    single = JointSolution(batched.primary, batched.secondary, batched.failed, batched.errors, batched._parts,
                           batched._where)
    batched.determine(asked + asked[:5])
    public = [i for i, s in enumerate(specs) if s.known or not (batched.primary[i] or batched.secondary[i])]
    dense = np.zeros((len(vectors), n + 4))
    for i, v in enumerate(vectors):
        dense[i, list(v)] = list(v.values())
    reference = determined(dense[public], np.array(values)[public], np.array([
        [v.get(j, 0.0) for j in range(n + 4)] for v in asked]))
    got = [batched.determined(v) for v in asked]
    assert got == [single.determined(v) for v in asked] == reference.tolist()
    assert any(got) and not all(got)


def test_vectors_derived_through_the_links_decided_at_once_as_one_at_a_time():
    """`Structure.derives_rows` also finds what only the level links give: all organisations publish
    nothing of atom a, organisations 1 and 2 publish theirs, so the link (all = 1 + 2) derives it."""
    from parity.disclosure.modular_check import Structure

    structure = Structure([np.zeros((0, 2)), np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]])],
                          [np.array([[1.0], [0.0]]), np.array([[-1.0], [0.0]]), np.array([[-1.0], [0.0]])])
    asked = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 0.0], [0.0, 0.0]])
    got = structure.derives_rows(0, asked).tolist()
    assert got == [structure.derives(0, v) is not None for v in asked] == [True, False, False, True, True]
    assert structure.derives_rows(1, asked).tolist() == [True, False, False, True, True]


@settings(max_examples=60, deadline=None)
@given(systems())
def test_span_membership_of_many_rows_and_atoms_matches_one_at_a_time(system):
    """`Span.contains_rows` / `contains_units` (one matrix product for many rows or atoms) answer what
    `Span.contains` answers for each row and each atom's unit row; checked against NumPy's rank."""
    from parity.disclosure.linear import unit

    rows, x = system
    m, n = rows.shape
    span = Span(n)
    for r in rows[: m // 2 + 1]:
        span.add(r)
    published = rows[: m // 2 + 1]
    rank = np.linalg.matrix_rank(published, tol=1e-9)

    def inside(v):
        return bool(np.linalg.matrix_rank(np.vstack([published, v]), tol=1e-9) == rank)

    assert span.contains_rows(rows).tolist() == [span.contains(r) for r in rows] == [inside(r) for r in rows]
    atoms = np.arange(n)
    assert span.contains_units(atoms).tolist() == [span.contains(unit(n, j)) for j in atoms] \
        == [inside(np.eye(n)[j]) for j in atoms]
    assert span.contains_units(np.array([], dtype=int)).shape == (0,)


def test_null_and_orth_of_negligible_matrices_without_a_decomposition():
    """`modular_check._null` / `_orth` skip the SVD when every singular value is below ``NULL_TOL``
    (the Frobenius norm bounds them): rank 0, as the SVD's rank test says; otherwise SciPy's answer."""
    from scipy.linalg import null_space, orth

    from parity.disclosure.modular_check import NULL_TOL, _null, _orth

    tiny = np.full((6, 4), NULL_TOL / 10)  # Frobenius norm NULL_TOL * sqrt(24) / 10 < NULL_TOL
    assert np.array_equal(_null(tiny), np.eye(4)) and _orth(tiny).shape == (6, 0)
    assert np.linalg.svd(tiny, compute_uv=False)[0] <= NULL_TOL  # the SVD's own rank test: 0
    rng = np.random.default_rng(7)
    for a in (rng.standard_normal((5, 3)) @ rng.standard_normal((3, 6)), np.full((6, 4), NULL_TOL * 10)):
        for mine, theirs in ((_null(a), null_space(a, rcond=NULL_TOL)), (_orth(a), orth(a, rcond=NULL_TOL))):
            assert mine.shape == theirs.shape
            assert np.allclose(mine @ mine.T, theirs @ theirs.T)  # the same subspace (projectors)
