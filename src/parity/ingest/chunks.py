"""Read a large file a chunk of rows at a time (docs/ingest.md "Speed": national scale, issue 19).

A file with more rows than one chunk (`CHUNK_ROWS`, about a million) is read in chunks when its
format allows it without changing a single row number or value: **Parquet** (row groups read in
batches, `pyarrow.parquet.ParquetFile.iter_batches`) and **plain CSV** (UTF-8, one line per row, a
one-line header with unique names; Arrow's streaming CSV reader). Anything else (XLSX, a CSV with
mixed encodings, quoted line breaks, title rows, short or long lines) is read whole as before, so
its row numbers and messages stay exactly those of `parity.ingest.readers`.

Each chunk is a `RawFrame` whose ``rows`` are the file's row numbers and whose ``start`` is the
position of its first row in the file; ``total_rows`` is the file's row count. The limits are
checked for the whole file before the first chunk is read, as for a file read at once.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from parity.ingest.limits import Limits, check
from parity.ingest.readers import (
    LATE_HEADER_ROWS,
    RawFrame,
    _unique_headers,
    find_header,
    parquet_text,
    release_memory,
    scan_lines,
    use_fast_pool,
)

#: rows per chunk: about 1 GB of memory at the peak for a 14-column table
CHUNK_ROWS = 1_000_000
#: files up to this many rows are read at once (one pass, under about 2 GB): the 1 M-row import keeps
#: its speed, and only longer files pay for the whole-file hashes and the staging table
WHOLE_ROWS = 2_000_000
_BLOCK = 1 << 24


class NotPlain(Exception):
    """The file cannot be read in chunks exactly as it would be read at once: read it whole."""


class Chunks:
    """A file read in chunks: `first` (limits checked), then `rest`; `again` reads it once more."""

    #: the row number of the file's first row (Parquet record 1; CSV row 2, below the header)
    first_row = 1

    def __init__(self, path: Path, total_rows: int, chunk_rows: int, limits: Limits):
        self.path, self.total_rows, self.chunk_rows, self.limits = path, total_rows, chunk_rows, limits
        self._it: Iterator[RawFrame] | None = None

    def first(self, expected: set[str]) -> RawFrame:
        self.check_limits()
        self._it = self.again()
        return next(self._it)

    def row_numbers(self, pos: np.ndarray) -> np.ndarray:
        """The file's row numbers of positions `pos` (from 0)."""
        return np.asarray(pos, dtype=np.int64) + self.first_row

    def rest(self) -> Iterator[RawFrame]:
        assert self._it is not None
        yield from self._it

    def check_limits(self) -> None:
        raise NotImplementedError

    def again(self) -> Iterator[RawFrame]:
        raise NotImplementedError


class ParquetChunks(Chunks):
    def check_limits(self) -> None:
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(self.path).metadata
        check(self.limits, "max_file_bytes", self.path.stat().st_size, self.path.name)
        check(self.limits, "max_columns", meta.num_columns, self.path.name)
        check(self.limits, "max_cells", meta.num_rows * meta.num_columns, self.path.name,
              detail=f"({meta.num_rows:,} rows x {meta.num_columns:,} columns)")

    def again(self) -> Iterator[RawFrame]:
        import pyarrow.parquet as pq

        start = 0
        for batch in pq.ParquetFile(self.path).iter_batches(batch_size=self.chunk_rows):
            data = parquet_text(batch)
            del batch
            yield RawFrame(self.path.name, data, np.arange(start, start + len(data)) + 1,
                           total_rows=self.total_rows, start=start)
            start += len(data)
            release_memory()


class CsvChunks(Chunks):
    """A plain CSV (see the module docstring) streamed by Arrow; row n of the file is line n."""

    first_row = 2

    def __init__(self, path: Path, total_rows: int, chunk_rows: int, limits: Limits, names: list[str],
                 lines: int):
        super().__init__(path, total_rows, chunk_rows, limits)
        self.names, self.lines = names, lines

    def first(self, expected: set[str]) -> RawFrame:
        import csv

        with self.path.open(encoding="utf-8", newline="") as f:
            head = [line for _, line in zip(range(LATE_HEADER_ROWS), f, strict=False)]
        if find_header(list(csv.reader(head)), expected, self.path.name):  # title rows above the header
            raise NotPlain(self.path.name)
        return super().first(expected)

    def check_limits(self) -> None:
        width = len(self.names)
        check(self.limits, "max_columns", width, self.path.name)
        check(self.limits, "max_cells", self.lines * width, self.path.name,
              detail=f"({self.lines:,} lines x {width:,} columns)")

    def again(self) -> Iterator[RawFrame]:
        import pandas as pd
        import pyarrow as pa
        import pyarrow.csv as pacsv

        try:  # Arrow reads the first block on opening: a bad line there means the file is not plain
            reader = pacsv.open_csv(self.path, read_options=pacsv.ReadOptions(
                skip_rows=1, column_names=self.names, block_size=_BLOCK, encoding="utf8"),
                parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
                convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(self.names, pa.large_string()),
                                                      strings_can_be_null=False, quoted_strings_can_be_null=False))
        except (pa.ArrowInvalid, ValueError) as exc:
            raise NotPlain(self.path.name) from exc
        start, pending, held = 0, [], 0
        for batch in _then_none(_plain(reader, self.path.name)):
            if batch is not None:
                pending.append(pa.Table.from_batches([batch]))
                held += batch.num_rows
            while held >= self.chunk_rows or (batch is None and held):
                table = pa.concat_tables(pending)
                take = min(self.chunk_rows, held)
                data = pd.DataFrame(dict(enumerate(c.to_pandas() for c in table.slice(0, take).columns)))
                data.columns = _unique_headers(self.names)
                rest = table.slice(take)
                pending, held = ([rest] if rest.num_rows else []), rest.num_rows
                del table
                yield RawFrame(self.path.name, data, np.arange(start, start + len(data)) + 2,
                               lines=self.lines, total_rows=self.total_rows, start=start)
                start += len(data)
                release_memory()
            if batch is None:
                break


def _plain(reader, name: str) -> Iterator:
    """The reader's batches; a line Arrow cannot read (blank, short or long) means the file is not plain."""
    import pyarrow as pa

    try:
        yield from reader
    except (pa.ArrowInvalid, ValueError) as exc:
        raise NotPlain(name) from exc


def _then_none(reader) -> Iterator:
    yield from reader
    yield None


def plan(path: str | Path, *, sheet: str | None, limits: Limits, chunk_rows: int,
         whole_rows: int | None = None) -> Chunks | None:
    """The chunked reader (chunks of `chunk_rows`) for `path` when it has more rows than `whole_rows`
    (default `chunk_rows`) and its format can be read in chunks exactly as it would be at once; else
    None (read it whole)."""
    use_fast_pool()
    whole_rows = chunk_rows if whole_rows is None else whole_rows
    path = Path(path)
    if not path.is_file() or sheet is not None or path.stat().st_size > limits.max_file_bytes:
        return None
    head = path.open("rb").read(8)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls") or head.startswith(b"PK\x03\x04"):
        return None
    try:
        if suffix in (".parquet", ".pq") or head.startswith(b"PAR1"):
            import pyarrow.parquet as pq

            rows = pq.ParquetFile(path).metadata.num_rows
            return ParquetChunks(path, rows, chunk_rows, limits) if rows > whole_rows else None
        return _plain_csv(path, limits, chunk_rows, whole_rows)
    except Exception:  # noqa: BLE001 — anything odd is for the whole-file reader to explain
        return None


def _plain_csv(path: Path, limits: Limits, chunk_rows: int, whole_rows: int) -> CsvChunks | None:
    """A `CsvChunks` when the CSV is plain (module docstring) and longer than a chunk."""
    import csv

    lines = scan_lines(path, limits)
    if lines - 1 <= whole_rows:
        return None
    with path.open("rb") as f:
        first = f.readline()
    if first.startswith(b"\xef\xbb\xbf") or b"\r" in first.rstrip(b"\r\n") or first.endswith(b"\r"):
        return None
    names = next(csv.reader([first.decode("utf-8").rstrip("\r\n")]))
    if len(set(names)) != len(names) or any(not n.strip() for n in names) or len(names) < 2:
        return None
    if not _plain_bytes(path):
        return None
    return CsvChunks(path, lines - 1, chunk_rows, limits, names, lines)


def _plain_bytes(path: Path) -> bool:
    """Valid UTF-8, no NUL byte, no carriage return outside a CRLF line end, and no line break inside
    quotes (so every line is one row and row n is line n)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    inside = False  # inside quotes at the end of the previous block
    prev_cr = False
    with path.open("rb") as f:
        while block := f.read(_BLOCK):
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                return False
            arr = np.frombuffer(block, dtype=np.uint8)
            if (arr == 0).any():
                return False
            cr = np.flatnonzero(arr == 13)
            if len(cr):
                nxt = cr + 1
                ok = np.zeros(len(cr), dtype=bool)
                within = nxt < len(arr)
                ok[within] = arr[nxt[within]] == 10
                if not ok[:-1].all() or (not ok[-1] and nxt[-1] < len(arr)):
                    return False
            if prev_cr and arr[0] != 10:
                return False
            prev_cr = bool(arr[-1] == 13)
            quotes = np.cumsum(arr == 34) + inside
            newline = np.flatnonzero(arr == 10)
            if (quotes[newline] % 2).any():
                return False
            inside = bool(quotes[-1] % 2)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return not inside and not prev_cr
