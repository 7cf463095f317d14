"""Read CSV, XLSX and Parquet files into a frame of strings, remembering each row's number.

Rules implemented (see docs/ingest.md "Reading"):

- Everything is read as text first; `parity.ingest.parse` turns it into typed values per column.
- CSV: UTF-8, UTF-8 with BOM, then Windows-1252 — detected by trying to decode in that order.
- XLSX: the first sheet or ``sheet``. Extracts often carry title rows above the header, so the
  header is the row within the first 20 whose cells best match the expected column names.
  The same detection applies to CSV files.
- Before anything large is allocated, the file is checked against `parity.ingest.limits.Limits`
  (file size; XLSX zip member sizes and ratios and the declared sheet dimension; CSV line length
  and header width while streaming; Parquet columns and cells from its metadata).
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
from parity.ingest.limits import DEFAULT, Limits, check
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


def read_raw(path: str | Path, *, sheet: str | None = None, expected: set[str] = frozenset(),
             limits: Limits = DEFAULT) -> RawFrame:
    """Read `path` into a `RawFrame`; `expected` holds normalised column names for header detection.

    Raises `parity.ingest.limits.LimitExceeded` (before reading the bulk of the file) when it goes
    beyond `limits`, and `FileProblem` for other file-level problems.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise file_error(name, MSG_UNREADABLE.format(file=name, reason="no such file"), "unreadable_file")
    check(limits, "max_file_bytes", path.stat().st_size, name)
    head = path.open("rb").read(8)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise file_error(name, MSG_UNREADABLE.format(
            file=name, reason="old .xls workbooks are not supported; save it as .xlsx or CSV"), "unreadable_file")
    try:
        if suffix in (".xlsx", ".xlsm") or head.startswith(b"PK\x03\x04"):
            frame = _read_xlsx(path, sheet, expected, limits)
        elif suffix in (".parquet", ".pq") or head.startswith(b"PAR1"):
            frame = _read_parquet(path, limits)
        else:
            frame = _read_csv(path, expected, limits)
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


def scan_lines(path: Path, limits: Limits, chunk: int = 1 << 20) -> int:
    """Stream the file once: its physical line count, stopping at the first line over the limit."""
    lines, current, last = 0, 0, b"\n"  # current = length of the line still open at the block end
    with path.open("rb") as f:
        while block := f.read(chunk):
            ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 10)
            if len(ends):
                lengths = np.diff(ends, prepend=-1 - current) - 1  # complete lines ending in this block
                current = len(block) - int(ends[-1]) - 1
            else:
                lengths, current = np.empty(0, dtype=np.int64), current + len(block)
            over = np.flatnonzero(lengths > limits.max_line_bytes)
            if len(over) or current > limits.max_line_bytes:
                at = int(over[0]) if len(over) else len(ends)
                check(limits, "max_line_bytes", int(lengths[at]) if len(over) else current, path.name,
                      detail=f"(line {lines + at + 1:,})")
            lines += len(ends)
            last = block[-1:]
    return lines + (last != b"\n")


def _read_csv(path: Path, expected: set[str], limits: Limits) -> RawFrame:
    lines = scan_lines(path, limits)
    text, enc = _decode(path)
    if not text.strip():
        raise file_error(path.name, MSG_EMPTY, "empty_file")
    head_rows = list(csv.reader(text.splitlines()[:HEADER_SEARCH_ROWS]))
    width = max(len(r) for r in head_rows)
    check(limits, "max_columns", width, path.name)
    check(limits, "max_cells", lines * width, path.name, detail=f"({lines:,} lines x {width:,} columns)")
    header = _header_index(head_rows, expected) or 0
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


def check_zip(path: Path, limits: Limits) -> None:
    """Zip-bomb check from the member sizes the archive declares (zipfile never inflates beyond them)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        members = z.infolist()
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    check(limits, "max_decompressed_bytes", total, path.name)
    small = 1 << 20  # a member below 1 MiB cannot hurt whatever its ratio (tiny XML parts compress 100x)
    for m in members:
        if m.file_size > small:
            check(limits, "max_compression_ratio", m.file_size / max(m.compress_size, 1), path.name,
                  detail=f"(member {m.filename})")
    if total > small:
        check(limits, "max_compression_ratio", total / max(packed, 1), path.name, detail="(whole workbook)")


def _sheet_rows(ws, name: str, limits: Limits) -> list[list[str]]:
    """The sheet's rows as text, checking the declared dimension first and the cells while streaming."""
    if ws.max_row and ws.max_column:
        declared = (ws.max_row - (ws.min_row or 1) + 1) * (ws.max_column - (ws.min_column or 1) + 1)
        check(limits, "max_xlsx_dimension_cells", declared, name,
              detail=f"(sheet {ws.title!r} declares {ws.calculate_dimension()})")
    # Without a declared size openpyxl pads no row: each row is as wide as its last cell, and a
    # wrong (too small) dimension cannot truncate the data.
    ws.reset_dimensions()
    rows, cells, width = [], 0, 0
    for r in ws.iter_rows(values_only=True):
        cells += len(r)
        if len(r) > width:
            width = len(r)
            check(limits, "max_columns", width, name, detail=f"(row {len(rows) + 1})")
        if cells > limits.max_cells:
            check(limits, "max_cells", cells, name, detail=f"(reached at row {len(rows) + 1})")
        rows.append([_cell_text(v) for v in r])
    return rows


def _read_xlsx(path: Path, sheet: str | None, expected: set[str], limits: Limits) -> RawFrame:
    import openpyxl

    check_zip(path, limits)
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise file_error(path.name, f"{path.name} has no sheet {sheet!r}; its sheets are: "
                             f"{', '.join(wb.sheetnames)}. Use --sheet with one of those.", "unknown_sheet")
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        rows = _sheet_rows(ws, path.name, limits)
    finally:
        wb.close()
    if not rows:
        raise file_error(path.name, MSG_EMPTY, "empty_file")
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


def _read_parquet(path: Path, limits: Limits) -> RawFrame:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    check(limits, "max_columns", meta.num_columns, path.name)
    check(limits, "max_cells", meta.num_rows * meta.num_columns, path.name,
          detail=f"({meta.num_rows:,} rows x {meta.num_columns:,} columns)")
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
