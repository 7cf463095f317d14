"""The zero-finding programme with the level links its rows imply put in by value (issue 18, "Scale"):
the same zeros as the whole programme, by hand and on random organisations linked by a total."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix

from parity.disclosure.blocks import blocks_of, split
from parity.disclosure.implied_links import programme_rows
from parity.disclosure.linear import implicit_zeros


def _programme(rows: list[dict[int, float]], values: list[float], n: int, links: set[int], ever: list[int]):
    matrix = csr_matrix(([c for r in rows for c in r.values()],
                         ([i for i, r in enumerate(rows) for _ in r], [a for r in rows for a in r])),
                        shape=(len(rows), n))
    values = np.asarray(values, dtype=float)
    label, joined = blocks_of(matrix, links)
    atoms = split(matrix, label, joined, int(label.max()) + 1)[0]
    reduced, reduced_values = programme_rows(matrix, values, ever, joined, atoms)
    return matrix, values, reduced, reduced_values


def test_a_link_keeps_only_its_withheld_member_and_still_forces_its_zero():
    # atoms: 0 the total's count, 1-2 organisation A's two cells, 3 organisation B's count
    rows = [{0: 1}, {1: 1, 2: 1}, {1: 1}, {3: 1}, {0: 1, 1: -1, 2: -1, 3: -1}]
    values = [5, 5, 5, 0, 0]  # B's count (row 3) is withheld: not in the programme
    ever = [0, 1, 2, 4]
    matrix, values, reduced, reduced_values = _programme(rows, values, 4, {4}, ever)
    # the link lost the total's and A's parts (rows 0 and 1): only -B's count = 5 - 5 is left
    assert reduced.nnz == matrix[ever].nnz - 3
    assert [(reduced[-1].indices.tolist(), reduced[-1].data.tolist(), reduced_values[-1])] == [([3], [-1.0], 0.0)]
    # hand-worked: total 5 = A 5 + B, so B = 0; A's cell 2 = 5 - 5 = 0
    expected = np.array([False, False, True, True])
    assert (implicit_zeros(matrix[ever], values[ever]) == expected).all()
    assert (implicit_zeros(reduced, reduced_values) == expected).all()


def test_a_link_whose_members_are_all_published_is_left_out():
    rows = [{0: 1}, {1: 1}, {2: 1}, {0: 1, 1: -1, 2: -1}]
    matrix, values, reduced, reduced_values = _programme(rows, [7, 3, 4, 0], 3, {3}, [0, 1, 2, 3])
    assert reduced.shape[0] == 3 and reduced_values.tolist() == [7, 3, 4]


def test_disagreeing_values_keep_the_link_and_stay_inconsistent():
    rows = [{0: 1}, {1: 1}, {2: 1}, {0: 1, 1: -1, 2: -1}]
    matrix, values, reduced, reduced_values = _programme(rows, [7, 3, 5, 0], 3, {3}, [0, 1, 2, 3])
    assert reduced.shape[0] == 4
    for a, b in ((matrix, values), (reduced, reduced_values)):
        try:
            implicit_zeros(a, b)
        except ValueError:
            continue
        raise AssertionError("inconsistent figures were not reported")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_same_zeros_as_the_whole_programme(data):
    """Random organisations (cells 0-3, so zeros are common), each publishing sums of its cells, and a
    total whose cells are theirs summed; each figure linked (total = sum of organisations); a random
    set of figures publishable. The reduced programme finds exactly the whole programme's zeros."""
    orgs = data.draw(st.integers(2, 5))
    cells = data.draw(st.integers(2, 4))
    figures = data.draw(st.lists(st.lists(st.booleans(), min_size=cells, max_size=cells).filter(any),
                                 min_size=1, max_size=4))
    counts = np.array(data.draw(st.lists(st.integers(0, 3), min_size=orgs * cells, max_size=orgs * cells)))
    counts = counts.reshape(orgs, cells)
    x = np.concatenate([counts.sum(axis=0), counts.ravel()])  # the total's cells first
    rows, values = [], []
    for unit in range(orgs + 1):
        for f in figures:
            rows.append({unit * cells + c: 1.0 for c in range(cells) if f[c]})
            values.append(float(sum(x[a] for a in rows[-1])))
    links = set()
    for f in figures:
        link = {c: 1.0 for c in range(cells) if f[c]}
        for o in range(1, orgs + 1):
            link.update({o * cells + c: -1.0 for c in range(cells) if f[c]})
        links.add(len(rows))
        rows.append(link)
        values.append(0.0)
    published = data.draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    ever = [r for r in range(len(rows)) if published[r] or r in links]
    matrix, values, reduced, reduced_values = _programme(rows, values, len(x), links, ever)
    assert (implicit_zeros(reduced, reduced_values) == implicit_zeros(matrix[ever], values[ever])).all()
    assert reduced.nnz <= matrix[ever].nnz
