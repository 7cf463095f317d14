"""Meeting notes: decisions and the actions a meeting created, from the store and the CLI (issue 15)."""

from __future__ import annotations

import json
from datetime import date

import pytest
import typer
from typer.testing import CliRunner

from parity.actions import Action, ActionStore
from parity.actions.meetings import Meeting, MeetingStore
from parity.commands.meeting import register


@pytest.fixture
def ws(tmp_path):
    (tmp_path / "parity.duckdb").write_bytes(b"")
    ActionStore(tmp_path).add(Action(org="RXX", title="Panels", indicators=["wres.2"], owner="DoP",
                                     start=date(2025, 1, 1), due=date(2025, 6, 30)), who="alice")
    return tmp_path


def test_record_and_list(ws):
    store = MeetingStore(ws)
    store.record(Meeting("RXX", date(2025, 2, 6), "Audit the panels", actions=[1]), who="chair")
    store.record(Meeting("RXX", date(2025, 1, 30), "Agree the plan"), who="chair")
    store.record(Meeting("RYY", date(2025, 2, 1), "Elsewhere"), who="chair")
    assert [(m.date, m.actions) for m in store.list(org="RXX")] == [(date(2025, 1, 30), []), (date(2025, 2, 6), [1])]
    assert [m.decisions for m in store.list(org="RXX", before=date(2025, 2, 6))] == ["Agree the plan"]
    with pytest.raises(KeyError, match="No action 9"):
        store.record(Meeting("RXX", date(2025, 2, 13), "x", actions=[9]), who="chair")
    with pytest.raises(ValueError, match="needs its decisions"):
        store.record(Meeting("RXX", date(2025, 2, 13), "  "), who="chair")
    with pytest.raises(ValueError, match="Action 1 belongs to RXX, not RYY"):
        store.record(Meeting("RYY", date(2025, 2, 13), "Borrow RXX's action", actions=[1]), who="chair")
    assert len(store.list()) == 3  # the refused ones left nothing behind


def test_cli(ws, tmp_path):
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    run = CliRunner().invoke
    ok = run(app, ["meeting", "record", "--workspace", str(ws), "--org", "rxx", "--date", "2025-02-06",
                   "--decisions", "Audit the panels", "--action", "1", "--by", "chair"])
    assert ok.exit_code == 0, ok.output
    listed = json.loads(run(app, ["meeting", "list", "--workspace", str(ws), "--format", "json"]).stdout)
    assert listed["meetings"][0] | {"id": 1} == {"id": 1, "org": "RXX", "date": "2025-02-06",
                                                 "decisions": "Audit the panels", "recorded_by": "chair",
                                                 "actions": [1]}
    bad = run(app, ["meeting", "agenda", "--workspace", str(ws), "--org", "RXX", "--date", "2025-02-13",
                    "--out", str(tmp_path / "agenda.docx")])
    assert bad.exit_code == 2 and "write the agenda to a .md, .html or .pdf file" in " ".join(bad.output.split())
    other = run(app, ["meeting", "record", "--workspace", str(ws), "--org", "RYY", "--date", "2025-02-06",
                      "--decisions", "x", "--action", "1", "--by", "chair"])
    assert other.exit_code != 0 and "belongs to RXX, not RYY" in " ".join(other.output.split())
    bad_date = run(app, ["meeting", "record", "--workspace", str(ws), "--org", "RXX", "--date", "13/02/2025",
                         "--decisions", "x"])
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in " ".join(bad_date.output.split())
