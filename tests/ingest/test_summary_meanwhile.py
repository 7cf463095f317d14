"""`import_file` computes the summary warnings on a second thread while DuckDB inserts the rows
(`parity.ingest.meanwhile`, docs/ingest.md "Speed", session 27): the same problems in the same
order as `validate_file` (which computes them in line), and a failure in them surfaces as it did
when `prepare` computed them (raised as it is, nothing stored)."""

from __future__ import annotations

import threading

import pytest

from parity.ingest import import_file, load, validate_file
from parity.ingest import validate as rules
from parity.workspace import Workspace


def extract(sample, write_csv) -> str:
    df = sample("workforce", n=30, seed=11)
    df["org_code"] = "RAB"
    df["assignment_id"] = [f"A{i}" for i in range(30)]
    df.loc[0:4, "ethnic_category"] = "Z"  # 5 of 30 not stated: the unknown-share warning
    df.loc[1, "person_id"] = df.loc[0, "person_id"]  # one person, two primary assignments: a warning
    df.loc[7, "fte"] = "lots"  # a bad row: excluded with --exclude-invalid
    return write_csv(df)


def stored(ws: Workspace) -> int:
    with ws.connect() as con:
        have = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'workforce'").fetchone()[0]
        return con.execute("SELECT count(*) FROM workforce").fetchone()[0] if have else 0


def test_summary_warnings_come_from_another_thread_in_the_same_place(sample, tmp_path, write_csv, monkeypatch):
    path = extract(sample, write_csv)
    want = validate_file(path, "workforce").problems
    codes = [p.code for p in want]
    assert "unknown_ethnicity_share" in codes and "two_primary_assignments" in codes
    assert codes.index("unknown_ethnicity_share") > 0  # after the row problems
    threads = []
    real = rules.summary_warnings

    def spy(*args):
        threads.append(threading.current_thread())
        return real(*args)

    monkeypatch.setattr(rules, "summary_warnings", spy)
    ws = Workspace.open(tmp_path / "ws")
    got = import_file(ws, path, "workforce", exclude_invalid=True)
    assert got.imported and got.rows_stored == 29 and stored(ws) == 29
    assert got.problems == want  # same problems, same order
    assert len(threads) == 1 and threads[0] is not threading.main_thread()
    # strict: blocked by the bad row; the warnings are there all the same, computed in line
    blocked = import_file(Workspace.open(tmp_path / "strict"), path, "workforce")
    assert not blocked.imported and blocked.problems == want


def test_a_failure_in_the_summary_is_raised_as_it_is_and_nothing_is_stored(sample, tmp_path, write_csv,
                                                                           monkeypatch):
    path = extract(sample, write_csv)
    boom = RuntimeError("summary failed")

    def fail(*args):
        raise boom

    monkeypatch.setattr(rules, "summary_warnings", fail)
    ws = Workspace.open(tmp_path / "ws")
    with pytest.raises(RuntimeError) as caught:
        import_file(ws, path, "workforce", exclude_invalid=True)
    assert caught.value is boom and not hasattr(boom, "report")  # not reported as a storage failure
    assert stored(ws) == 0  # rolled back
    monkeypatch.undo()
    assert import_file(ws, path, "workforce", exclude_invalid=True).imported  # the writer lock was let go
    assert stored(ws) == 29


def test_a_storage_failure_keeps_the_warnings_before_its_problem(sample, tmp_path, write_csv, monkeypatch):
    path = extract(sample, write_csv)
    want = validate_file(path, "workforce").problems

    def fail(*args):
        raise ValueError("the disk said no")

    monkeypatch.setattr(load, "_replace", fail)  # fails before the insert: the summary was never started
    with pytest.raises(Exception) as caught:
        import_file(Workspace.open(tmp_path / "ws"), path, "workforce", exclude_invalid=True)
    problems = caught.value.report.problems
    assert problems[:-1] == want and problems[-1].code == "storage_failed"
