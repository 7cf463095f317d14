"""`parity report --national` (issue 18): funnel plot per indicator, outliers by name, region table and
distribution over time, from the benchmarks table or the protected release of every organisation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from parity.cli import app
from parity.ingest import import_file
from parity.workspace import Workspace

#   code  region        BME appointed of 200 in 2025 (White 60 of 200), in 2024
ORGS = [("RXA", "London", 20, 60), ("RXB", "London", 60, 60), ("RXC", "London", 58, 60),
        ("RXD", "North West", 62, 60), ("RXE", "North West", 90, 60)]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    path = tmp_path_factory.mktemp("national")
    rows = [{"Organisation code": c, "Region": r, "Reporting year": y, "Indicator id": "wres.2",
             "Value": 0.3 / (b / 200), "Numerator A": 60, "Denominator A": 200, "Numerator B": b,
             "Denominator B": 200} for c, r, b25, b24 in ORGS for y, b in ((2025, b25), (2024, b24))]
    pd.DataFrame(rows).to_csv(path / "published.csv", index=False)
    ws = Workspace.open(path / "ws")
    assert import_file(ws, path / "published.csv", "benchmarks", preset="nhse-wres-organisation").imported
    return ws, path


def test_national_summary_from_published_figures(published):
    ws, path = published
    out = CliRunner().invoke(app, ["report", "--national", "--workspace", str(ws.path), "--year", "2025",
                                   "--out", str(path / "out")])
    assert out.exit_code == 0, out.output
    summary = json.loads((path / "out" / "national-2025.json").read_text(encoding="utf-8"))
    wres2 = next(i for i in summary["indicators"] if i["indicator"] == "wres.2")
    # RXA appoints 20 of 200 BME against 60 of 200 White: far above the pooled national 0.3 / 0.29
    assert wres2["national"] == pytest.approx(0.3 / (290 / 1000))
    assert wres2["outliers"]["above_998"] == ["RXA"]
    # RXE: 90 of 200, RL 0.67; z = ln(0.667 / 1.034) / √(0.7/60 + 0.71/58) = -2.84, between the limits
    assert wres2["outliers"]["below_95"] == ["RXE"] and wres2["outliers"]["below_998"] == []
    regions = {r["region"]: r for r in wres2["regions"]}
    assert regions["London"]["organisations"] == 3 and regions["North West"]["organisations"] == 2
    assert regions["London"]["median"] == pytest.approx(0.3 / (58 / 200))
    assert regions["London"]["above_998"] == 1
    assert [t["year"] for t in wres2["over_time"]] == [2024, 2025]
    assert wres2["over_time"][0]["median"] == pytest.approx(1.0)  # every organisation 60 of 200 in 2024
    values25 = [0.3 / (b / 200) for *_, b, _ in ORGS]
    assert wres2["over_time"][1]["q1"] == pytest.approx(np.percentile(values25, 25))
    html = (path / "out" / "national-2025.html").read_text(encoding="utf-8")
    assert "Outliers by name" in html and "RXA" in html and 'role="img"' in html


def test_national_from_the_protected_release_and_bad_flags(make_region, tmp_path):
    ws = make_region(tmp_path / "ws", orgs=3, staff=1500, seed=5)
    from parity.report.national import national_summary

    s = national_summary(ws.path, year=2025, charts=False)
    ids = {i["indicator"] for i in s["indicators"]}
    assert {"wres.2", "wres.3", "wdes.2"} <= ids
    assert all(i["source"] == "protected release" for i in s["indicators"])
    assert all(r["region"] == "Not known" for i in s["indicators"] for r in i["regions"])
    bad = CliRunner().invoke(app, ["report", "--national", "--workspace", str(ws.path), "--year", "2025",
                                   "--out", str(tmp_path / "o"), "--org", "R0A"])
    assert bad.exit_code == 2 and "drop --org" in bad.output


def _struct_kinds(pdf) -> set[str]:
    from pypdf import PdfReader

    root = PdfReader(pdf).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    kinds, stack = set(), [root["/StructTreeRoot"].get_object()]
    while stack and len(kinds) < 200:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/S" in node:
                kinds.add(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, list) else [kids])
        elif isinstance(node, list):
            stack.extend(node)
    return kinds


def test_national_pdf_is_tagged_a4_and_the_workbook_has_a_sheet_per_indicator(published):
    """The PDF (board report's route: linked, leaned stylesheets; charts as SVG images; tagged) and the
    workbook (one sheet per indicator: value, denominator, position; rounded, frozen, filtered)."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    ws, path = published
    out = CliRunner().invoke(app, ["report", "--national", "--workspace", str(ws.path), "--year", "2025",
                                   "--out", str(path / "files")])
    assert out.exit_code == 0, out.output
    files = {p.suffix for p in (path / "files").iterdir()}
    assert files == {".html", ".json", ".pdf", ".xlsx"}
    pdf = path / "files" / "national-2025.pdf"
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 from print.css
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Outliers by name" in text and "RXA" in text and f"Page 1 of {len(reader.pages)}" in text
    assert {"/H1", "/H2", "/Table"} <= _struct_kinds(pdf)
    assert any("/XObject" in (p.get("/Resources") or {}) for p in reader.pages)  # the funnel plot, an image
    book = load_workbook(path / "files" / "national-2025.xlsx")
    assert book.sheetnames == ["Summary", "WRES.2"]
    sheet = book["WRES.2"]
    head = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Organisation code")
    assert [c.value for c in sheet[head]][:6] == ["Organisation code", "Organisation name", "Region", "Value",
                                                  "Denominator", "Funnel position"]
    assert sheet.freeze_panes == f"A{head + 1}" and sheet.auto_filter.ref.startswith(f"A{head}:")
    rows = {sheet.cell(r, 1).value: [c.value for c in sheet[r]] for r in range(head + 1, sheet.max_row + 1)}
    assert set(rows) == {c for c, *_ in ORGS}
    # RXA: 60/200 White against 20/200 BME appointed; size 400; above the 99.8% limit; worst (rank 5)
    assert rows["RXA"][3] == pytest.approx(0.3 / 0.1) and rows["RXA"][4] == 400
    assert rows["RXA"][5] == "Above the 99.8% limit" and rows["RXA"][6] == 5 and rows["RXA"][7] == "published"
    assert rows["RXE"][5] == "Below the 95% limit" and rows["RXE"][2] == "North West"
    value_cell = sheet.cell(head + 1, 4)
    assert value_cell.number_format == "0.00" and sheet.cell(head + 1, 5).number_format == "#,##0"
    summary = [c.value for c in book["Summary"][next(r for r in range(1, 10)
                                                     if book["Summary"].cell(r, 1).value == "Indicator") + 1]]
    assert summary[:3] == ["wres.2", summary[1], pytest.approx(0.3 / (290 / 1000))] and summary[5] == 1
    only = CliRunner().invoke(app, ["report", "--national", "--workspace", str(ws.path), "--year", "2025",
                                    "--out", str(path / "only"), "--formats", "xlsx"])
    assert only.exit_code == 0 and [p.suffix for p in (path / "only").iterdir()] == [".xlsx"]
