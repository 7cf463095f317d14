"""Protect a plain two-way count table (e.g. pay band x ethnic group) with its margins."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from parity.disclosure.rules import DisclosureRule
from parity.disclosure.secondary import Published, solve

TOTAL = "Total"
NOT_COUNTS = "protect_table needs a table of non-negative whole-number counts with no missing values"
TOTAL_CLASH = f"the table already has a row or column labelled {TOTAL!r}: pass the inner cells only"


@dataclass(frozen=True)
class ProtectedTable:
    """A table after disclosure control.

    ``values``: object DataFrame (inner cells plus the requested ``Total`` row / column) holding the
    counts that may be shown and the marker where withheld; ``mask_primary`` / ``mask_secondary``:
    boolean frames of the same shape; ``counts``: the unprotected counts (analyst's view only).
    """

    values: pd.DataFrame
    mask_primary: pd.DataFrame
    mask_secondary: pd.DataFrame
    counts: pd.DataFrame
    rule: DisclosureRule

    @property
    def mask(self) -> pd.DataFrame:
        return self.mask_primary | self.mask_secondary

    def to_display(self, marker: str | None = None) -> pd.DataFrame:
        """Strings for print: counts with thousands separators, the marker where withheld."""
        mark = self.rule.marker if marker is None else marker
        shown = self.counts.map(lambda v: f"{int(v):,}").astype(object)
        return shown.mask(self.mask, mark)


def protect_table(frame: pd.DataFrame, rule: DisclosureRule | None = None, *, row_totals: bool = True,
                  col_totals: bool = True, grand_total: bool = True) -> ProtectedTable:
    """Primary and secondary suppression of a 2-D count table whose totals are published too.

    >>> t = protect_table(pd.DataFrame({"White": [40, 52], "BME": [3, 45]}, index=["5", "6"]))
    >>> t.values.loc["5", "BME"], int(t.mask_secondary.to_numpy().sum())
    ('*', 3)
    """
    rule = rule or DisclosureRule()
    cells = _counts(frame)
    if TOTAL in map(str, frame.index) or TOTAL in map(str, frame.columns):
        raise ValueError(TOTAL_CLASH)
    n_rows, n_cols = cells.shape
    full = _with_margins(cells, row_totals, col_totals, grand_total)
    index = list(frame.index) + ([TOTAL] if col_totals else [])
    columns = list(frame.columns) + ([TOTAL] if row_totals else [])
    specs, vectors, where = [], [], []
    for r, row in enumerate(index):
        for c, col in enumerate(columns):
            if r >= n_rows and c >= n_cols and not grand_total:
                continue
            v = np.zeros(n_rows * n_cols)
            rows = range(n_rows) if r >= n_rows else [r]
            cols = range(n_cols) if c >= n_cols else [c]
            for i in rows:
                v[i * n_cols + np.array(list(cols))] = 1
            specs.append(Published(f"{row}|{col}", v))
            vectors.append(v)
            where.append((r, c))
    vectors = np.array(vectors)
    sol = solve(vectors, vectors @ cells.ravel().astype(float), specs, rule)
    shape = (len(index), len(columns))
    prim, sec = np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool)
    for (r, c), p, s in zip(where, sol.primary, sol.secondary, strict=True):
        prim[r, c], sec[r, c] = p, s
    counts = pd.DataFrame(full, index=index, columns=columns)
    values = counts.astype(object).mask(prim | sec, rule.marker)
    if not grand_total and row_totals and col_totals:
        values.iloc[-1, -1] = None
    return ProtectedTable(values, pd.DataFrame(prim, index=index, columns=columns),
                          pd.DataFrame(sec, index=index, columns=columns), counts, rule)


def _counts(frame: pd.DataFrame) -> np.ndarray:
    try:
        cells = frame.to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(NOT_COUNTS) from exc
    if np.isnan(cells).any() or (cells < 0).any() or (cells != np.round(cells)).any():
        raise ValueError(NOT_COUNTS)
    return cells.astype(np.int64)


def _with_margins(cells: np.ndarray, row_totals: bool, col_totals: bool, grand: bool) -> np.ndarray:
    out = cells
    if row_totals:
        out = np.hstack([out, cells.sum(axis=1, keepdims=True)])
    if col_totals:
        bottom = cells.sum(axis=0)
        if row_totals:
            bottom = np.append(bottom, cells.sum())
        out = np.vstack([out, bottom])
    return out
