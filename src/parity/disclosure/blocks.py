"""A component's blocks (`parity.disclosure.modular`): the rows that are not level links split its atoms
into blocks (one per unit and year, in practice); each block's rows over its atoms, the links' parts in
it, and a key per row equal for rows equal up to sign."""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components


def blocks_of(matrix: csr_matrix, margins: set[int]) -> tuple[np.ndarray, list[int]]:
    """Block label of every atom (components of the rows that are not margins, numbered by their
    smallest atom) and the margin rows that join two or more blocks (the links). SciPy's connected
    components of the graph joining each row's atoms to its first: a union-find in Python took a
    second or two per national component-year."""
    m, n = matrix.shape
    lengths = np.diff(matrix.indptr)
    entry_row = np.repeat(np.arange(m), lengths)
    own = np.ones(m, dtype=bool)
    own[list(margins)] = False
    first = np.zeros(m, dtype=np.int64)
    first[lengths > 0] = matrix.indices[matrix.indptr[:-1][lengths > 0]]
    keep = own[entry_row]
    graph = coo_matrix((np.ones(int(keep.sum())), (first[entry_row[keep]], matrix.indices[keep])), shape=(n, n))
    _, label = connected_components(graph, directed=False)  # labelled in the order of their smallest atom
    links = []
    for r in sorted(margins):
        blocks = label[matrix.indices[matrix.indptr[r]:matrix.indptr[r + 1]]]
        if blocks.size and (blocks != blocks[0]).any():
            links.append(r)
    return label, links


def split(matrix: csr_matrix, label: np.ndarray, links: list[int], k: int):
    """Each block's atoms and rows, its rows over its atoms (dense), the links restricted to its
    atoms (dense, atoms x links), and the blocks each link joins: every nonzero of the component
    sorted by block once (slicing the sparse matrix per block cost a SciPy call each, a few thousand
    per component-year at national scale, and ``label == b`` per block was quadratic)."""
    m, n = matrix.shape
    matrix.sum_duplicates()
    order = np.argsort(label, kind="stable")  # atoms by block, each block's in index order
    bounds = np.searchsorted(label[order], np.arange(k + 1))
    atoms = [order[bounds[b]:bounds[b + 1]] for b in range(k)]
    pos = np.empty(n, dtype=np.int64)  # an atom's index within its block
    pos[order] = np.arange(n) - bounds[label[order]]
    is_link = np.zeros(m, dtype=bool)
    is_link[links] = True
    own = np.flatnonzero(~is_link)
    row_block = label[matrix.indices[matrix.indptr[own]]]  # a row's block: its first atom's
    row_order = np.argsort(row_block, kind="stable")
    row_bounds = np.searchsorted(row_block[row_order], np.arange(k + 1))
    rows = [own[row_order[row_bounds[b]:row_bounds[b + 1]]].tolist() for b in range(k)]
    row_pos = np.empty(m, dtype=np.int64)
    row_pos[own[row_order]] = np.arange(len(own)) - row_bounds[row_block[row_order]]
    link_of = np.full(m, -1, dtype=np.int64)
    link_of[links] = np.arange(len(links))
    entry_row = np.repeat(np.arange(m), np.diff(matrix.indptr))
    entry_block = label[matrix.indices]

    def by_block(mask: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(rows, atoms, values) of the selected nonzeros, per block."""
        r, a, v, b = entry_row[mask], matrix.indices[mask], matrix.data[mask], entry_block[mask]
        o = np.argsort(b, kind="stable")
        cut = np.searchsorted(b[o], np.arange(k + 1))
        return [(r[o[cut[i]:cut[i + 1]]], a[o[cut[i]:cut[i + 1]]], v[o[cut[i]:cut[i + 1]]]) for i in range(k)]

    local, restricted = [], []
    for b, (r, a, v) in enumerate(by_block(~is_link[entry_row])):
        block = np.zeros((len(rows[b]), len(atoms[b])))
        block[row_pos[r], pos[a]] = v
        local.append(block)
    members: list[list[int]] = [[] for _ in links]
    for b, (r, a, v) in enumerate(by_block(is_link[entry_row])):
        block = np.zeros((len(atoms[b]), len(links)))
        block[pos[a], link_of[r]] = v
        restricted.append(block)
        for q in np.unique(link_of[r]).tolist():
            members[q].append(b)
    return atoms, rows, local, restricted, members


def keys_up_to_sign(rows: np.ndarray) -> list[bytes]:
    """A key per row, equal for rows equal up to sign (rounded; the first non-zero made positive)."""
    v = np.round(np.asarray(rows, dtype=float), 9)
    if not v.size:
        return [v[i].tobytes() for i in range(v.shape[0])]
    first = v[np.arange(v.shape[0]), np.argmax(v != 0, axis=1)]
    v = np.where((first < 0)[:, None], -v, v) + 0.0  # -0.0 (a flipped zero) -> 0.0, or the keys differ
    return [row.tobytes() for row in v]
