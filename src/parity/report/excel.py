"""The report as an Excel workbook (openpyxl).

Sheets: one per standard laid out like the NHS England data-collection return (indicator rows with
White / BME / Unknown — or Disabled / Non-disabled / Unknown — counts and rates; indicator 1 /
metric 1 as a band table), "Pay gaps" when pay data exists, "Data" (the tidy results), "Methods".
Numbers are numeric cells; a withheld number is the marker (text); every text cell passes through
`safety.neutralise`. An unsuppressed workbook carries the marking in row 1 and in the printed
header of every sheet. Mapping: docs/reports.md.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from parity.report.build import Report
from parity.report.pages import STATISTICS
from parity.report.questions import questions_version
from parity.report.safety import neutralise
from parity.report.tidy import COLUMNS, Withheld, tidy_rows
from parity.report.view import GROUPS
from parity.report.view_paygap import label as group_label

BOLD, RED = Font(bold=True), Font(bold=True, color="D5281B")
HEAD_FILL = PatternFill("solid", fgColor="E8EDEE")
NAMES = {"WRES": "Workforce Race Equality Standard", "WDES": "Workforce Disability Equality Standard"}
#: return columns after the indicator's id and title (docs/reports.md, "Excel")
INDICATOR_COLUMNS = ("numerator", "denominator", "rate")
STAT_COLUMNS = ("Value", "Unit", "Direction", "CI low", "CI high", "p-value", "Assessment")


def write_excel(report: Report, path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, result in report.standards.items():
        standard_sheet(wb.create_sheet(name), result, report)
    if report.paygap:
        paygap_sheet(wb.create_sheet("Pay gaps"), report)
    if getattr(report, "pulse", None):  # published pulse surveys (docs/pulse.md)
        from parity.pulse.excel import SHEET, pulse_sheet

        pulse_sheet(wb.create_sheet(SHEET), report)
    data_sheet(wb.create_sheet("Data"), report)
    methods_sheet(wb.create_sheet("Methods"), report)
    for ws in wb.worksheets:
        finish(ws)
        if report.marking:  # printed on every page of every sheet, too
            ws.oddHeader.center.text = report.marking
            ws.oddHeader.center.color = "D5281B"
        ws.oddFooter.right.text = "Page &P of &N"
    stamp = fixed_time(report)
    wb.properties.created = wb.properties.modified = stamp
    wb.save(path)
    _fix_zip_times(path, stamp)
    return path


def fixed_time(report: Report) -> dt.datetime:
    """The workbook's date: the report's ``generated_on``, else 31 March of its year (never "now",
    so the same inputs give the same bytes: issue 12.15)."""
    if report.generated_on:
        return dt.datetime.fromisoformat(str(report.generated_on)[:10])
    return dt.datetime(int(report.year), 3, 31)


def _fix_zip_times(path: Path, stamp: dt.datetime) -> None:
    """Rewrite the XLSX zip with every entry dated `stamp` (zipfile dates entries with the clock, and
    openpyxl sets docProps ``modified`` to the clock while saving)."""
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info)) for info in src.infolist()]
    fixed_modified = f"<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{stamp:%Y-%m-%dT%H:%M:%S}Z</dcterms:modified>"
    entries = [(info, re.sub(rb"<dcterms:modified [^>]*>[^<]*</dcterms:modified>", fixed_modified.encode(), data)
                if info.filename == "docProps/core.xml" else data) for info, data in entries]
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            out.writestr(fixed, data)


def put(ws: Worksheet, row: int, col: int, value: Any, font: Font | None = None) -> None:
    """Write one cell: text neutralised, numbers as numbers, None as empty."""
    cell = ws.cell(row=row, column=col, value=neutralise(value))
    if font:
        cell.font = font


def _title(ws: Worksheet, report: Report, title: str) -> int:
    row = 1
    if report.marking:
        put(ws, row, 1, report.marking, RED)
        row += 1
    put(ws, row, 1, title, Font(bold=True, size=14))
    put(ws, row + 1, 1, f"{report.organisation} — reporting year ending 31 March {report.year}")
    return row + 3


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    _HEADERS.setdefault(id(ws), []).append(row)
    for c, label in enumerate(labels, 1):
        put(ws, row, c, label, BOLD)
        ws.cell(row=row, column=c).fill = HEAD_FILL
        ws.cell(row=row, column=c).alignment = Alignment(wrap_text=True, vertical="top")


#: header rows written on each sheet (by id of the worksheet), for `finish`
_HEADERS: dict[int, list[int]] = {}
#: display formats by header words (the stored numbers keep full precision; issue 14)
PERCENT, RATIO, P_VALUE, COUNT = "0.0", "0.00", "0.000", "#,##0"
MAX_WIDTH = 60


def number_format(label: str, value: Any) -> str:
    """How a number under header `label` is shown: counts whole, percentages to 0.1, ratios and
    intervals to 0.01, p-values to 0.001."""
    words = str(label or "").lower()
    if "p-value" in words or words == "p_value":
        return P_VALUE
    if "%" in words or "rate" in words or "percent" in words:
        return PERCENT
    if isinstance(value, int) and not isinstance(value, bool):
        return COUNT
    return RATIO


def finish(ws: Worksheet) -> None:
    """Rounded display formats under every header, the header row frozen and filtered (the last
    table's, the sheet's main one), and column widths that fit (issue 14)."""
    headers = _HEADERS.pop(id(ws), [])
    for i, head in enumerate(headers):
        end = headers[i + 1] - 1 if i + 1 < len(headers) else ws.max_row
        labels = [c.value for c in ws[head]]
        for row in ws.iter_rows(min_row=head + 1, max_row=end):
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    label = labels[cell.column - 1] if cell.column <= len(labels) else ""
                    cell.number_format = number_format(label, cell.value)
    if headers:
        head = headers[-1]
        last = max((c.column for c in ws[head] if c.value is not None), default=1)
        ws.auto_filter.ref = f"A{head}:{ws.cell(row=head, column=last).column_letter}{max(ws.max_row, head)}"
        if len(headers) == 1:
            ws.freeze_panes = f"A{head + 1}"
    _fit_widths(ws)


def _fit_widths(ws: Worksheet) -> None:
    """Each column as wide as its longest short value (long text wraps at `MAX_WIDTH`); widths
    already set wider are kept."""
    widths: dict[str, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (cell.column == 1 and isinstance(cell.value, str) and len(cell.value) > 40):
                continue  # titles in column A run across the sheet
            text = f"{cell.value:,.2f}" if isinstance(cell.value, float) else str(cell.value)
            widths[cell.column_letter] = max(widths.get(cell.column_letter, 0), len(text))
    for letter, width in widths.items():
        dim = ws.column_dimensions[letter]
        want = min(max(width + 2, 8), MAX_WIDTH)
        if not dim.width or dim.width < want:
            dim.width = want
        if width > MAX_WIDTH:
            for cell in ws[letter]:
                if isinstance(cell.value, str) and len(cell.value) > MAX_WIDTH:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")


def standard_sheet(ws: Worksheet, result: dict[str, Any], report: Report) -> None:
    marker, withheld = report.rule.marker, Withheld(result.get("suppressed") or [])
    groups = GROUPS[result["standard"]]
    row = _title(ws, report, NAMES.get(result["standard"], result["standard"]))
    show = lambda path, v: marker if withheld(path) else v  # noqa: E731
    for i, ind in enumerate(result["indicators"]):
        if ind.get("kind") != "distribution":
            continue
        put(ws, row, 1, f"{ind['id'].upper()}: {ind.get('title', '')}", BOLD)
        row += 1
        _header(ws, row, ["Staff", "Pay band", *groups, "Total", *[f"{g} %" for g in groups]])
        for j, r in enumerate(ind.get("rows") or []):
            row += 1
            p = f"indicators[{i}].rows[{j}]"
            values = ["Clinical" if r.get("clinical") else "Non-clinical", str(r["band"]),
                      *[show(f"{p}.groups.{g}.count", r["groups"].get(g, {}).get("count")) for g in groups],
                      show(f"{p}.total", r.get("total")),
                      *[show(f"{p}.groups.{g}.percent", r["groups"].get(g, {}).get("percent")) for g in groups]]
            for c, v in enumerate(values, 1):
                put(ws, row, c, v)
        row += 2
    put(ws, row, 1, "Indicators", BOLD)
    row += 1
    labels = ["Indicator", "Title"] + [f"{g} {c}" for g in groups for c in INDICATOR_COLUMNS] + list(STAT_COLUMNS)
    _header(ws, row, labels)
    for i, ind in enumerate(result["indicators"]):
        if ind.get("kind") in ("distribution", "narrative"):
            continue
        row += 1
        p = f"indicators[{i}]"
        values: list[Any] = [ind["id"], ind.get("title")]
        for g in groups:
            fig = (ind.get("groups") or {}).get(g) or {}
            num, den = show(f"{p}.groups.{g}.numerator", fig.get("numerator")), show(
                f"{p}.groups.{g}.denominator", fig.get("denominator"))
            rate = fig.get("percent") if "percent" in fig else (
                100.0 * num / den if isinstance(num, int | float) and isinstance(den, int | float) and den else None)
            values += [num, den, show(f"{p}.groups.{g}.percent", rate) if "percent" in fig else rate]
        values += [show(f"{p}.value", ind.get("value")), ind.get("unit"), ind.get("direction"),
                   show(f"{p}.ci_low", ind.get("ci_low")), show(f"{p}.ci_high", ind.get("ci_high")),
                   show(f"{p}.p_value", ind.get("p_value")), show(f"{p}.assessment", ind.get("assessment"))]
        for c, v in enumerate(values, 1):
            put(ws, row, c, v)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 14, 40
    ws.freeze_panes = None


def paygap_sheet(ws: Worksheet, report: Report) -> None:
    row = _title(ws, report, "Pay gaps")
    labels = ["Attribute", "Comparison", "Mean hourly gap %", "Median hourly gap %", "Mean bonus gap %",
              "Median bonus gap %", "Reference bonus %", "Comparison bonus %"]
    _header(ws, row, labels)
    for by, pg in report.paygap.items():
        for r in pg.get("results") or []:
            row += 1
            hidden = r.get("withheld") or bool((r.get("disclosure") or {}).get("suppressed"))
            mark = lambda v: report.rule.marker if v is None and hidden else v  # noqa: E731, B023
            bonus = r.get("bonus_percent") or {}
            values = [by, f"{group_label(r.get('comparison_group'))} compared with {group_label(r.get('reference_group'))}",
                      *[mark(r.get(k)) for k in ("mean_hourly_gap", "median_hourly_gap", "mean_bonus_gap",
                                                 "median_bonus_gap")],
                      mark(bonus.get(r.get("reference_group"))), mark(bonus.get(r.get("comparison_group")))]
            for c, v in enumerate(values, 1):
                put(ws, row, c, v)
    ws.column_dimensions["B"].width = 34


def data_sheet(ws: Worksheet, report: Report) -> None:
    row = 1
    if report.marking:
        put(ws, row, 1, report.marking, RED)
        row += 1
    _header(ws, row, list(COLUMNS))
    for rec in tidy_rows(report):
        row += 1
        for c, col in enumerate(COLUMNS, 1):
            put(ws, row, c, rec.get(col))


def methods_sheet(ws: Worksheet, report: Report) -> None:
    from parity.indicators.catalogue import indicators

    row = _title(ws, report, "Methods")
    put(ws, row, 1, "Disclosure control", BOLD)
    put(ws, row, 2, report.methods_note)
    row += 1
    for name, text in STATISTICS.items():
        put(ws, row, 1, name, BOLD)
        put(ws, row, 2, text)
        row += 1
    put(ws, row, 1, "Questions to ask", BOLD)
    put(ws, row, 2, f"version {questions_version()}")
    row += 2
    fields = ("id", "title", "guidance", "population", "period", "numerator", "denominator", "direction")
    _header(ws, row, [f.capitalize() for f in fields])
    for name in report.standards:
        for d in indicators(name):
            row += 1
            for c, f in enumerate(fields, 1):
                put(ws, row, c, getattr(d, f))
    for note in report.notes:
        row += 1
        put(ws, row, 1, note)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 22, 60
