"""CSV outputs: the tidy results, and the GOV.UK gender pay gap CSV when pay data exists.

Text fields pass through `safety.neutralise` (no formula injection when the file is opened in a
spreadsheet); numbers are written as numbers. An unsuppressed report's CSVs begin with a comment
line carrying the "Not for publication" marking, so the file cannot travel without it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from parity.paygap.quarters import QUARTER_NAMES
from parity.paygap.results import GOV_UK_COLUMNS
from parity.report.build import Report
from parity.report.safety import neutralise
from parity.report.tidy import COLUMNS, tidy_rows

GOV_UK_QUARTERS = dict(zip(QUARTER_NAMES, ("Lower", "LowerMiddle", "UpperMiddle", "Top"), strict=True))
GOV_UK_HEADER = (*GOV_UK_COLUMNS, *[f"{sex}{q}Quartile" for q in GOV_UK_QUARTERS.values() for sex in ("Male", "Female")])


def gov_uk_row(result: dict[str, Any]) -> dict[str, Any]:
    """The gov.uk service's 14 figures from a (protected) sex pay gap dict; None is blank."""
    row: dict[str, Any] = {}
    for column, (name, key) in GOV_UK_COLUMNS.items():
        value = result.get(name)
        row[column] = (value or {}).get(key) if key else value
    for q in result.get("quarters") or []:
        title = GOV_UK_QUARTERS[q["quarter"]]
        row[f"Male{title}Quartile"] = (q.get("percent") or {}).get("male")
        row[f"Female{title}Quartile"] = (q.get("percent") or {}).get("female")
    return {c: "" if row.get(c) is None else row[c] for c in GOV_UK_HEADER}


#: number columns of the tidy CSV: a withheld one is written empty and named in ``suppressed`` (issue 14:
#: a spreadsheet or a script reading the CSV never meets the marker in a number column)
NUMERIC = ("value", "ci_low_value", "ci_high_value", "p_value", "numerator", "denominator", "percent", "ci_low",
           "ci_high")


def csv_rows(report: Report) -> list[dict[str, Any]]:
    """The tidy rows with every withheld number empty and listed in ``suppressed``."""
    out = []
    for row in tidy_rows(report):
        hidden = [c for c in (row.get("suppressed") or "").split(";") if c]
        for col in NUMERIC:
            if row.get(col) == report.rule.marker:
                row[col] = None
                hidden.append(col)
        row["suppressed"] = ";".join(dict.fromkeys(hidden))
        out.append(row)
    return out


def write_csvs(report: Report, out_dir: Path, stem: str) -> dict[str, Path]:
    paths = {"csv": out_dir / f"{stem}-tidy.csv"}
    _write(paths["csv"], COLUMNS, csv_rows(report), report.marking)
    sex = report.paygap.get("sex")
    if sex and sex.get("results"):
        paths["csv_gov_uk"] = out_dir / f"{stem}-gov-uk-gender-pay-gap.csv"
        _write(paths["csv_gov_uk"], GOV_UK_HEADER, [gov_uk_row(sex["results"][0])], report.marking)
    return paths


def _write(path: Path, header, rows: list[dict[str, Any]], marking: str | None) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        if marking:
            f.write(f"# {marking}\n")
        writer = csv.writer(f)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else neutralise(row[c]) for c in header])
