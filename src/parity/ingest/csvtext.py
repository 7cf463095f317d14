"""CSV text: decoding line by line when encodings are mixed, and accounting for every physical line.

Rules (docs/ingest.md "Reading", issue 12 items 3 and 6):

- A file that is valid UTF-8 (with or without BOM) is UTF-8. Otherwise each line is decoded on
  its own: a line that is valid UTF-8 is UTF-8, any other line Windows-1252. The file's encoding
  is the majority among lines with non-ASCII bytes, and the minority lines are reported with their
  numbers — one stray cp1252 byte no longer turns every "Café" into "CafÃ©".
- Rows read are reconciled against the file's physical lines. When a quoted field spans lines, the
  lines are accounted for (header lines + data lines in rows), row numbers become the line each row
  starts on, and a field spanning lines that look like rows of their own (an unclosed quote
  swallowing the rows after it) is an error naming the lines.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from parity.ingest.problems import WARNING, Problem

SWALLOW_SPAN = 10  # a field spanning more lines than this is never an ordinary multi-line note
SHOW_LINES = 20
MSG_MIXED = ("{file} is mostly {major}, but {n} line(s) are not: {lines}. They were read as {minor}; "
             "check those rows.")
MSG_SWALLOWED = ("A field in column {column!r} runs over lines {first} to {last} ({span} lines) and "
                 "holds text that looks like separate rows: probably a quote opened on line {first} and "
                 "not closed until line {last}. Fix the quote in the file; the lines inside were not read "
                 "as rows.")
MSG_MULTILINE = ("{k} row(s) span more than one line (rows {rows}). The file's {lines} lines = "
                 "{head} + {data} lines of data in {n} rows.")
MSG_UNCLOSED = ("Could not read {file}: the quote opened on line {line} is never closed, so the rest of "
                "the file would be one value. Fix the quote and try again.")
NAMES = {"utf-8": "UTF-8", "cp1252": "Windows-1252"}


def decode(raw: bytes, file: str) -> tuple[str, str, list[Problem]]:
    """(text, encoding, notes) for the bytes of a CSV file."""
    if b"\x00" in raw[:8192]:
        raise ValueError("it looks like a binary file, not a CSV text file")
    try:
        return raw.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        pass
    arr = np.frombuffer(raw, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10)
    starts = np.concatenate([[0], ends + 1])
    stops = np.concatenate([ends, [len(raw)]])
    lines = np.unique(np.searchsorted(ends, np.flatnonzero(arr >= 0x80)))  # lines with non-ASCII bytes
    pieces, pos, utf8, other = [], 0, [], []
    for i in lines.tolist():
        seg = raw[starts[i]:stops[i]]
        pieces.append(raw[pos:starts[i]].decode("ascii"))
        try:
            pieces.append(seg.decode("utf-8"))
            utf8.append(i)
        except UnicodeDecodeError:
            pieces.append(seg.decode("cp1252", errors="replace"))  # 5 bytes cp1252 leaves undefined
            other.append(i)
        pos = stops[i]
    pieces.append(raw[pos:].decode("ascii"))
    text = "".join(pieces).removeprefix("\ufeff")
    major, minority = ("utf-8", other) if len(utf8) >= len(other) else ("cp1252", utf8)
    notes = []
    if minority:
        shown = ", ".join(str(i + 1) for i in minority[:SHOW_LINES])
        more = f" and {len(minority) - SHOW_LINES} more" if len(minority) > SHOW_LINES else ""
        minor = NAMES["cp1252" if major == "utf-8" else "utf-8"]
        notes.append(Problem(file, None, None, None, MSG_MIXED.format(
            file=file, major=NAMES[major], n=len(minority), lines=f"line {shown}{more}" if len(minority) == 1
            else f"lines {shown}{more}", minor=minor), WARNING, "mixed_encoding"))
    return text, major, notes


def record_spans(text: str, header: int) -> tuple[list[int], list[list[str]]]:
    """Physical lines each record after the header spans (csv module rules, as pandas), and the records."""
    body = text.split("\n", header + 1)[-1] if text.count("\n") > header else ""
    reader = csv.reader(io.StringIO(body, newline=""))
    spans, records, before = [], [], 0
    for rec in reader:
        spans.append(reader.line_num - before)
        records.append(rec)
        before = reader.line_num
    return spans, records


def unclosed_quote_line(text: str, header: int) -> int:
    """The line of the quote that never closes (the start of the last record)."""
    spans, _ = record_spans(text, header)
    return header + 2 + sum(spans[:-1]) if spans else header + 2


def account(text: str, header: int, physical: int, n_rows: int, columns: list[str], file: str):
    """(row numbers, row issues, notes) when records span lines; None when every row is one line."""
    if header + 1 + n_rows >= physical:
        return None
    spans, records = record_spans(text, header)
    if len(spans) != n_rows:  # the csv module and pandas disagree: keep pandas' rows, say nothing wrong
        return None
    starts = header + 2 + np.concatenate([[0], np.cumsum(spans[:-1])]).astype(int) if spans else np.array([], int)
    issues = []
    width = len(columns)
    for k, (span, rec) in enumerate(zip(spans, records, strict=True)):
        if span < 3:
            continue
        for j, value in enumerate(rec):
            parts = value.split("\n")
            rowlike = sum(p.count(",") >= width - 1 for p in parts[1:])
            if len(parts) > 2 and (rowlike >= 2 or span > SWALLOW_SPAN):
                column = columns[j] if j < width else f"column {j + 1}"
                first, last = int(starts[k]), int(starts[k]) + span - 1
                issues.append((first, column, f"lines {first}-{last}", MSG_SWALLOWED.format(
                    column=column, first=first, last=last, span=span), "swallowed_lines"))
                break
    multi = [int(starts[k]) for k, s in enumerate(spans) if s > 1]
    head = "1 header line" if header == 0 else f"{header + 1} title and header lines"
    shown = ", ".join(map(str, multi[:SHOW_LINES])) + (" …" if len(multi) > SHOW_LINES else "")
    notes = [Problem(file, None, None, None, MSG_MULTILINE.format(
        k=len(multi), rows=shown, lines=physical, head=head, data=int(sum(spans)), n=n_rows),
        WARNING, "multiline_rows")]
    return starts, issues, notes
