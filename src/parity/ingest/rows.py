"""Rows that are not data: blank rows, stray total rows and exact duplicates (docs/ingest.md).

They are excluded with a reason and reported as warnings, so the reconciliation always adds up:
rows read = rows accepted + rows excluded by reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parity.contract.lookup import normalise_label
from parity.ingest.problems import BLANK_ROW, DUPLICATE_ROW, TOTAL_ROW

TOTAL_WORDS = {"total", "totals", "grandtotal", "overalltotal", "sum"}


def structural_exclusions(data: pd.DataFrame, rows: np.ndarray, id_text: list[pd.Series],
                          duplicates=None) -> tuple[np.ndarray, pd.DataFrame]:
    """Per-row exclusion reason (None = keep) and the warning issues that explain them.

    `duplicates(data, rows, candidates)`, when given, returns (duplicate mask, row number of each
    duplicate's first copy): a file read in chunks finds copies of rows in earlier chunks that way
    (`parity.ingest.chunked.SeenRows`). Without it the rows in `data` are all there is."""
    n = len(data)
    nonblank = np.zeros(n, dtype=bool)
    for col in data.columns:
        nonblank |= (data[col].astype(str).str.strip() != "").to_numpy()
    blank = ~nonblank
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
        dup = data.duplicated(keep="first").to_numpy() & candidates
        firsts = _first_copies(data, rows, candidates, dup) if dup.any() else None
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


def _first_copies(data: pd.DataFrame, rows: np.ndarray, candidates: np.ndarray, dup: np.ndarray) -> np.ndarray:
    """Row number of the first copy of each duplicate row in `dup`."""
    h = pd.Series(pd.util.hash_pandas_object(data, index=False).to_numpy())
    cand = h[candidates]
    first_row = pd.Series(rows[candidates], index=cand.to_numpy())[~cand.duplicated().to_numpy()]
    return first_row.reindex(h[dup].to_numpy()).to_numpy()


def _warn(pos: np.ndarray, value, message, code: str) -> pd.DataFrame:
    return pd.DataFrame({"pos": pos, "column": None, "value": value, "message": message,
                         "severity": "warning", "code": code},
                        columns=["pos", "column", "value", "message", "severity", "code"])
