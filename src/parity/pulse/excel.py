"""The report workbook's "What staff told us" sheet: the published pulses, protected figures only.

One row per question and per shown group (withheld groups as the report's marker), read from
`Report.pulse` (`parity.pulse.published.staff_told_us`); cells written through the report's own
`put` (formula-safe text, numbers as numbers).
"""

from __future__ import annotations

from parity.report.excel import _header, _title, put

SHEET = "What staff told us"
LABELS = ["Survey", "Closes", "Question", "Group", "People", "Positive answers", "% positive", "95% CI low",
          "95% CI high"]


def pulse_sheet(ws, report) -> None:
    row = _title(ws, report, SHEET)
    _header(ws, row, LABELS)
    for s in report.pulse:
        for q in s["questions"]:
            rows = [("Everyone", q["n"], q["positive"], q["percent"], q["ci_low"], q["ci_high"])]
            rows += [(f"{g['attribute'].replace('_', ' ').capitalize()}: {g['group']}", g["n"], None, g["percent"],
                      g["ci_low"], g["ci_high"]) for g in q["groups"]]
            rows += [(w[:1].upper() + w[1:], report.rule.marker, None, report.rule.marker, None, None) for w in q["withheld"]]
            for who, n, positive, percent, low, high in rows:
                row += 1
                for c, v in enumerate((s["title"], s["closes"], q["text"], who, n, positive, percent, low, high), 1):
                    put(ws, row, c, v)
    ws.column_dimensions["A"].width, ws.column_dimensions["C"].width = 28, 48
    ws.column_dimensions["D"].width = 30
