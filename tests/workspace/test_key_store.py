"""Issue 12.2 + issue 10 "Pseudonyms and files": the HMAC key lives outside the workspace, and a
missing or wrong key stops an import instead of silently breaking the link between pseudonyms."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest
from typer.testing import CliRunner

from parity.cli import app
from parity.ingest import import_file
from parity.workspace import Workspace


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def leavers(n=5) -> pd.DataFrame:
    return pd.DataFrame({"person_id": [f"E{100000 + i}" for i in range(n)], "leave_date": "2023-07-31",
                         "reason": "Retirement"})


def test_key_is_kept_outside_the_workspace_in_a_private_store(tmp_path, monkeypatch, write_csv):
    store = tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(store))
    ws = Workspace.open(tmp_path / "ws")
    assert import_file(ws, write_csv(leavers()), "leavers").imported
    key = ws.key
    assert ws.key_path.parent == store / "parity" / "keys"
    assert ws.key_path.read_bytes() == key and ws.path not in ws.key_path.parents
    assert mode(ws.key_path) == 0o600 and mode(ws.key_path.parent) == 0o700
    for f in ws.path.rglob("*"):  # nothing in the workspace folder holds the key
        assert not f.is_file() or key not in f.read_bytes(), f


def test_workspace_folder_and_data_files_are_private(tmp_path, write_csv):
    ws = Workspace.open(tmp_path / "ws")
    import_file(ws, write_csv(leavers()), "leavers")
    assert mode(ws.path) == 0o700
    files = [f for f in ws.path.iterdir() if f.is_file()]
    assert ws.db_path in files
    for f in files:
        assert mode(f) == 0o600, f


def test_missing_key_refuses_to_import_and_says_how_to_restore(ws, write_csv, read_table):
    import_file(ws, write_csv(leavers()), "leavers")
    before = read_table(ws, "leavers")
    lost = ws.key_path
    lost.unlink()
    with pytest.raises(ValueError) as err:
        import_file(Workspace.open(ws.path), write_csv(leavers(8), "more.csv"), "leavers")
    msg = str(err.value)
    assert "key" in msg and "restore" in msg.lower() and str(lost) in msg and "PARITY_KEY_FILE" in msg
    assert not lost.exists()  # never silently regenerated
    pd.testing.assert_frame_equal(read_table(ws, "leavers"), before)


def test_wrong_key_is_detected_by_its_fingerprint(ws, write_csv, tmp_path, monkeypatch):
    import_file(ws, write_csv(leavers()), "leavers")
    ws.key_path.write_bytes(os.urandom(32))
    with pytest.raises(ValueError, match="fingerprint"):
        import_file(Workspace.open(ws.path), write_csv(leavers(), "again.csv"), "leavers")
    assert len(ws.import_log()) == 1


def test_key_file_chosen_by_the_admin(tmp_path, monkeypatch, write_csv):
    chosen = tmp_path / "vault" / "trust.key"
    monkeypatch.setenv("PARITY_KEY_FILE", str(chosen))
    ws = Workspace.open(tmp_path / "ws")
    import_file(ws, write_csv(leavers()), "leavers")
    assert ws.key_path == chosen and len(chosen.read_bytes()) == 32 and mode(chosen) == 0o600
    stored = list(ws.pseudonymise(leavers()["person_id"]))
    monkeypatch.delenv("PARITY_KEY_FILE")
    # the same key given explicitly (the CLI's --key-file) links to the stored pseudonyms
    again = Workspace.open(ws.path, key_file=chosen)
    assert list(again.pseudonymise(leavers()["person_id"])) == stored
    # without it, the default store holds no key for this workspace: refused, not regenerated
    with pytest.raises(ValueError, match="Restore the key file"):
        import_file(Workspace.open(ws.path), write_csv(leavers(), "b.csv"), "leavers")


def test_cli_key_file_and_clear_refusal(tmp_path, write_csv):
    runner = CliRunner()
    key, ws = tmp_path / "k" / "ws.key", tmp_path / "ws"
    path = write_csv(leavers())
    ok = runner.invoke(app, ["import", path, "-t", "leavers", "-w", str(ws), "--key-file", str(key)])
    assert ok.exit_code == 0, ok.output
    refused = runner.invoke(app, ["import", path, "-t", "leavers", "-w", str(ws)])
    assert refused.exit_code == 2
    assert "Traceback" not in refused.output and "Unexpected" not in refused.output
    assert "restore" in refused.output.lower() and "Could not process" not in refused.output


def test_legacy_key_inside_the_workspace_is_moved_out_and_keeps_linking(tmp_path, write_csv):
    # a workspace from before the key store: secret.key beside parity.duckdb
    ws = Workspace.open(tmp_path / "old")
    legacy_key = os.urandom(32)
    (ws.path / "secret.key").write_bytes(legacy_key)
    ids = leavers()["person_id"]
    with pytest.warns(UserWarning, match="Moved the pseudonymisation key out"):
        import_file(ws, write_csv(leavers()), "leavers")
    assert not (ws.path / "secret.key").exists()
    assert ws.key_path.read_bytes() == legacy_key
    from parity.ingest.pseudonymise import pseudonymise

    assert list(Workspace.open(ws.path).pseudonymise(ids)) == list(pseudonymise(legacy_key, ids))
