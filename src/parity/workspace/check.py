"""`parity workspace check` and `repair`: what state a workspace is in, and fixing what can be fixed.

A check only reads (it never upgrades, moves the key or takes the writer lock). Each finding is
(severity, message); errors make the check exit 2. Repair takes the writer lock, upgrades the
format (backup first), moves a format-1 key out, records the fingerprint of a key given with
``--key-file``, rebuilds a damaged ``workspace.json`` and restores private file modes.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from parity.contract.schema import TABLES
from parity.workspace import LEGACY_KEY_FILE, OWN_FILES, Workspace, keystore, lock, meta
from parity.workspace.errors import WorkspaceError

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass
class Report:
    path: Path
    findings: list[tuple[str, str]] = field(default_factory=list)

    def add(self, severity: str, message: str) -> None:
        self.findings.append((severity, message))

    @property
    def problems(self) -> list[tuple[str, str]]:
        return [f for f in self.findings if f[0] in (ERROR, WARNING)]

    @property
    def ok(self) -> bool:
        return not any(s == ERROR for s, _ in self.findings)


def check(path: Path, key_file: Path | None = None) -> Report:
    rep = Report(Path(path))
    ws = Workspace(path, key_file=key_file)
    if not ws.db_path.exists():
        rep.add(ERROR, f"No workspace at {path} (no parity.duckdb).")
        return rep
    try:
        m = meta.read(ws.path)
        version = meta.check_supported(ws.path, m)
    except WorkspaceError as exc:
        rep.add(ERROR, str(exc))
        return rep
    if version < meta.FORMAT_VERSION:
        rep.add(INFO, f"format {version} (this Parity writes format {meta.FORMAT_VERSION}): upgraded, with a "
                      "backup, by the next import or `parity workspace repair`.")
    else:
        rep.add(INFO, f"format {version}, workspace id {m['workspace_id']}, data version {m.get('data_version', 0)}")
    _check_database(ws, rep)
    _check_key(ws, m, rep)
    _check_modes(ws, rep)
    if lock.describe_holder(ws.path) != "holder unknown":
        rep.add(INFO, f"the writer lock is held ({lock.describe_holder(ws.path)})")
    return rep


def _check_database(ws: Workspace, rep: Report) -> None:
    from parity.ingest.load import stored_columns

    try:
        con = ws.connect(read_only=True)
    except WorkspaceError as exc:
        rep.add(ERROR, str(exc))
        return
    try:
        present = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        if "import_log" not in present:
            rep.add(ERROR, "import_log is missing.")
            return
        logged = {r[0] for r in con.execute("SELECT import_id FROM import_log").fetchall()}
        for name in [t for t in TABLES if t in present]:
            cols = [r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()]
            want = [c for c, _ in stored_columns(TABLES[name])] + ["import_id"]
            later = sorted({c.name for c in TABLES[name].columns if not c.required} - set(cols))
            if later:  # optional columns the contract gained since (issue 17): added, NULL, when next written
                rep.add(INFO, f"{name}: stored before the optional columns {later}; the next import of {name} "
                              "or `parity workspace repair` adds them (empty).")
                want = [c for c in want if c not in later]
            if set(cols) != set(want):  # order does not matter: every insert names its columns
                rep.add(ERROR, f"{name}: columns {sorted(set(cols) ^ set(want))} differ from the data contract "
                               f"(stored {cols}, expected {want}).")
                continue
            # reading every value touches every block, so DuckDB's checksums see any damage
            n, _ = con.execute(f'SELECT count(*), sum(hash(t)) FROM "{name}" t').fetchone()
            ids = {r[0] for r in con.execute(f'SELECT DISTINCT import_id FROM "{name}"').fetchall()}
            rep.add(INFO, f"{name}: {n} rows from {len(ids)} import(s)")
            if ids - logged:
                rep.add(ERROR, f"{name}: rows from imports {sorted(ids - logged)} that import_log does not list.")
    except Exception as exc:  # noqa: BLE001 — report damage, never crash
        err = ws.explain(exc)
        rep.add(ERROR, str(err) if isinstance(err, WorkspaceError) else f"reading the database failed: {exc}")
    finally:
        con.close()


def _check_key(ws: Workspace, m: dict | None, rep: Report) -> None:
    legacy = ws.path / LEGACY_KEY_FILE
    if legacy.exists():
        rep.add(WARNING, f"the key is inside the workspace ({legacy}): anyone with the folder can reverse "
                         "pseudonyms. The next import or `parity workspace repair` moves it to the key store.")
        return
    if m is None:
        rep.add(ERROR, "no workspace.json and no secret.key: the key is unknown. Run `parity workspace repair "
                       "--key-file FILE` with the key the data was made with.")
        return
    path, how = keystore.locate(m["workspace_id"], ws.key_file)
    recorded = m.get("key_fingerprint")
    if not path.exists():
        severity = ERROR if recorded else INFO
        rep.add(severity, f"key missing: not at {path} ({how})" + (
            "; restore it from your backup, or give --key-file / PARITY_KEY_FILE." if recorded
            else "; a new key is made by the first import."))
        return
    try:
        found = keystore.fingerprint(keystore.read_key(path))
    except WorkspaceError as exc:
        rep.add(ERROR, str(exc))
        return
    if recorded and found != recorded:
        rep.add(ERROR, f"wrong key at {path} ({how}): fingerprint {found[:16]}…, expected {recorded[:16]}….")
    else:
        rep.add(INFO, f"key: found at {path} ({how}), fingerprint matches" if recorded
                else f"key: found at {path} ({how}); its fingerprint is recorded by the next import")
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        rep.add(WARNING, f"{path} has mode {stat.S_IMODE(path.stat().st_mode):04o}; it should be 0600.")


def _check_modes(ws: Workspace, rep: Report) -> None:
    mode = stat.S_IMODE(ws.path.stat().st_mode)
    if mode != 0o700:
        rep.add(ERROR, f"the workspace folder has mode {mode:04o}; it should be 0700 (repair fixes it).")
    for name in OWN_FILES:
        f = ws.path / name
        if f.exists() and stat.S_IMODE(f.stat().st_mode) != 0o600:
            rep.add(ERROR, f"{name} has mode {stat.S_IMODE(f.stat().st_mode):04o}; it should be 0600 (repair fixes it).")


def repair(path: Path, key_file: Path | None = None) -> list[str]:
    """Fix what can be fixed; returns what was done. Raises `WorkspaceError` for what cannot be."""
    ws = Workspace(path, key_file=key_file)
    if not ws.db_path.exists():
        raise WorkspaceError(f"No workspace at {path} (no parity.duckdb); nothing to repair.")
    done = []
    with lock.writer_lock(ws.path, "parity workspace repair"):
        try:
            meta.read(ws.path)
        except WorkspaceError:
            bad = ws.path / meta.META_FILE
            os.replace(bad, bad.with_name(meta.META_FILE + ".damaged"))
            done.append(f"moved the damaged {meta.META_FILE} aside and rebuilt it")
            if key_file is None:
                raise WorkspaceError("workspace.json was damaged: run repair again with --key-file FILE, the key "
                                     "the stored data was made with, so it can be recorded.") from None
        before = meta.read(ws.path)
        m = ws.upgrade()
        if before is None or int(before["format_version"]) < meta.FORMAT_VERSION:
            done.append(f"upgraded to format {meta.FORMAT_VERSION} (backup in {ws.path / meta.BACKUP_DIR})")
        if key_file is not None and m.get("key_fingerprint") is None:
            meta.write(ws.path, {**m, "key_fingerprint": keystore.fingerprint(keystore.read_key(Path(key_file)))})
            done.append(f"recorded the fingerprint of {key_file}")
        if (ws.path / LEGACY_KEY_FILE).exists() or key_file is not None:
            ws.key  # noqa: B018 — moves a format-1 key out and checks the fingerprint
            done.append("checked the key (moved out of the workspace if it was inside)")
        if added := _add_optional_columns(ws):
            done.append(f"added optional columns the data contract gained: {'; '.join(added)}")
        ws.secure_files()
        ws.bump_data_version()
        done.append("set the folder to 0700 and Parity's files to 0600; bumped the data version")
    return done


def _add_optional_columns(ws: Workspace) -> list[str]:
    """Stored tables gain the optional columns the contract added since they were made (NULL)."""
    from parity.ingest.load import add_missing_columns

    done = []
    con = ws.connect()
    try:
        present = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        for name in [t for t in TABLES if t in present and not TABLES[t].open_columns]:
            before = {r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()}
            add_missing_columns(con, TABLES[name])
            after = {r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()}
            if after - before:
                done.append(f"{name}: {', '.join(sorted(after - before))}")
    finally:
        con.close()
    return done
