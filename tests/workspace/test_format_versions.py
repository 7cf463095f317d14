"""Issue 12.13: a workspace format version with migrations (backup first), clear messages for
newer and damaged workspaces, and `parity workspace check | repair`."""

from __future__ import annotations

import json
import os
import stat

import duckdb
import pandas as pd
from typer.testing import CliRunner

from parity.cli import app
from parity.ingest import import_file
from parity.workspace import FORMAT_VERSION, Workspace

runner = CliRunner()
OLD_LOG = """CREATE TABLE import_log (
    import_id INTEGER, file_name VARCHAR, content_sha256 VARCHAR, table_name VARCHAR,
    org_code VARCHAR, rows_read BIGINT, rows_accepted BIGINT, rows_excluded BIGINT,
    excluded_by_reason JSON, imported_at TIMESTAMP, period VARCHAR)"""


def cli(*args):
    out = runner.invoke(app, [str(a) for a in args])
    text = " ".join(out.output.split())
    assert "Traceback" not in text and "Unexpected error" not in text, text
    return out.exit_code, text


def format_1(folder) -> bytes:
    """A workspace as Parity wrote it before format versions: 11-column log, key inside."""
    folder.mkdir()
    key = os.urandom(32)
    (folder / "secret.key").write_bytes(key)
    con = duckdb.connect(str(folder / "parity.duckdb"))
    con.execute(OLD_LOG)
    con.execute("CREATE TABLE leavers (person_id VARCHAR, leave_date DATE, org_code VARCHAR, reason VARCHAR, "
                "import_id INTEGER)")
    con.execute("INSERT INTO leavers VALUES ('p1', DATE '2023-07-31', 'ORG', 'Retirement', 1)")
    con.execute("INSERT INTO import_log VALUES (1, 'old.csv', 'abc', 'leavers', 'ORG', 1, 1, 0, '{}', "
                "TIMESTAMP '2025-01-01 10:00:00', '')")
    con.close()
    return key


def leavers_csv(tmp_path, name="new.csv"):
    path = tmp_path / name
    pd.DataFrame({"person_id": ["p2", "p3"], "leave_date": "2023-08-31", "reason": "Relocation"}).to_csv(path, index=False)
    return path


def test_old_workspace_is_upgraded_with_a_backup_first(tmp_path):
    folder = tmp_path / "old"
    key = format_1(folder)
    ws = Workspace.open(folder)
    assert ws.format_version == 1
    r = import_file(ws, leavers_csv(tmp_path), "leavers")
    assert r.imported and ws.format_version == FORMAT_VERSION
    [backup] = (folder / "backups").iterdir()
    assert backup.name.startswith("parity.duckdb.format1-") and stat.S_IMODE(backup.stat().st_mode) == 0o600
    old = duckdb.connect(str(backup), read_only=True)
    assert len(old.execute("DESCRIBE import_log").fetchall()) == 11  # the copy is the old database
    old.close()
    log = ws.import_log()
    assert list(log["import_id"]) == [1, 2] and log["rows_replaced"].isna().tolist() == [True, False]
    assert len(ws.import_log()) == 2
    with ws.connect() as con:
        assert con.execute("SELECT count(*) FROM leavers").fetchone()[0] == 3
    assert ws.key_path.read_bytes() == key and not (folder / "secret.key").exists()


def test_newer_format_is_refused_clearly(ws, tmp_path):
    import_file(ws, leavers_csv(tmp_path), "leavers")
    meta = json.loads((ws.path / "workspace.json").read_text())
    (ws.path / "workspace.json").write_text(json.dumps({**meta, "format_version": 99}))
    code, text = cli("import", leavers_csv(tmp_path, "b.csv"), "-t", "leavers", "-w", ws.path)
    assert code == 2 and "format 99, newer than this Parity supports" in text and "Upgrade Parity" in text
    code, text = cli("wres", "-w", ws.path, "--year", "2024")
    assert code == 2 and "newer than this Parity supports" in text
    code, text = cli("workspace", "check", "--workspace", ws.path)
    assert code == 2 and "newer than this Parity supports" in text


def test_damaged_database_gets_a_clear_message(ws, tmp_path):
    import_file(ws, leavers_csv(tmp_path), "leavers")
    ws.db_path.write_bytes(os.urandom(20_000))
    for args in (("wres", "-w", ws.path, "--year", "2024"),
                 ("import", leavers_csv(tmp_path, "b.csv"), "-t", "leavers", "-w", ws.path),
                 ("workspace", "check", "--workspace", ws.path)):
        code, text = cli(*args)
        assert code == 2 and "is damaged" in text and "parity workspace check" in text, text


def test_check_reports_a_healthy_workspace(ws, tmp_path):
    import_file(ws, leavers_csv(tmp_path), "leavers")
    code, text = cli("workspace", "check", "--workspace", ws.path)
    assert code == 0, text
    assert f"format {FORMAT_VERSION}" in text and "leavers: 2 rows" in text and "key: found" in text and "0 problem" in text


def test_check_finds_problems_and_repair_fixes_what_it_can(ws, tmp_path):
    import_file(ws, leavers_csv(tmp_path), "leavers")
    os.chmod(ws.path, 0o755)
    os.chmod(ws.db_path, 0o644)
    key_path = ws.key_path
    moved = tmp_path / "elsewhere.key"
    key_path.rename(moved)
    code, text = cli("workspace", "check", "--workspace", ws.path)
    assert code == 2
    assert "key missing" in text and "mode 0755" in text and "mode 0644" in text
    code, text = cli("workspace", "repair", "--workspace", ws.path, "--key-file", moved)
    assert code == 0, text
    assert stat.S_IMODE(ws.path.stat().st_mode) == 0o700 and stat.S_IMODE(ws.db_path.stat().st_mode) == 0o600
    code, text = cli("workspace", "check", "--workspace", ws.path, "--key-file", moved)
    assert code == 0 and "0 problem" in text, text


def test_repair_upgrades_an_old_workspace(tmp_path):
    folder = tmp_path / "old"
    format_1(folder)
    code, text = cli("workspace", "check", "--workspace", folder)
    # old Parity left the folder world-readable and the key inside: both reported
    assert code == 2 and "format 1" in text and "secret.key" in text and "mode 0755" in text
    code, text = cli("workspace", "repair", "--workspace", folder)
    assert code == 0 and f"format {FORMAT_VERSION}" in text, text
    assert not (folder / "secret.key").exists() and (folder / "workspace.json").exists()
