"""The workspace: one private folder holding an organisation's canonical tables.

Layout (docs/ingest.md "Workspace" and "Guarantees"):

- ``parity.duckdb`` — DuckDB database; one table per canonical table (same name) plus
  ``import_log`` (one row per import, with what it replaced).
- ``workspace.json`` — format version, workspace id, the key's fingerprint, the data version
  (bumped by every change, so readers such as the dashboard know their figures are stale).
- ``.parity.lock`` — the writer lock (`parity.workspace.lock`), ``backups/`` — copies taken before
  a format upgrade, ``.gitignore`` containing ``*`` so nothing in a workspace is ever committed.

The folder is mode 0700 and the files Parity writes in it 0600. The HMAC key that pseudonymises
identifiers is **not** in the folder: see `parity.workspace.keystore`.
"""

from __future__ import annotations

import contextlib
import gc
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from parity.contract.schema import TABLES
from parity.workspace import keystore, lock, meta
from parity.workspace.errors import (
    DiskFull,
    KeyMissing,
    WorkspaceCorrupt,
    WorkspaceError,
    WrongKey,
)
from parity.workspace.meta import FORMAT_VERSION, IMPORT_LOG_DDL  # noqa: F401  (re-exported)

if TYPE_CHECKING:  # pandas only where a method returns a frame (issue 19: the compiled-SQL cache needs none)
    import pandas as pd

__all__ = ["DB_FILE", "FORMAT_VERSION", "IMPORT_LOG_DDL", "KEY_BYTES", "Workspace", "WorkspaceError"]

DB_FILE = "parity.duckdb"
#: where format-1 workspaces kept their key (moved out on first use, see `Workspace.key`)
LEGACY_KEY_FILE = "secret.key"
KEY_BYTES = keystore.KEY_BYTES
#: files Parity itself writes in the folder (kept at mode 0600)
OWN_FILES = (DB_FILE, DB_FILE + ".wal", meta.META_FILE, lock.LOCK_FILE, ".gitignore")


class KeyMovedWarning(UserWarning):
    """A format-1 workspace's key was moved from the workspace folder to the key store."""


class Workspace:
    """A workspace directory. ``Workspace(path)`` creates nothing until the workspace is used.

    `key_file` overrides where the pseudonymisation key is looked for (else ``PARITY_KEY_FILE``,
    else the per-user key store).
    """

    def __init__(self, path: str | os.PathLike, key_file: str | os.PathLike | None = None):
        self.path = Path(path)
        self.key_file = Path(key_file) if key_file else None

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"

    @classmethod
    def open(cls, path: str | os.PathLike, create: bool = True,
             key_file: str | os.PathLike | None = None) -> Workspace:
        ws = cls(path, key_file=key_file)
        if not create and not ws.db_path.exists():
            raise FileNotFoundError(f"No parity workspace at {ws.path} (no {DB_FILE}); import a file first.")
        ws._ensure()
        return ws

    @property
    def db_path(self) -> Path:
        return self.path / DB_FILE

    # --- layout, format, versions ------------------------------------------------------------
    def _ensure(self) -> None:
        """Create a new workspace (format 2) if there is none; refuse formats newer than ours."""
        if not self.db_path.exists():
            self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(self.path, 0o700)
            with lock.writer_lock(self.path, "create the workspace"):
                if not self.db_path.exists():
                    self._create()
        meta.check_supported(self.path, meta.read(self.path))

    def _create(self) -> None:
        ignore = self.path / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        if meta.read(self.path) is None:
            meta.write(self.path, meta.new_meta())
        con = duckdb.connect(str(self.db_path))
        try:
            con.execute(IMPORT_LOG_DDL)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        self.secure_files()

    @property
    def meta(self) -> dict | None:
        """workspace.json as a dict (None for a format-1 workspace)."""
        return meta.read(self.path)

    @property
    def format_version(self) -> int:
        return meta.check_supported(self.path, self.meta)

    @property
    def data_version(self) -> str:
        """Changes whenever the stored data changes (readers compare it to drop stale results)."""
        m = self.meta
        if m is not None:
            return f"{m['workspace_id']}:{m.get('data_version', 0)}"
        st = self.db_path.stat()  # format 1: no counter; the database file's own change
        return f"format1:{st.st_mtime_ns}:{st.st_size}"

    def bump_data_version(self) -> None:
        with lock.writer_lock(self.path, "record a data change"):
            m = self.upgrade()
            m["data_version"] = int(m.get("data_version", 0)) + 1
            meta.write(self.path, m)

    @contextlib.contextmanager
    def writing(self, what: str) -> Iterator[dict]:
        """Hold the writer lock (queueing behind other writers), upgraded to the current format."""
        self._ensure()
        with lock.writer_lock(self.path, what):
            try:
                yield self.upgrade()
            finally:
                self.secure_files()

    def upgrade(self) -> dict:
        """Bring an older workspace to the current format (backup first); returns its metadata."""
        with lock.writer_lock(self.path, "upgrade the workspace format"):
            current = self.meta
            version = meta.check_supported(self.path, current)
            if version == FORMAT_VERSION:
                return current
            con = self.connect()
            try:
                con.execute("CHECKPOINT")  # the backup must hold everything, with no WAL beside it
            finally:
                con.close()
            copy = meta.backup(self.path, DB_FILE, version)
            con = self.connect()
            try:
                con.begin()
                for v in range(version, FORMAT_VERSION):
                    meta.MIGRATIONS[v](con)
                con.commit()
            finally:
                con.close()
            new = meta.new_meta() if current is None else {**current, "format_version": FORMAT_VERSION}
            new["data_version"] = int(new.get("data_version", 0)) + 1
            meta.write(self.path, new)
            lock.notify(f"Upgraded the workspace {self.path} from format {version} to {FORMAT_VERSION} "
                        f"(a copy of the old database is in {copy}).")
            return new

    def secure_files(self) -> None:
        """Folder 0700, Parity's own files 0600 (special-category data: owner only)."""
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o700)
        for name in OWN_FILES:
            with contextlib.suppress(FileNotFoundError, PermissionError):
                os.chmod(self.path / name, 0o600)

    # --- database -----------------------------------------------------------------------------
    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """A DuckDB connection, waiting (bounded) while another process has the database open."""
        self._ensure()
        try:
            con = lock.wait_for_duckdb(lambda: self._open_db(read_only), self.path, reading=read_only)
        except duckdb.Error as exc:
            raise self.explain(exc) from exc
        return con

    def _open_db(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(str(self.db_path), read_only=read_only)
        except duckdb.ConnectionException as exc:
            if "different configuration" not in str(exc):
                raise
            # A connection of this process in the other mode (read-only vs read-write) that nothing
            # uses any more but the garbage collector has not closed yet (a backend dropped inside a
            # reference cycle) keeps the file open: collect it, then try once more.
            gc.collect()
            return duckdb.connect(str(self.db_path), read_only=read_only)

    def explain(self, exc: BaseException) -> BaseException:
        """A DuckDB failure as a `WorkspaceError` saying what to do, where we recognise it."""
        text = str(exc)
        if "No space left" in text or "File too large" in text:
            return DiskFull(f"Disk full while writing {self.db_path}: {text}")
        corrupt = ("not a valid DuckDB database", "Could not read enough bytes", "Corrupt", "checksum")
        if isinstance(exc, duckdb.SerializationException) or any(c in text for c in corrupt):
            return WorkspaceCorrupt(
                f"The workspace database {self.db_path} is damaged ({text}); nothing was changed. Run "
                f"`parity workspace check --workspace {self.path}`, then restore the newest copy from "
                f"{self.path / meta.BACKUP_DIR} or your own backup.")
        return exc

    def ibis(self):
        """An ibis DuckDB backend on the workspace database, read-only where possible."""
        import ibis

        self._ensure()
        try:
            return lock.wait_for_duckdb(lambda: ibis.duckdb.connect(database=str(self.db_path), read_only=True),
                                        self.path)
        except duckdb.ConnectionException:  # this process already holds a read-write connection
            return ibis.duckdb.connect(database=str(self.db_path))
        except duckdb.Error as exc:
            raise self.explain(exc) from exc

    def tables(self) -> list[str]:
        """Canonical tables present in the workspace, in contract order."""
        with self.connect() as con:
            present = {r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        return [t for t in TABLES if t in present]

    def import_log(self) -> pd.DataFrame:
        with self.connect() as con:
            con.execute(IMPORT_LOG_DDL)
            return con.execute("SELECT * FROM import_log ORDER BY import_id").df()

    def has_data(self) -> bool:
        with self.connect() as con:
            con.execute(IMPORT_LOG_DDL)
            return con.execute("SELECT count(*) FROM import_log").fetchone()[0] > 0

    # --- the pseudonymisation key -------------------------------------------------------------
    @property
    def key_path(self) -> Path:
        """Where this workspace's key is looked for (`parity.workspace.keystore`)."""
        m = self.meta or self.upgrade()
        return keystore.locate(m["workspace_id"], self.key_file)[0]

    @property
    def key(self) -> bytes:
        """The HMAC key, checked against the workspace's fingerprint; created only for a new workspace.

        Raises `KeyMissing` when the workspace holds data and the key is not found (a new key would
        silently break the link between new and stored pseudonyms) and `WrongKey` when the key's
        fingerprint is not the recorded one.
        """
        with self.writing("check the pseudonymisation key") as m:
            path, how = keystore.locate(m["workspace_id"], self.key_file)
            legacy = self.path / LEGACY_KEY_FILE
            if legacy.exists():
                self._move_legacy_key(legacy, path)
            recorded = m.get("key_fingerprint")
            if path.exists():
                key = keystore.read_key(path)
                found = keystore.fingerprint(key)
                if recorded and found != recorded:
                    raise WrongKey(
                        f"The key at {path} ({how}) is not the key of the workspace {self.path}: its fingerprint "
                        f"is {found[:16]}…, the workspace expects {recorded[:16]}…. Nothing was imported. Give "
                        f"the right key file with --key-file FILE or {keystore.KEY_ENV}=FILE, or restore "
                        "it from your backup.")
            elif recorded or self.has_data():
                expect = f" (fingerprint {recorded[:16]}…)" if recorded else ""
                raise KeyMissing(
                    f"The pseudonymisation key of the workspace {self.path}{expect} is missing: it is not at "
                    f"{path} ({how}). The workspace holds pseudonymised data and a new key would stop new "
                    "pseudonyms linking to the stored ones, so nothing was imported. Restore the key file "
                    f"from your backup to {path}, or say where it is with --key-file FILE or "
                    f"{keystore.KEY_ENV}=FILE.")
            else:
                key = keystore.new_key(path)
            if recorded != keystore.fingerprint(key):
                meta.write(self.path, {**m, "key_fingerprint": keystore.fingerprint(key)})
            return key

    def _move_legacy_key(self, legacy: Path, path: Path) -> None:
        old = keystore.read_key(legacy)
        if path.exists() and keystore.read_key(path) != old:
            raise WorkspaceError(
                f"Two different keys: {legacy} inside the workspace and {path}. Keep the one the stored "
                f"data was made with (usually {legacy}), move it to {path}, and delete the other.")
        if not path.exists():
            keystore.write_key(path, old)
        legacy.unlink()
        warnings.warn(KeyMovedWarning(
            f"Moved the pseudonymisation key out of the workspace ({legacy}) to {path}: a key beside the data "
            "lets anyone with the folder reverse staff numbers. Back the key up; other accounts using this "
            f"workspace (e.g. the dashboard's) need {keystore.KEY_ENV}={path}."), stacklevel=3)

    def pseudonymise(self, series: pd.Series) -> pd.Series:
        """The pseudonyms this workspace stores for the identifiers in `series`."""
        from parity.ingest.pseudonymise import pseudonymise

        return pseudonymise(self.key, series)
