"""Rows that are not data: blank rows, stray total rows and exact duplicates (docs/ingest.md).

They are excluded with a reason and reported as warnings, so the reconciliation always adds up:
rows read = rows accepted + rows excluded by reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parity.contract.lookup import normalise_label
from parity.ingest import groups
from parity.ingest.problems import BLANK_ROW, DUPLICATE_ROW, TOTAL_ROW

TOTAL_WORDS = {"total", "totals", "grandtotal", "overalltotal", "sum"}


def structural_exclusions(data: pd.DataFrame, rows: np.ndarray, id_text: list[pd.Series],
                          duplicates=None) -> tuple[np.ndarray, pd.DataFrame]:
    """Per-row exclusion reason (None = keep) and the warning issues that explain them.

    `duplicates(data, rows, candidates)`, when given, returns (duplicate mask, row number of each
    duplicate's first copy): a file read in chunks finds copies of rows in earlier chunks that way
    (`parity.ingest.chunked.SeenRows`). Without it the rows in `data` are all there is."""
    n = len(data)
    blank = blank_rows(data)
    first = data.iloc[:, 0].astype(str)
    words = [u for u in first.unique() if normalise_label(u) in TOTAL_WORDS]  # distinct values only
    total = first.isin(words).to_numpy() & ~blank
    for ids in id_text:  # a total row has no identifier (beyond the "Total" label itself)
        total &= ((ids == "") | ids.isin(words)).to_numpy()
    candidates = ~blank & ~total
    # identical rows share their blank / total status, so duplicates over all rows, restricted to the
    # candidates, are the duplicates among the candidates (without copying the frame)
    if duplicates is not None:
        dup, firsts = duplicates(data, rows, candidates)
    else:
        dup, first_pos = groups.duplicated([data.iloc[:, j] for j in range(data.shape[1])], candidates)
        firsts = rows[first_pos]
    reason = np.full(n, None, dtype=object)
    reason[blank], reason[total], reason[dup] = BLANK_ROW, TOTAL_ROW, DUPLICATE_ROW
    parts = [
        _warn(np.flatnonzero(blank), None, "Blank row; excluded.", "blank_row"),
        _warn(np.flatnonzero(total), data.iloc[np.flatnonzero(total), 0].to_numpy(),
              "Looks like a total row (no identifier); excluded so it is not counted as a person.",
              "total_row"),
    ]
    if dup.any():
        msgs = [f"Exact duplicate of row {f}; excluded." for f in firsts]
        parts.append(_warn(np.flatnonzero(dup), None, msgs, "duplicate_row"))
    return reason, pd.concat(parts, ignore_index=True)


def blank_rows(data: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is blank or spaces. Each column is looked at only for the rows still
    blank in the columns before it: after the first column that is always filled, none are left."""
    left = np.arange(len(data))
    for j in range(data.shape[1]):
        if not len(left):
            break
        cells = data.iloc[:, j] if len(left) == len(data) else data.iloc[left, j]
        left = left[(cells.astype(str).str.strip() == "").to_numpy()]
    blank = np.zeros(len(data), dtype=bool)
    blank[left] = True
    return blank


def _warn(pos: np.ndarray, value, message, code: str) -> pd.DataFrame:
    return pd.DataFrame({"pos": pos, "column": None, "value": value, "message": message,
                         "severity": "warning", "code": code},
                        columns=["pos", "column", "value", "message", "severity", "code"])
