"""Read CSV, XLSX and Parquet files into a frame of strings, remembering each row's number.

Rules implemented (see docs/ingest.md "Reading"):

- Everything is read as text first; `parity.ingest.parse` turns it into typed values per column.
- CSV: UTF-8 (with or without BOM), else decoded line by line, UTF-8 or Windows-1252, with the
  minority lines reported (`parity.ingest.csvtext`); physical lines are accounted for.
- XLSX: see `parity.ingest.xlsx` (active sheet, merged cells, formulas).
- Extracts often carry title rows above the header, so the header is the row within the first 20
  whose cells best match the expected column names (CSV and XLSX); one further down is an error.
- Before anything large is allocated, the file is checked against `parity.ingest.limits.Limits`
  (file size; XLSX zip member sizes and ratios and the declared sheet dimension; CSV line length
  and header width while streaming; Parquet columns and cells from its metadata).
- Row numbers are as the user sees them: CSV header = row 1 (first data row = 2, or later when
  title rows sit above the header; when quoted fields span lines, the line each row starts on); XLSX = sheet row numbers; Parquet = 1-based record number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from parity.contract.lookup import normalise_label
from parity.ingest.limits import DEFAULT, Limits, check
from parity.ingest.problems import MSG_EMPTY, MSG_UNREADABLE, file_error

HEADER_SEARCH_ROWS = 20
LATE_HEADER_ROWS = 500  # how far down a header outside the search window is noticed (to say so)
MSG_LATE_HEADER = ("{file}: the header row seems to be row {row} (it has {names}), but the header is looked "
                   "for in the first {n} rows only. Delete the title rows above it and try again.")
MSG_RAGGED = ("Could not read {file}: line {line} has {saw} fields but the header (row {header}) has "
              "{expected}. Check that line for a stray comma or quote, or a header row that is not the real one.")


@dataclass
class RawFrame:
    """The file as text: ``data`` has the source headers; ``rows`` the user-visible row numbers."""

    file: str
    data: pd.DataFrame
    rows: np.ndarray
    encoding: str | None = None
    #: XLSX: the sheet read
    sheet: str | None = None
    #: file-level notes for the report (which sheet was read, merged cells filled, …)
    notes: list = field(default_factory=list)
    #: row-level problems found while reading: (row number, source column, value, message, code)
    cell_issues: list = field(default_factory=list)
    #: CSV: physical lines in the file
    lines: int | None = None
    #: a chunk of a file read in chunks (`parity.ingest.chunks`): the file's rows, and the position
    #: (from 0) of this chunk's first row among them
    total_rows: int | None = None
    start: int = 0


def read_raw(path: str | Path, *, sheet: str | None = None, expected: set[str] = frozenset(),
             limits: Limits = DEFAULT) -> RawFrame:
    """Read `path` into a `RawFrame`; `expected` holds normalised column names for header detection.

    Raises `parity.ingest.limits.LimitExceeded` (before reading the bulk of the file) when it goes
    beyond `limits`, and `FileProblem` for other file-level problems.
    """
    use_fast_pool()
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
            from parity.ingest.xlsx import read_xlsx

            frame = read_xlsx(path, sheet, expected, limits)
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
    release_memory()
    return frame


def use_fast_pool() -> None:
    """Arrow's jemalloc pool instead of pyarrow's default mimalloc, unless ARROW_DEFAULT_MEMORY_POOL
    chooses one. With mimalloc the 1 M-row import spent 5.2-5.6 s of system time (its first CSV read
    alone 2.4-2.9 s CPU against 0.6-0.8 s); jemalloc cut the import's CPU by about a fifth and its
    peak by 70 MB (docs/ingest.md "Speed", issue 19). Process-wide, as Arrow's pool is."""
    import os

    import pyarrow as pa

    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL") or pa.default_memory_pool().backend_name != "mimalloc":
        return
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # a pyarrow built without jemalloc: keep the default
        return


def release_memory() -> None:
    """Give Arrow's freed memory back to the system. Arrow's allocator keeps freed blocks for reuse,
    which after reading a large file held a few hundred MB the rest of the import never reused
    (issue 19: peak memory)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


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


def find_header(rows: list[list[str]], expected: set[str], file: str) -> int | None:
    """The header row (0-based) within the first 20 rows; a clear error if it sits further down."""
    best = _header_index(rows, expected)
    score = lambda cells: sum(normalise_label(c) in expected for c in cells if c)  # noqa: E731
    here = score(rows[best]) if best is not None else 0
    for i, cells in enumerate(rows[HEADER_SEARCH_ROWS:LATE_HEADER_ROWS], start=HEADER_SEARCH_ROWS):
        if score(cells) >= max(2, here + 1):
            names = ", ".join(c for c in cells if c and normalise_label(c) in expected)
            raise file_error(file, MSG_LATE_HEADER.format(file=file, row=i + 1, names=names,
                                                          n=HEADER_SEARCH_ROWS), "header_not_found")
    return best


def _unique_headers(cells: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, c in enumerate(cells):
        c = str(c).strip() or f"column {i + 1}"
        seen[c] = seen.get(c, 0) + 1
        out.append(c if seen[c] == 1 else f"{c} ({seen[c]})")
    return out


_LAST_SCAN: dict = {}


def scan_lines(path: Path, limits: Limits, chunk: int = 1 << 20) -> int:
    """Stream the file once: its physical line count, stopping at the first line over the limit.

    The last count is remembered (by path, size, modification time and limit), because deciding
    whether to read a CSV in chunks (`parity.ingest.chunks.plan`) counts the lines just before the
    reader does."""
    st = Path(path).stat()
    memo = (str(path), st.st_size, st.st_mtime_ns, limits.max_line_bytes)
    if _LAST_SCAN.get("memo") == memo:
        return _LAST_SCAN["lines"]
    lines = _scan_lines(path, limits, chunk)
    _LAST_SCAN.update(memo=memo, lines=lines)
    return lines


def _scan_lines(path: Path, limits: Limits, chunk: int) -> int:
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
    from parity.ingest import csvtext

    lines = scan_lines(path, limits)
    raw = path.read_bytes()
    text, enc, notes = csvtext.decode(raw, path.name)
    if not text or text.isspace():  # not text.strip(): that copies the whole file
        raise file_error(path.name, MSG_EMPTY, "empty_file")
    head_lines = _head(text, LATE_HEADER_ROWS).splitlines()  # never split the whole file into lines
    head_rows = list(csv.reader(head_lines[:HEADER_SEARCH_ROWS]))
    width = max(len(r) for r in head_rows)
    check(limits, "max_columns", width, path.name)
    check(limits, "max_cells", lines * width, path.name, detail=f"({lines:,} lines x {width:,} columns)")
    late = list(csv.reader(head_lines[HEADER_SEARCH_ROWS:LATE_HEADER_ROWS]))
    header = find_header(head_rows + [r[:limits.max_columns] for r in late], expected, path.name) or 0
    fast = fast_csv(raw if not notes and enc == "utf-8" else None, text, head_lines, header)
    del raw
    try:
        data = fast if fast is not None else pd.read_csv(
            io.StringIO(text), skiprows=header, header=0, dtype=str, keep_default_na=False,
            skip_blank_lines=False, na_filter=False)
    except pd.errors.ParserError as exc:  # say which line, not the tokenizer's words
        if "EOF inside string" in str(exc):
            raise file_error(path.name, csvtext.MSG_UNCLOSED.format(
                file=path.name, line=csvtext.unclosed_quote_line(text, header)), "unclosed_quote") from exc
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if not m:
            raise
        raise file_error(path.name, MSG_RAGGED.format(file=path.name, line=int(m[2]), saw=m[3],
                                                      expected=m[1], header=header + 1), "ragged_line") from exc
    data.columns = _unique_headers(list(data.columns))
    data = data.fillna("")
    # header is on line header+1, so data row i is on line header+2+i, unless quoted fields span lines
    rows, issues = np.arange(len(data)) + header + 2, []
    accounted = csvtext.account(text, header, lines, len(data), list(data.columns), path.name)
    if accounted is not None:
        rows, issues, more = accounted
        notes += more
    return RawFrame(path.name, data, rows, enc, notes=notes, cell_issues=issues, lines=lines)


def _head(text: str, n: int) -> str:
    """The first `n` lines of `text` (and a little more), without splitting all of it."""
    pos = -1
    for _ in range(n):
        pos = text.find("\n", pos + 1)
        if pos < 0:
            return text
    return text[:pos + 1]


def fast_csv(raw: bytes | None, text: str, head_lines: list[str], header: int) -> pd.DataFrame | None:
    """The data below the header read by Arrow's CSV reader (multi-threaded, straight into Arrow
    strings); None when the file is not plain enough for it to give exactly what the pandas reader
    gives, which then reads it (and names any bad line: ragged, unclosed quote, short rows).

    Plain enough: the header and title rows are one line each, header names are unique and not
    blank, and every row has as many fields as the header (anything else is a parse error here).
    `raw` is the file's bytes when they are UTF-8, else the decoded `text` is re-encoded.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    top = head_lines[:header + 1]
    if len(top) <= header or len(list(csv.reader(top))) != header + 1:
        return None
    names = next(csv.reader([top[header]]))
    if len(set(names)) != len(names) or any(not n.strip() for n in names):
        return None
    data = raw if raw is not None else text.encode("utf-8")
    skip = 0
    for _ in range(header):  # the title lines: the bytes up to the header's line
        skip = data.find(b"\n", skip) + 1
        if skip == 0:  # lines end in a bare carriage return: not plain enough
            return None
    if len(data[:skip].decode("utf-8-sig").splitlines()) != header:  # another line break among them
        return None
    if data.count(b'"') % 2:  # a quote never closed (Arrow would read to the end): pandas names the line
        return None
    buf = pa.py_buffer(data)
    try:
        table = pacsv.read_csv(pa.BufferReader(buf.slice(skip)), parse_options=pacsv.ParseOptions(
            newlines_in_values=True, ignore_empty_lines=False), convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.large_string()), strings_can_be_null=False,
            quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, ValueError):
        return None
    if table.column_names != names:
        return None
    return table.to_pandas()  # large strings: pandas' own text storage, so no copy-and-cast per column


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


def _read_parquet(path: Path, limits: Limits) -> RawFrame:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    check(limits, "max_columns", meta.num_columns, path.name)
    check(limits, "max_cells", meta.num_rows * meta.num_columns, path.name,
          detail=f"({meta.num_rows:,} rows x {meta.num_columns:,} columns)")
    data = parquet_text(pq.read_table(path))
    return RawFrame(path.name, data, np.arange(len(data)) + 1)


def parquet_text(table) -> pd.DataFrame:
    """A Parquet table (or record batch) as text columns: timestamps as date and time, missing as ""."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_timestamp(col.type):
            col = pc.strftime(col, format="%Y-%m-%d %H:%M:%S")
        elif not pa.types.is_string(col.type):
            col = pc.cast(col, pa.string())
        cols[str(name)] = pc.fill_null(col, "").to_pandas()  # Arrow-backed text, not Python objects
    data = pd.DataFrame(cols)
    data.columns = _unique_headers(list(data.columns))
    return data
