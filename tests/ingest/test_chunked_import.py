"""A file read in chunks keeps every guarantee of docs/ingest.md (issue 19, national scale).

Each test reads a small file in chunks of a few rows (`chunk_rows`), so duplicates, errors and
reconciliation cross chunk boundaries, and checks against hand-worked expectations and against
the same file imported at once (the path every other test in tests/ingest holds to its rules).
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd
import pytest

from parity.ingest import chunks, import_file, staging, validate_file
from parity.ingest.chunks import CsvChunks, ParquetChunks, plan
from parity.ingest.limits import DEFAULT
from parity.workspace import Workspace

CHUNK = 4  # rows per chunk: row positions 0-3 are chunk 1, 4-7 chunk 2, 8-11 chunk 3, ...


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "shared.key"
    path.write_bytes(bytes(range(32)))
    path.chmod(0o600)
    return path


def _ws(tmp_path, name, key_file) -> Workspace:
    return Workspace.open(tmp_path / name, key_file=key_file)


def _write(df: pd.DataFrame, tmp_path, name: str) -> str:
    path = tmp_path / name
    if name.endswith(".parquet"):
        df.to_parquet(path, index=False)
    else:
        df.to_csv(path, index=False)
    return str(path)


def _table(ws: Workspace, table: str) -> pd.DataFrame:
    with ws.connect(read_only=True) as con:
        got = con.execute(f'SELECT * FROM "{table}"').df()
    return got.sort_values(list(got.columns)).reset_index(drop=True) if table == "survey_responses" else got


def _log(ws: Workspace) -> list[dict]:
    return ws.import_log().drop(columns=["imported_at"]).to_dict("records")


def _no_staging_left(ws: Workspace) -> bool:
    with ws.connect(read_only=True) as con:
        return staging.STAGING not in {r[0] for r in con.execute("SHOW TABLES").fetchall()}


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_small_chunks_are_really_used(tmp_path, sample, suffix):
    path = _write(sample("workforce", n=10), tmp_path, "wf" + suffix)
    source = plan(path, sheet=None, limits=DEFAULT, chunk_rows=CHUNK)
    assert isinstance(source, CsvChunks if suffix == ".csv" else ParquetChunks)
    first = source.first(set())
    assert [len(first.rows), *[len(c.rows) for c in source.rest()]] == [4, 4, 2]
    assert plan(path, sheet=None, limits=DEFAULT, chunk_rows=10) is None  # one chunk: read at once


def test_csv_that_is_not_plain_is_read_whole(tmp_path, sample):
    df = sample("leavers", n=10)
    df.loc[2, "reason"] = "Moved\nabroad"  # a quoted line break: row numbers are not line numbers
    assert plan(_write(df, tmp_path, "multi.csv"), sheet=None, limits=DEFAULT, chunk_rows=CHUNK) is None
    title = tmp_path / "title.csv"
    title.write_text("Leavers report,2024,RXX\n" + df.iloc[[0, 1, 3, 4, 5, 6]].to_csv(index=False))
    source = plan(title, sheet=None, limits=DEFAULT, chunk_rows=CHUNK)
    with pytest.raises(chunks.NotPlain):  # the header is on line 2: the whole-file reader takes it
        source.first({"person_id", "leave_date", "reason"})
    report = validate_file(title, "leavers", chunk_rows=CHUNK)
    assert report.ok and report.rows_read == 6
    lines = df.iloc[[0, 1, 3, 4, 5, 6, 7, 8, 9]].to_csv(index=False).splitlines(keepends=True)
    for name, bad, code in (("ragged.csv", "E1,2024-01-05,Moved,extra\n", "ragged_line"),
                            ("blank.csv", "\n", "blank_row")):
        path = tmp_path / name
        path.write_text("".join(lines[:8] + [bad] + lines[8:]))  # line 9: in chunk 2
        assert isinstance(plan(path, sheet=None, limits=DEFAULT, chunk_rows=CHUNK), CsvChunks)
        got = validate_file(path, "leavers", chunk_rows=CHUNK)  # Arrow cannot read it: read whole
        assert [(p.row, p.code) for p in got.problems] == [(9 if code == "blank_row" else None, code)]
        assert got.to_dict() == validate_file(path, "leavers").to_dict()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_duplicate_key_split_across_chunks(tmp_path, sample, key_file, suffix):
    df = sample("applications", n=14)
    df.loc[13, "application_id"] = df.loc[1, "application_id"]  # position 1 (chunk 1) and 13 (chunk 4)
    path = _write(df, tmp_path, "apps" + suffix)
    first_row = 2 if suffix == ".csv" else 1  # CSV: header = row 1; Parquet: record 1
    ws = _ws(tmp_path, "strict", key_file)
    result = import_file(ws, path, "applications", chunk_rows=CHUNK)
    assert not result.imported and ws.tables() == []
    dup = [p for p in result.problems if p.code == "duplicate_key"]
    rows = [1 + first_row, 13 + first_row]
    assert [(p.row, p.value) for p in dup] == [(rows[0], "APP1"), (rows[1], "APP1")]
    assert all(f"Rows {rows[0]}, {rows[1]} have the same org_code, application_id" in p.message for p in dup)
    assert result.to_dict() == import_file(_ws(tmp_path, "once", key_file), path, "applications").to_dict()

    chunked = _ws(tmp_path, "exclude", key_file)
    got = import_file(chunked, path, "applications", chunk_rows=CHUNK, exclude_invalid=True)
    assert got.imported and got.rows_accepted == 12 and got.excluded_by_reason == {"duplicate key": 2}
    once = _ws(tmp_path, "exclude-once", key_file)
    import_file(once, path, "applications", exclude_invalid=True)
    pd.testing.assert_frame_equal(_table(chunked, "applications"), _table(once, "applications"))
    assert _log(chunked) == _log(once)
    assert _no_staging_left(chunked)


def test_error_in_last_chunk_rolls_back_all_chunks(tmp_path, sample, key_file, write_csv):
    ws = _ws(tmp_path, "ws", key_file)
    old = sample("leavers", n=5, seed=1)
    import_file(ws, write_csv(old, "old.csv"), "leavers")
    before, log_before = _table(ws, "leavers"), _log(ws)
    df = sample("leavers", n=11)
    df.loc[10, "leave_date"] = "31/02/2024"  # position 10: the third and last chunk
    result = import_file(ws, write_csv(df, "new.csv"), "leavers", chunk_rows=CHUNK)
    assert not result.imported
    assert [(p.row, p.code) for p in result.errors] == [(12, "impossible_date")]  # line 12 of the CSV
    pd.testing.assert_frame_equal(_table(ws, "leavers"), before)
    assert _log(ws) == log_before and _no_staging_left(ws)


@pytest.mark.parametrize("stop", [RuntimeError("disk gone"), KeyboardInterrupt()])
def test_failure_while_storing_chunk_three_leaves_nothing(tmp_path, sample, key_file, write_csv, monkeypatch, stop):
    ws = _ws(tmp_path, "ws", key_file)
    import_file(ws, write_csv(sample("leavers", n=5, seed=1), "old.csv"), "leavers")
    before, log_before = _table(ws, "leavers"), _log(ws)
    calls = []
    real = staging.Staging.add

    def add(self, frame, questions, positions):
        calls.append(len(frame))
        if len(calls) == 3:
            raise stop
        real(self, frame, questions, positions)

    monkeypatch.setattr(staging.Staging, "add", add)
    with pytest.raises(type(stop)):
        import_file(ws, write_csv(sample("leavers", n=14), "new.csv"), "leavers", chunk_rows=CHUNK)
    assert calls == [4, 4, 4]  # chunks 1 and 2 were stored, in the transaction, when chunk 3 failed
    pd.testing.assert_frame_equal(_table(ws, "leavers"), before)
    assert _log(ws) == log_before and _no_staging_left(ws)
    monkeypatch.setattr(staging.Staging, "add", real)  # and the lock was let go: the next import runs
    assert import_file(ws, write_csv(sample("leavers", n=14), "new.csv"), "leavers", chunk_rows=CHUNK).imported


def test_row_numbers_in_chunk_three_are_the_files(tmp_path, sample, write_csv):
    df = sample("workforce", n=12)
    df.loc[9, "fte"] = "lots"          # position 9 → CSV row 11 (chunk 3)
    df.loc[10, "sex"] = ""             # position 10 → row 12: a warning
    df.loc[11] = df.loc[2]             # position 11 → row 13, an exact copy of row 4 (chunk 1)
    df.loc[11, "fte"] = df.loc[2, "fte"]
    report = validate_file(write_csv(df), "workforce", chunk_rows=CHUNK)
    got = [(p.row, p.code, p.message) for p in report.problems if p.row is not None]
    assert got == [(11, "invalid_number", "fte: 'lots' is not a number."),
                   (12, "blank_sex", "sex is blank; stored as unknown."),
                   (13, "duplicate_row", "Exact duplicate of row 4; excluded.")]


def test_copy_of_an_earlier_chunks_row_is_reported_only_as_a_copy(tmp_path, sample, write_csv):
    df = sample("leavers", n=6)
    df.loc[1, "leave_date"] = "not a date"
    df.loc[6] = df.loc[1]  # position 6 (chunk 2) copies position 1 (chunk 1), bad date and all
    report = validate_file(write_csv(df), "leavers", chunk_rows=CHUNK)
    assert [(p.row, p.code) for p in report.problems if p.row] == [(3, "invalid_date"), (8, "duplicate_row")]
    assert report.excluded_by_reason == {"invalid value": 1, "duplicate row": 1}


def test_reconciliation_adds_up_across_chunks(tmp_path, sample, write_csv):
    df = sample("leavers", n=13).astype(object)
    df.loc[2] = ""                                   # blank row (chunk 1)
    df.loc[5, "leave_date"] = "2024-13-01"           # invalid value (chunk 2)
    df.loc[9] = df.loc[0]                            # duplicate of row 2 (chunk 3)
    df.loc[12, "person_id"] = df.loc[7, "person_id"]  # same key as position 7 (chunk 2) ...
    df.loc[12, "leave_date"] = df.loc[7, "leave_date"]  # ... person and date (chunk 4)
    df.loc[13] = ["Total", "", ""]                   # total row (chunk 4)
    report = validate_file(write_csv(df), "leavers", chunk_rows=CHUNK)
    assert report.rows_read == 14
    assert report.excluded_by_reason == {"blank row": 1, "invalid value": 1, "duplicate row": 1,
                                         "duplicate key": 2, "total row": 1}
    assert report.rows_accepted == 14 - 6 == report.rows_read - report.rows_excluded
    once = validate_file(write_csv(df, "once.csv"), "leavers").to_dict()
    assert report.to_dict() == {**once, "file": "extract.csv", "problems": [
        {**p, "file": "extract.csv"} for p in once["problems"]]}


@pytest.mark.parametrize("table", ["workforce", "applications", "survey_responses", "pay", "training"])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_stored_table_identical_to_import_at_once(tmp_path, sample, key_file, table, suffix):
    df = sample(table, n=18)
    path = _write(df, tmp_path, table + suffix)
    once, chunked = _ws(tmp_path, "once", key_file), _ws(tmp_path, "chunked", key_file)
    a = import_file(once, path, table, org="R1", year=2024 if table == "applications" else None)
    b = import_file(chunked, path, table, org="R1", year=2024 if table == "applications" else None,
                    chunk_rows=CHUNK)
    assert a.imported and b.imported
    assert a.to_dict() == {**b.to_dict()}
    pd.testing.assert_frame_equal(_table(chunked, table), _table(once, table))
    assert _log(chunked) == _log(once)
    # and re-importing replaces exactly as at once (same scope, same count)
    a2 = import_file(once, path, table, org="R1", chunk_rows=None)
    b2 = import_file(chunked, path, table, org="R1", chunk_rows=CHUNK)
    assert (a2.replaced_rows, a2.replaced_scope) == (b2.replaced_rows, b2.replaced_scope) != (0, "")
    pd.testing.assert_frame_equal(_table(chunked, table), _table(once, table))


def test_pseudonyms_are_the_hmac_of_the_identifier(tmp_path, sample, key_file):
    df = sample("applications", n=10)
    path = _write(df, tmp_path, "apps.parquet")
    ws = _ws(tmp_path, "ws", key_file)
    assert import_file(ws, path, "applications", chunk_rows=CHUNK).imported
    got = _table(ws, "applications")
    key = key_file.read_bytes()
    want = [hmac.new(key, v.encode(), hashlib.sha256).hexdigest()[:20] for v in df["applicant_id"]]
    assert got["applicant_id"].tolist() == want


def test_summary_warnings_count_every_chunk(tmp_path, esr_frame, write_csv):
    df = pd.concat([esr_frame] * 3, ignore_index=True)  # 24 rows: each person three times ...
    df["Snapshot Date"] = np.repeat(["31/03/2024", "30/06/2024", "31/03/2023"], 8)  # ... in three snapshots
    df.loc[10, "Primary Assignment"] = "Y"  # 10002's second assignment in snapshot 2 (chunk 3) is primary,
    # as is the first (position 9, chunk 2)
    report = validate_file(write_csv(df), "workforce", chunk_rows=5)
    once = validate_file(write_csv(df, "once.csv"), "workforce")
    assert [p.message for p in report.problems] == [p.message for p in once.problems]
    summary = {p.code: p for p in report.problems if p.code in (
        "medical_grade_fallback", "snapshot_not_31_march", "two_primary_assignments")}
    assert summary["medical_grade_fallback"].message.startswith(  # one unknown grade in each snapshot
        "3 row(s) in staff group 01 had grades we do not know ('Some Odd Grade' × 3)")
    assert summary["snapshot_not_31_march"].message.startswith("8 row(s) have snapshot_date 2024-06-30")
    assert summary["two_primary_assignments"].row == 11 and "(rows 11, 12)" in summary[
        "two_primary_assignments"].message


def test_duckdb_memory_cap_is_lifted_after_the_import(tmp_path, sample, key_file, write_csv):
    """The cap is a setting of the database, shared by every connection in the process (the web app)."""
    ws = _ws(tmp_path, "ws", key_file)
    import_file(ws, write_csv(sample("leavers", n=3), "first.csv"), "leavers")
    other = ws.connect()
    try:
        before = other.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert import_file(ws, write_csv(sample("leavers", n=10), "big.csv"), "leavers", chunk_rows=CHUNK).imported
        bad = sample("leavers", n=10)
        bad.loc[9, "leave_date"] = "never"
        assert not import_file(ws, write_csv(bad, "bad.csv"), "leavers", chunk_rows=CHUNK, exclude_invalid=False).imported
        assert other.execute("SELECT current_setting('memory_limit')").fetchone()[0] == before != "488.2 MiB"
    finally:
        other.close()
