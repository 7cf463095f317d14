"""Read CSV, XLSX and Parquet files into a frame of strings, remembering each row's number.

Rules implemented (see docs/ingest.md "Reading"):

- Everything is read as text first; `parity.ingest.parse` turns it into typed values per column.
- CSV: UTF-8, UTF-8 with BOM, then Windows-1252 — detected by trying to decode in that order.
- XLSX: the first sheet or ``sheet``. Extracts often carry title rows above the header, so the
  header is the row within the first 20 whose cells best match the expected column names.
  The same detection applies to CSV files.
- Row numbers are as the user sees them: CSV header = row 1 (first data row = 2, or later when
  title rows sit above the header); XLSX = sheet row numbers; Parquet = 1-based record number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from parity.contract.lookup import normalise_label
from parity.ingest.problems import MSG_EMPTY, MSG_UNREADABLE, file_error

HEADER_SEARCH_ROWS = 20
ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass
class RawFrame:
    """The file as text: ``data`` has the source headers; ``rows`` the user-visible row numbers."""

    file: str
    data: pd.DataFrame
    rows: np.ndarray
    encoding: str | None = None


def read_raw(path: str | Path, *, sheet: str | None = None, expected: set[str] = frozenset()) -> RawFrame:
    """Read `path` into a `RawFrame`; `expected` holds normalised column names for header detection."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise file_error(name, MSG_UNREADABLE.format(file=name, reason="no such file"), "unreadable_file")
    head = path.open("rb").read(8)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise file_error(name, MSG_UNREADABLE.format(
            file=name, reason="old .xls workbooks are not supported; save it as .xlsx or CSV"), "unreadable_file")
    try:
        if suffix in (".xlsx", ".xlsm") or head.startswith(b"PK\x03\x04"):
            frame = _read_xlsx(path, sheet, expected)
        elif suffix in (".parquet", ".pq") or head.startswith(b"PAR1"):
            frame = _read_parquet(path)
        else:
            frame = _read_csv(path, expected)
    except Exception as exc:  # any library failure on a bad file becomes one clear file-level error
        if hasattr(exc, "problem"):
            raise
        reason = f"{type(exc).__name__}: {exc}".strip()
        raise file_error(name, MSG_UNREADABLE.format(file=name, reason=reason), "unreadable_file") from exc
    if frame.data.shape[0] == 0 or frame.data.shape[1] == 0:
        raise file_error(name, MSG_EMPTY, "empty_file")
    return frame


def _header_index(rows: list[list[str]], expected: set[str]) -> int | None:
    """The row (0-based) within the first rows that best matches `expected`; None if all blank."""
    best, best_score = None, 0
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = sum(normalise_label(c) in expected for c in cells if c)
        if score > best_score:
            best, best_score = i, score
    if best is None:  # nothing matched: the first non-blank row is the header
        best = next((i for i, cells in enumerate(rows) if any(str(c).strip() for c in cells)), None)
    return best


def _unique_headers(cells: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, c in enumerate(cells):
        c = str(c).strip() or f"column {i + 1}"
        seen[c] = seen.get(c, 0) + 1
        out.append(c if seen[c] == 1 else f"{c} ({seen[c]})")
    return out


def _decode(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise ValueError("it looks like a binary file, not a CSV text file")
    for enc in ENCODINGS:
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise ValueError("it is not UTF-8 or Windows-1252 text")


def _read_csv(path: Path, expected: set[str]) -> RawFrame:
    text, enc = _decode(path)
    if not text.strip():
        raise file_error(path.name, MSG_EMPTY, "empty_file")
    head_lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    header = _header_index(list(csv.reader(head_lines)), expected) or 0
    data = pd.read_csv(io.StringIO(text), skiprows=header, header=0, dtype=str, keep_default_na=False,
                       skip_blank_lines=False, na_filter=False)
    data.columns = _unique_headers(list(data.columns))
    data = data.fillna("")
    # header is on line header+1, so data row i is on line header+2+i
    return RawFrame(path.name, data, np.arange(len(data)) + header + 2, enc)


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return str(v)


def _read_xlsx(path: Path, sheet: str | None, expected: set[str]) -> RawFrame:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise file_error(path.name, f"{path.name} has no sheet {sheet!r}; its sheets are: "
                             f"{', '.join(wb.sheetnames)}. Use --sheet with one of those.", "unknown_sheet")
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        rows = [[_cell_text(v) for v in r] for r in ws.iter_rows(min_row=1, values_only=True)]
    finally:
        wb.close()
    header = _header_index(rows, expected)
    if header is None:
        raise file_error(path.name, MSG_EMPTY, "empty_file")
    width = max(len(r) for r in rows)
    body = [r + [""] * (width - len(r)) for r in rows[header + 1:]]
    heads = rows[header] + [""] * (width - len(rows[header]))
    data = pd.DataFrame(body, columns=range(width), dtype=object)
    keep = [i for i in range(width) if heads[i].strip() or (len(body) and (data[i] != "").any())]
    data = data[keep].astype(str)
    data.columns = _unique_headers([heads[i] for i in keep])
    # trailing blank rows are sheet formatting, not data
    nonblank = np.flatnonzero((data.apply(lambda c: c.str.strip()) != "").any(axis=1).to_numpy())
    last = nonblank[-1] + 1 if len(nonblank) else 0
    data = data.iloc[:last].reset_index(drop=True)
    return RawFrame(path.name, data, np.arange(last) + header + 2)


def _read_parquet(path: Path) -> RawFrame:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    cols = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_timestamp(col.type):
            col = pc.strftime(col, format="%Y-%m-%d %H:%M:%S")
        elif not pa.types.is_string(col.type) and not pa.types.is_large_string(col.type):
            col = pc.cast(col, pa.string())
        cols[str(name)] = col.to_pandas().fillna("").astype(str)
    data = pd.DataFrame(cols)
    data.columns = _unique_headers(list(data.columns))
    return RawFrame(path.name, data, np.arange(len(data)) + 1)
