"""The rows of a component's zero-finding programme, with the level links its rows already imply put in by value.

`modular._Modular._possible_zeros` asks one sparse linear programme (`linear.implicit_zeros`) which
atoms every non-negative solution of the component's publishable rows holds at zero. Those rows
include the level links: *the all-organisations figure = the sum of the organisations' figures*. A
link spans every organisation, so its row has every member figure's atoms: at national scale the
links are 356 rows but 40% of the programme's 3 M non-zeros.

Most of a link is already in the programme: where a member's part of the link is itself a
publishable row of its block (the same vector, or its negative), that part equals the row's value
in every solution. Putting those values in (``part . x = s * value`` in the programme's cone
``A x = s b``) leaves the link with only the members whose figure is not publishable (a small,
withheld count); a link whose members are all publishable says nothing the rows do not (their
values agree, or `release._link_levels` would not have linked them) and is left out. The solutions,
so the zeros and the consistency check, are exactly the same; the programme is smaller (national
component-year: 2.99 M -> 1.79 M non-zeros, 4.9 -> 3.0 s of CPU).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix, vstack

#: a link whose members are all publishable is left out only when its values agree to this tolerance
#: (otherwise it is kept whole, so the programme still finds the figures inconsistent)
AGREE = 1e-9


def programme_rows(matrix: csr_matrix, values: np.ndarray, ever: list[int], links: list[int],
                   atoms: list[np.ndarray]) -> tuple[csr_matrix, np.ndarray]:
    """(rows, values) of the programme over the component's atoms: the publishable rows ``ever`` with
    each link among them reduced to its members that are not publishable (see the module docstring).

    ``links`` are the component's link rows and ``atoms[b]`` block b's atoms, as `blocks.split` gives
    them. Rows and link parts are matched by their sparse entries (one key per row, one per part), not
    by dense block vectors: a national component-year has about 11,000 blocks."""
    publishable = set(ever)
    is_link = set(links)
    matrix.sort_indices()
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    # each publishable row by its exact vector (sorted atoms and coefficients: a row lies in one block,
    # so the component's atom numbers keep blocks apart), the first of equal rows in row order
    by_vector: dict[bytes, int] = {}
    for r in sorted(publishable - is_link):
        s, e = indptr[r], indptr[r + 1]
        by_vector.setdefault(indices[s:e].tobytes() + (data[s:e] + 0.0).tobytes(), r)  # + 0.0: -0.0 is 0.0
    label = np.empty(matrix.shape[1], dtype=np.int64)  # each atom's block
    for b, block in enumerate(atoms):
        label[block] = b
    kept = [r for r in ever if r not in is_link]
    extra_atoms: list[np.ndarray] = []
    extra_coefs: list[np.ndarray] = []
    extra_values: list[float] = []
    for r in links:
        if r not in publishable:
            continue
        value = float(values[r])
        idx, coef = indices[indptr[r]:indptr[r + 1]], data[indptr[r]:indptr[r + 1]] + 0.0
        order = np.argsort(label[idx], kind="stable")  # by block, each block's atoms in order
        idx, coef = idx[order], coef[order]
        cuts = [0, *(np.flatnonzero(np.diff(label[idx])) + 1).tolist(), len(idx)]
        parts_atoms, parts_coefs = [], []
        for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):  # the members, in block order
            a, c = idx[lo:hi], coef[lo:hi]
            key = a.tobytes()
            same = by_vector.get(key + c.tobytes())
            if same is not None:
                value -= float(values[same])
                continue
            opposite = by_vector.get(key + (-c + 0.0).tobytes())
            if opposite is not None:
                value += float(values[opposite])
                continue
            parts_atoms.append(a)
            parts_coefs.append(c)
        if not parts_atoms:
            if abs(value) <= AGREE * max(1.0, abs(float(values[r]))):
                continue  # implied by its members' rows
            kept.append(r)  # the values disagree: keep it whole (the programme reports the inconsistency)
            continue
        extra_atoms.append(np.concatenate(parts_atoms))
        extra_coefs.append(np.concatenate(parts_coefs))
        extra_values.append(value)
    kept.sort()
    base = matrix[kept]
    if not extra_values:
        return base, np.asarray(values, dtype=float)[kept]
    lengths = [len(a) for a in extra_atoms]
    reduced = csr_matrix((np.concatenate(extra_coefs), (np.repeat(np.arange(len(lengths)), lengths),
                                                        np.concatenate(extra_atoms))),
                         shape=(len(lengths), matrix.shape[1]))
    return (vstack([base, reduced], format="csr"),
            np.concatenate([np.asarray(values, dtype=float)[kept], extra_values]))
