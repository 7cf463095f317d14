"""Action plans in and out: export → edit → import round-trips in CSV and XLSX; a template's
headings are understood; a bad row is reported with its row and column, never dropped silently."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
import typer
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from parity.actions import Action, ActionStore, Target, Update, import_plan, write_plan
from parity.actions.exchange import indicator_refs
from parity.commands.actions import register


@pytest.fixture
def ws(tmp_path):
    d = tmp_path / "ws"
    d.mkdir()
    (d / "parity.duckdb").write_bytes(b"")
    return d


def seeded(ws):
    store = ActionStore(ws)
    store.add(Action(org="RXX", title="=HYPERLINK(\"x\")", indicators=["wres.2", "wres.7"], owner="Director of People",
                     start=date(2023, 4, 1), due=date(2024, 3, 31), target=Target.parse("<=1.25"), target_year=2027,
                     description="Diverse panels", updates=[Update(date(2023, 9, 1), "Panels trained", "alice")]),
              who="alice")
    store.add(Action(org="RXX", title="Reverse mentoring", indicators=["explore:disciplinary:ethnicity=Black,sex=male"],
                     owner="Chief Nurse", start=date(2024, 1, 1), due=date(2024, 12, 31), status="in_progress"),
              who="alice")
    return store


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_changes_nothing_then_applies_edits(ws, tmp_path, suffix):
    store = seeded(ws)
    before = [a.to_dict() for a in store.list()]
    out = tmp_path / f"plan{suffix}"
    write_plan(store.list(), out)
    result = import_plan(store, out, org=None, who="bob")
    assert result == {"added": [], "updated": [], "unchanged": [1, 2], "problems": []}
    assert [a.to_dict() for a in store.list()] == before  # the formula-looking title came back as text
    # edit the file as a person would: a new status and a new progress line on action 2
    if suffix == ".csv":
        rows = list(csv.reader(out.open(encoding="utf-8")))
        rows[2][8] = "done"
        rows[2][11] = "2024-06-01 (carol): Scheme launched"
        with out.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    else:
        wb = load_workbook(out)
        wb.active["I3"] = "Completed"
        wb.active["L3"] = "2024-06-01 (carol): Scheme launched"
        wb.save(out)
    result = import_plan(store, out, org=None, who="bob")
    assert result["updated"] == [2] and result["unchanged"] == [1]
    two = store.get(2)
    assert two.status == "done" and [(u.note, u.date) for u in two.updates] == [("Scheme launched", date(2024, 6, 1))]


def test_a_template_with_its_own_headings(ws, tmp_path):
    wb = Workbook()
    sheet = wb.active
    sheet.append(["Workforce Race Equality Standard action plan 2024/25"])
    sheet.append([])
    sheet.append(["WRES indicator", "Action", "Lead", "Timescale", "RAG status", "Measure of success"])
    sheet.append(["Indicator 2 (WRES 2)", "Inclusive recruitment training", "Head of Resourcing",
                  "31/03/2025", "In progress", "<= 1.25"])
    sheet.append(["WRES metric 9", "Board development", "Chair", "31 March 2025", "Not started", ""])
    sheet.append(["WRES 3", "", "Chief Nurse", "not a date", "Ongoing", ""])
    path = tmp_path / "template.xlsx"
    wb.save(path)
    result = import_plan(ActionStore(ws), path, org="RXX", who="bob")
    assert result["added"] == [1, 2]
    assert len(result["problems"]) == 1 and "template.xlsx, row 6, column Title" in result["problems"][0]
    first, second = ActionStore(ws).list()
    assert first.indicators == ["wres.2"] and first.owner == "Head of Resourcing" and first.status == "in_progress"
    assert first.due == date(2025, 3, 31) and str(first.target) == "<=1.25"
    assert second.indicators == ["wres.9"] and second.status == "planned"


def test_indicator_references():
    assert indicator_refs("wres.2; WRES indicator 3, WDES metric 4a.ii") == ["wres.2", "wres.3", "wdes.4a.ii"]
    assert indicator_refs("explore:disciplinary:ethnicity=Black,sex=male") == [
        "explore:disciplinary:ethnicity=Black,sex=male"]


def test_cli_add_list_update_export(ws, tmp_path):
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    run = CliRunner().invoke
    ok = run(app, ["actions", "add", "--workspace", str(ws), "--org", "rxx", "--indicator", "wres.2", "--title", "T",
                   "--owner", "R", "--start", "2023-04-01", "--due", "2024-03-31", "--target", "<=1.25",
                   "--target-year", "2027", "--by", "alice"])
    assert ok.exit_code == 0, ok.output
    listed = json.loads(run(app, ["actions", "list", "--workspace", str(ws), "--format", "json"]).stdout)
    assert listed["actions"][0]["org"] == "RXX" and listed["actions"][0]["target"] == "<=1.25"
    stale = run(app, ["actions", "update", "--workspace", str(ws), "--id", "1", "--status", "done", "--version", "0"])
    assert stale.exit_code == 2 and "Nothing was saved" in stale.output
    bad = run(app, ["actions", "update", "--workspace", str(ws), "--id", "1", "--status", "finished"])
    assert bad.exit_code == 2 and "Unknown status" in bad.output
    assert run(app, ["actions", "update", "--workspace", str(ws), "--id", "1", "--note", "Started"]).exit_code == 0
    out = tmp_path / "plan.csv"
    assert run(app, ["actions", "export", "--workspace", str(ws), "--out", str(out)]).exit_code == 0
    assert "Started" in out.read_text()
    bad_ext = run(app, ["actions", "export", "--workspace", str(ws), "--out", str(tmp_path / "plan.txt")])
    assert bad_ext.exit_code == 2
