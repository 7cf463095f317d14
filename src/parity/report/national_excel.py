"""`parity report --national` as an Excel workbook (issue 18): a "Summary" sheet (one row per
indicator: national value, organisations, outliers counted, where the figures came from) and one
sheet per indicator with each organisation's protected value, denominator (its size: the two
compared groups' denominators added), funnel position and rank. Numbers are numeric cells shown
rounded (values to 0.01, sizes whole; the stored numbers keep full precision), the header row is
frozen and filtered, and text cells pass through `safety.neutralise` (`parity.report.excel`'s
helpers, the board workbook's rules: docs/reports.md "Excel").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from parity.report.excel import BOLD, _fix_zip_times, _header, finish, put

POSITIONS = {"within": "Within the limits", "above_95": "Above the 95% limit", "above_998": "Above the 99.8% limit",
             "below_95": "Below the 95% limit", "below_998": "Below the 99.8% limit", None: "Not placed (no counts)"}
SUMMARY = ["Indicator", "Title", "National value", "Better", "Organisations", "Above 99.8%", "Above 95% only",
           "Below 95% only", "Below 99.8%", "Figures"]
ORGS = ["Organisation code", "Organisation name", "Region", "Value", "Denominator", "Funnel position", "Rank",
        "Figures"]


def write_national_excel(summary: dict[str, Any], path: Path) -> Path:
    wb = Workbook()
    first = wb.active
    first.title = "Summary"
    row = _title(first, summary, "How organisations compare")
    _header(first, row, SUMMARY)
    for i in summary["indicators"]:
        row += 1
        out = i["outliers"]
        cells = [i["indicator"], i["title"], i["national"], i["better"], i["organisations"],
                 *(len(out[k]) for k in ("above_998", "above_95", "below_95", "below_998")), i["figures"]]
        for c, value in enumerate(cells, 1):
            put(first, row, c, value)
    for i in summary["indicators"]:
        ws = wb.create_sheet(i["indicator"].upper()[:31])
        row = _title(ws, summary, f"{i['indicator'].upper()} {i['title']}")
        put(ws, row - 1, 1, f"National value {_fmt(i['national'])} ({i['better']} is better). {i['sentence']}")
        _header(ws, row, ORGS)
        for r in sorted(i["rows"], key=lambda r: (r["rank"] is None, r["rank"] or 0, r["org"])):
            row += 1
            cells = [r["org"], r.get("org_name"), r.get("region"), r["value"], int(r["denominator"] or 0),
                     POSITIONS.get(r.get("position"), r.get("position")), r.get("rank"), r.get("origin")]
            for c, value in enumerate(cells, 1):
                put(ws, row, c, value)
    for ws in wb.worksheets:
        finish(ws)
        ws.oddFooter.right.text = "Page &P of &N"
    stamp = dt.datetime(int(summary["year"]), 3, 31)  # never "now": the same inputs give the same bytes
    wb.properties.created = wb.properties.modified = stamp
    wb.save(path)
    _fix_zip_times(path, stamp)
    return path


def _title(ws, summary: dict[str, Any], title: str) -> int:
    put(ws, 1, 1, title, Font(bold=True, size=14))
    put(ws, 2, 1, f"Every organisation, year ending 31 March {summary['year']}: protected figures only "
                  f"(counts from 1 to {summary['k'] - 1} withheld)", BOLD)
    return 5


def _fmt(x) -> str:
    return "not known" if x is None else f"{x:.2f}"
