"""Workspace secrecy, pseudonym stability, atomic imports, replacement and the import log."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pandas as pd
import pytest

from parity.ingest import import_file, load
from parity.workspace import Workspace


def test_workspace_layout(tmp_path):
    ws = Workspace.open(tmp_path / "w")
    assert (ws.path / ".gitignore").read_text().strip() == "*"
    assert ws.db_path.exists()
    key = ws.key
    assert len(key) == 32 and ws.key == key  # created once, then stable
    assert stat.S_IMODE(ws.key_path.stat().st_mode) == 0o600
    assert Workspace.open(tmp_path / "w").key == key
    assert Workspace.open(tmp_path / "other").key != key
    with pytest.raises(FileNotFoundError):
        Workspace.open(tmp_path / "missing", create=False)
    assert ws.tables() == [] and ws.import_log().empty


def test_pseudonyms_are_stable_across_tables_and_imports(ws, sample, write_csv, read_table):
    wf = sample("workforce", n=5)
    apps = sample("applications", n=5)  # applicant_id E100000.. = the same people as person_id
    import_file(ws, write_csv(wf, "wf.csv"), "workforce")
    import_file(ws, write_csv(apps, "apps.csv"), "applications")
    staff = set(read_table(ws, "workforce")["person_id"])
    applicants = set(read_table(ws, "applications")["applicant_id"])
    assert staff == applicants == set(ws.pseudonymise(wf["person_id"]))
    assert all(len(p) == 20 and int(p, 16) >= 0 for p in staff)
    # whitespace around an id does not change the pseudonym
    assert ws.pseudonymise(pd.Series([" E100000 "]))[0] == ws.pseudonymise(pd.Series(["E100000"]))[0]
    again = Workspace(ws.path)  # reopened later: same key, same pseudonyms
    assert list(again.pseudonymise(wf["person_id"])) == list(ws.pseudonymise(wf["person_id"]))


def test_raw_identifiers_never_reach_the_database(ws, esr_frame, write_csv):
    esr_frame["Employee Number"] = [f"ZQX{9876500 + i}" for i in range(len(esr_frame))]
    esr_frame["Assignment Number"] = [f"ASGN{5550000 + i}" for i in range(len(esr_frame))]
    assert import_file(ws, write_csv(esr_frame), "workforce", preset="esr-staff-in-post").imported
    with ws.connect() as con:
        con.execute("CHECKPOINT")
    data = ws.db_path.read_bytes()
    for raw in list(esr_frame["Employee Number"]) + list(esr_frame["Assignment Number"]):
        assert raw.encode() not in data
    assert ws.pseudonymise(esr_frame["Employee Number"])[0].encode() in data  # the check can see strings


def test_import_is_atomic(ws, sample, write_csv, read_table, monkeypatch):
    first = sample("leavers", n=5)
    import_file(ws, write_csv(first, "a.csv"), "leavers")
    before, log_before = read_table(ws, "leavers"), ws.import_log()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(load, "write_log", boom)  # fails after the delete and the insert
    second = first.assign(reason="Changed")
    with pytest.raises(RuntimeError):
        import_file(ws, write_csv(second, "b.csv"), "leavers")
    pd.testing.assert_frame_equal(read_table(ws, "leavers"), before)
    pd.testing.assert_frame_equal(ws.import_log(), log_before)
    monkeypatch.setattr(load, "write_log", boom)
    with pytest.raises(RuntimeError):  # a table that did not exist yet is not left behind either
        import_file(ws, write_csv(sample("training"), "t.csv"), "training")
    assert ws.tables() == ["leavers"]


def test_reimport_replaces_snapshot_and_keyed_rows(ws, sample, write_csv, read_table):
    wf = sample("workforce", n=10)
    import_file(ws, write_csv(wf, "wf.csv"), "workforce", org="R1")
    import_file(ws, write_csv(wf.iloc[:4], "wf2.csv"), "workforce", org="R1")  # same snapshot: replaced
    assert len(read_table(ws, "workforce")) == 4
    import_file(ws, write_csv(wf, "wf3.csv"), "workforce", org="R2")  # another org: kept side by side
    later = wf.assign(snapshot_date="2025-03-31")
    import_file(ws, write_csv(later, "wf4.csv"), "workforce", org="R1")  # another year: kept
    got = read_table(ws, "workforce")
    assert got.groupby(["org_code", got["snapshot_date"].astype(str).str[:4]]).size().to_dict() == {
        ("R1", "2024"): 4, ("R1", "2025"): 10, ("R2", "2024"): 10}

    apps = sample("applications", n=6)
    import_file(ws, write_csv(apps, "apps.csv"), "applications")
    changed = apps.iloc[:2].assign(sex="female")
    r = import_file(ws, write_csv(changed, "apps-fix.csv"), "applications")
    assert r.replaced_rows == 2
    got = read_table(ws, "applications")
    assert len(got) == 6 and (got["import_id"] == r.import_id).sum() == 2


def test_identical_file_reimport_replaces_itself(ws, sample, write_csv, read_table):
    path = write_csv(sample("survey_responses", n=5))
    import_file(ws, path, "survey_responses")
    r = import_file(ws, path, "survey_responses")
    assert r.replaced_rows == 10 and len(read_table(ws, "survey_responses")) == 10
    assert ws.import_log()["import_id"].tolist() == [1, 2]


def test_strict_import_imports_nothing_on_error(ws, sample, write_csv):
    df = sample("leavers", n=5)
    df.loc[2, "leave_date"] = "31/02/2024"
    r = import_file(ws, write_csv(df), "leavers")
    assert not r.imported and r.errors and ws.tables() == []


def test_exclude_invalid_and_reconciliation_in_log(ws, sample, write_csv, read_table):
    df = sample("leavers", n=8)
    df.loc[2, "leave_date"] = "31/02/2024"
    df.loc[len(df)] = df.loc[0]
    df.loc[len(df)] = ["", "", ""]
    path = write_csv(df)
    r = import_file(ws, path, "leavers", exclude_invalid=True, org="RQ1", year=2024)
    assert r.imported and r.rows_stored == 7 == len(read_table(ws, "leavers"))
    assert r.rows_read == 10 == r.rows_accepted + r.rows_excluded
    assert r.excluded_by_reason == {"invalid value": 1, "duplicate row": 1, "blank row": 1}
    log = ws.import_log().iloc[0]
    assert (log.rows_read, log.rows_accepted, log.rows_excluded, log.org_code) == (10, 7, 3, "RQ1")
    assert json.loads(log.excluded_by_reason) == r.excluded_by_reason
    assert log.table_name == "leavers" and log.content_sha256 == hashlib.sha256(Path(path).read_bytes()).hexdigest()
    assert log.period.startswith("reporting year 2024; 2023-")
    d = r.to_dict()
    assert d["rows_excluded"] == 3 and d["imported"] and d["problems"][0]["row"] == 4


def test_file_errors_block_even_with_exclude_invalid(ws, sample, write_csv):
    df = sample("leavers").drop(columns=["leave_date"])
    r = import_file(ws, write_csv(df), "leavers", exclude_invalid=True)
    assert not r.imported and r.file_errors


def test_ibis_backend_reads_tables(ws, sample, write_csv):
    import_file(ws, write_csv(sample("leavers", n=3)), "leavers")
    con = ws.ibis()
    assert "leavers" in con.list_tables()
    assert con.table("leavers").count().execute() == 3
