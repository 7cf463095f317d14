"""The training key does not depend on free text where an id exists (issue 12 item 6): re-importing
a file whose course titles changed (e.g. an encoding fix, "CafÃ©" -> "Café") must not duplicate rows."""

from __future__ import annotations

import json

import duckdb

from parity.contract.schema import TABLES
from parity.ingest import import_file
from parity.workspace import FORMAT_VERSION, Workspace

from .conftest import stored


def _training(sample, titles):
    df = sample("training", n=30)
    df["course_id"] = [f"LMS-{i % 4}" for i in range(30)]
    df["course"] = [titles[i % 4] for i in range(30)]
    return df


def test_reimport_with_changed_course_titles_does_not_duplicate(sample, write_csv, ws):
    """Issue 12.6: 350 rows stored for a 300-row file once titles changed between imports."""
    assert "course" not in TABLES["training"].key and "course_id" in TABLES["training"].key
    import_file(ws, write_csv(_training(sample, ["CafÃ© skills", "Ward", "Lead", "CPD"]), "a.csv"), "training")
    second = import_file(ws, write_csv(_training(sample, ["Café skills", "Ward", "Lead", "CPD"]), "b.csv"),
                         "training")
    assert second.imported and second.replaced_rows == 30
    rows = stored(ws, "training")
    assert len(rows) == 30 and set(rows["course"]) == {"Café skills", "Ward", "Lead", "CPD"}


def test_without_course_id_the_title_stands_in(sample, write_csv, ws):
    df = sample("training", n=30)
    import_file(ws, write_csv(df), "training")
    rows = stored(ws, "training")
    assert list(rows["course_id"]) == list(rows["course"]) == list(df["course"])


def test_older_workspace_gains_course_id_from_course(sample, write_csv, ws):
    import_file(ws, write_csv(sample("training", n=5)), "training")
    con = duckdb.connect(str(ws.db_path))
    con.execute("ALTER TABLE training DROP COLUMN course_id")
    con.close()
    meta = json.loads((ws.path / "workspace.json").read_text())
    (ws.path / "workspace.json").write_text(json.dumps({**meta, "format_version": 2}))
    again = Workspace.open(ws.path)
    import_file(again, write_csv(sample("leavers", n=3), "l.csv"), "leavers")  # any import upgrades
    assert again.format_version == FORMAT_VERSION
    rows = stored(again, "training")
    assert len(rows) == 5 and list(rows["course_id"]) == list(rows["course"])
