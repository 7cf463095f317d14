"""Read an XLSX sheet as Excel shows it (docs/ingest.md "Reading", issue 12 item 4, issue 11 limits).

- The sheet read is ``--sheet``, else the workbook's **active** sheet (the one Excel opens on),
  else the first visible one; a hidden first sheet is never read by default. When the workbook
  has several sheets, a warning names the sheet read and the others.
- **Merged cells** are filled from their top-left cell, because that is what the sheet shows (a
  merged ``org_code`` down 500 rows means that code for all of them); a warning lists the ranges.
- **Formulas without a saved value** (files written by scripts, never opened and saved in Excel)
  are errors naming the cell, not blanks.
- Before openpyxl inflates anything: zip member sizes and ratios, then the sheet's declared
  dimension, are checked against `Limits`; cells and columns are counted while streaming.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd

from parity.ingest.limits import Limits, check
from parity.ingest.problems import MSG_EMPTY, WARNING, Problem, file_error

MSG_SHEET_READ = ("Read sheet {sheet!r} ({why}); the workbook also has {others}. "
                  "Use --sheet NAME to read another.")
MSG_MERGED = ("Merged cells were filled from their top-left cell, as the sheet shows them: {ranges}. "
              "Check these rows if the merge was only formatting.")
MSG_FORMULA = ("Cell {ref} ({column}) holds a formula ({formula}) with no saved value, so its value is "
               "unknown. Open the file in Excel and save it (Excel stores the values), or paste values.")
CODE_FORMULA = "formula_without_value"
SHOW_RANGES = 20


@dataclass
class SheetScan:
    """What the sheet XML says beyond the values openpyxl gives: merged ranges, formulas without values."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_col, min_row, max_col, max_row
    formulas: list[tuple[int, int, str]] = field(default_factory=list)  # row, column (1-based), formula


_CELL = re.compile(rb"<c\s([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_VALUE = re.compile(rb"<v>[^<]+</v>")
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]{1,3}[0-9]+(?::[A-Z]{1,3}[0-9]+)?)"')


def check_zip(path: Path, limits: Limits) -> None:
    """Zip-bomb check from the member sizes the archive declares (zipfile never inflates beyond them)."""
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


def scan_sheet(ws, chunk: int = 1 << 20) -> SheetScan:
    """Stream the sheet's XML once for merged ranges and formula cells without a saved value."""
    from openpyxl.utils.cell import column_index_from_string, range_boundaries

    out = SheetScan()
    tail = b""
    with ws._get_source() as src:  # the zip member openpyxl reads the sheet from
        while True:
            block = src.read(chunk)
            buf = tail + block
            cut = len(buf) if not block else max(buf.rfind(b"</row>") + 6, buf.rfind(b"<mergeCell"))
            if block and cut <= 0:
                cut = len(buf) if len(buf) > 8 * chunk else 0  # keep reading until a row closes
            part, tail = buf[:cut], buf[cut:]
            if b"<f" in part:
                for m in _CELL.finditer(part):
                    inner = m.group(2) or b""
                    f = _FORMULA.search(inner)
                    ref = _REF.search(m.group(1))
                    if f and ref and not _VALUE.search(inner):
                        text = unescape((f.group(1) or b"").decode("utf-8", "replace"))
                        out.formulas.append((int(ref.group(2)), column_index_from_string(ref.group(1).decode()),
                                             "=" + text if text else "a shared formula"))
            for m in _MERGE.finditer(part):
                out.merges.append(range_boundaries(m.group(1).decode()))
            if not block:
                break
    return out


def choose_sheet(wb, sheet: str | None, name: str):
    """(worksheet, note): ``--sheet``, else the active sheet, else the first visible one."""
    if sheet is not None:
        if sheet not in wb.sheetnames:
            raise file_error(name, f"{name} has no sheet {sheet!r}; its sheets are: "
                             f"{', '.join(wb.sheetnames)}. Use --sheet with one of those.", "unknown_sheet")
        return wb[sheet], None
    sheets = wb.worksheets
    active = wb.active
    visible = [w for w in sheets if w.sheet_state == "visible"]
    if active is not None and active.sheet_state == "visible":
        ws, why = active, "the active sheet"
    else:
        ws, why = (visible or sheets)[0], "the first visible sheet"
    note = None
    if len(sheets) > 1:
        others = ", ".join(repr(w.title) + ("" if w.sheet_state == "visible" else f" ({w.sheet_state})")
                           for w in sheets if w is not ws)
        note = Problem(name, None, None, ws.title, MSG_SHEET_READ.format(sheet=ws.title, why=why, others=others),
                       WARNING, "sheet_read")
    return ws, note


def sheet_rows(ws, name: str, limits: Limits, cell_text) -> list[list[str]]:
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
        rows.append([cell_text(v) for v in r])
    return rows


def fill_merged(rows: list[list[str]], merges, name: str, limits: Limits) -> None:
    """Copy each merged range's top-left value into its other cells (in place)."""
    check(limits, "max_cells", sum((c2 - c1 + 1) * (r2 - r1 + 1) for c1, r1, c2, r2 in merges), name,
          detail="(in merged ranges)")
    for c1, r1, c2, r2 in merges:
        while len(rows) < r2:
            rows.append([])
        top = rows[r1 - 1]
        value = top[c1 - 1] if len(top) >= c1 else ""
        for r in range(r1, r2 + 1):
            row = rows[r - 1]
            if len(row) < c2:
                row.extend([""] * (c2 - len(row)))
            row[c1 - 1:c2] = [value] * (c2 - c1 + 1)


def read_xlsx(path: Path, sheet: str | None, expected: set[str], limits: Limits):
    import openpyxl
    from openpyxl.utils.cell import get_column_letter

    from parity.ingest.readers import RawFrame, _cell_text, _unique_headers, find_header

    check_zip(path, limits)
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws, note = choose_sheet(wb, sheet, path.name)
        rows = sheet_rows(ws, path.name, limits, _cell_text)
        scan = scan_sheet(ws)
        title = ws.title
    finally:
        wb.close()
    if not rows:
        raise file_error(path.name, MSG_EMPTY, "empty_file")
    header = find_header(rows, expected, path.name)
    if header is None:
        raise file_error(path.name, MSG_EMPTY, "empty_file")
    merges = [m for m in scan.merges if m[3] > header + 1]  # ranges reaching the data rows
    fill_merged(rows, merges, path.name, limits)
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
    notes = [note] if note else []
    if merges:
        ranges = [f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}" for c1, r1, c2, r2 in merges]
        more = f" and {len(ranges) - SHOW_RANGES} more" if len(ranges) > SHOW_RANGES else ""
        notes.append(Problem(path.name, None, None, None, MSG_MERGED.format(
            ranges=", ".join(ranges[:SHOW_RANGES]) + more), WARNING, "merged_cells_filled"))
    column_of = {i: c for i, c in zip(keep, data.columns, strict=True)}
    cells = [(r, column_of[c - 1], f"{get_column_letter(c)}{r}", f)
             for r, c, f in scan.formulas if header + 1 < r <= header + 1 + last and c - 1 in column_of]
    frame = RawFrame(path.name, data, np.arange(last) + header + 2, sheet=title, notes=notes)
    frame.cell_issues = [(r, col, formula, MSG_FORMULA.format(ref=ref, column=col, formula=formula), CODE_FORMULA)
                         for r, col, ref, formula in cells]
    return frame
