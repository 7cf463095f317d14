"""Rows that share the values of several columns, found column by column (issue 19: import speed).

Exact duplicate rows (`parity.ingest.rows`), duplicate keys and two primary assignments
(`parity.ingest.validate`) all ask which rows equal another row in some columns. Comparing all the
columns of all the rows (``DataFrame.duplicated``) factorises every column in full. Here the rows
still in a group of two or more are refined one column at a time, and a row whose values so far
are its own is dropped: after the first few selective columns (an identifier, a date) almost no
rows are left, so the remaining columns are looked at for those rows only. The result is exactly
that of comparing every column (missing counts as a value, as in ``duplicated``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parity.ingest import objects


def shared(columns: list[pd.Series], among: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions, group ids): the rows in boolean mask `among` whose values in every one of
    `columns` (positional Series of one length) equal those of another such row, in position order,
    and a group number per such row (equal rows, equal number; numbered from 0 in no set order)."""
    pos = np.flatnonzero(among)
    gid, groups = np.zeros(len(pos), dtype=np.int64), 1
    for col in columns:
        if len(pos) < 2:
            break
        values = col if len(pos) == len(col) else col.iloc[pos]
        codes, uniques = objects.factorize(values, use_na_sentinel=False)  # parsed columns: by object first
        if len(uniques) < 2:  # one value (an organisation code): the groups stay as they are
            continue
        gid, groups = _combine(gid, groups, codes.astype(np.int64), len(uniques))
        counts = np.bincount(gid, minlength=groups)
        keep = counts[gid] > 1
        if not keep.all():
            pos, (gid, groups) = pos[keep], _dense(gid[keep], groups)
    if len(pos) < 2:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return pos, gid.astype(np.int64)


def _combine(gid: np.ndarray, groups: int, codes: np.ndarray, k: int) -> tuple[np.ndarray, int]:
    """Group ids of (gid, codes) pairs, numbered densely from 0; and how many there are."""
    if groups == 1:
        return codes, k  # the first column that tells rows apart: its codes are the groups
    # both below the number of rows left: the combined number cannot overflow
    return _dense(gid * k + codes, groups * k)


def _dense(ids: np.ndarray, bound: int) -> tuple[np.ndarray, int]:
    """`ids` (each below `bound`) renumbered 0, 1, … without gaps; and how many distinct there are.
    A table lookup when `bound` is small, else a hash table."""
    if bound <= 4 * len(ids) + 1024:
        present = np.zeros(bound, dtype=bool)
        present[ids] = True
        number = np.cumsum(present) - 1
        return number[ids], int(present.sum())
    codes, uniques = pd.factorize(ids)
    return codes.astype(np.int64), len(uniques)


def duplicated(columns: list[pd.Series], among: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mask of rows in `among` equal in every column to an earlier such row, position of that
    earlier row's first copy for each of them) — ``duplicated(keep="first")`` restricted to `among`."""
    n = len(among)
    pos, gid = shared(columns, among)
    dup = np.zeros(n, dtype=bool)
    if not len(pos):
        return dup, np.empty(0, dtype=np.int64)
    first = np.zeros(int(gid.max()) + 1, dtype=np.int64)
    ids, at = np.unique(gid, return_index=True)  # positions ascend: each group's first row
    first[ids] = pos[at]
    later = pos != first[gid]
    dup[pos[later]] = True
    return dup, first[gid[later]]
