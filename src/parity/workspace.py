"""The workspace: one directory holding an organisation's canonical tables and its secret key.

Layout (docs/ingest.md "Workspace"):

- ``parity.duckdb`` — DuckDB database; one table per canonical table (same name) plus
  ``import_log`` (one row per import).
- ``secret.key`` — 32 random bytes, file mode 0600, created on first use; the HMAC key that
  pseudonymises identifiers. Losing it means new imports no longer link to old ones.
- ``.gitignore`` containing ``*`` so nothing in a workspace is ever committed.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import duckdb
import pandas as pd

from parity.contract.schema import TABLES

DB_FILE = "parity.duckdb"
KEY_FILE = "secret.key"
KEY_BYTES = 32

IMPORT_LOG_DDL = """
CREATE TABLE IF NOT EXISTS import_log (
    import_id INTEGER, file_name VARCHAR, content_sha256 VARCHAR, table_name VARCHAR,
    org_code VARCHAR, rows_read BIGINT, rows_accepted BIGINT, rows_excluded BIGINT,
    excluded_by_reason JSON, imported_at TIMESTAMP, period VARCHAR
)"""


class Workspace:
    """A workspace directory. ``Workspace(path)`` creates nothing until the workspace is used."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"

    @classmethod
    def open(cls, path: str | os.PathLike, create: bool = True) -> Workspace:
        ws = cls(path)
        if not create and not ws.db_path.exists():
            raise FileNotFoundError(f"No parity workspace at {ws.path} (no {DB_FILE}); import a file first.")
        ws._ensure()
        return ws

    @property
    def db_path(self) -> Path:
        return self.path / DB_FILE

    @property
    def key_path(self) -> Path:
        return self.path / KEY_FILE

    def _ensure(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        ignore = self.path / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        if not self.db_path.exists():
            con = duckdb.connect(str(self.db_path))
            try:
                con.execute(IMPORT_LOG_DDL)
            finally:
                con.close()

    @property
    def key(self) -> bytes:
        """The workspace HMAC key, created (mode 0600, never overwritten) on first use."""
        self._ensure()
        try:
            fd = os.open(self.key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = self.key_path.read_bytes()
            if len(key) != KEY_BYTES:
                raise ValueError(f"{self.key_path} is damaged ({len(key)} bytes, expected {KEY_BYTES}).") from None
            return key
        key = secrets.token_bytes(KEY_BYTES)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        os.chmod(self.key_path, 0o600)  # in case the umask widened it
        return key

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        self._ensure()
        return duckdb.connect(str(self.db_path), read_only=read_only)

    def ibis(self):
        """An ibis DuckDB backend on the workspace database, read-only where possible."""
        import ibis

        self._ensure()
        try:
            return ibis.duckdb.connect(database=str(self.db_path), read_only=True)
        except duckdb.Error:  # this process already holds a read-write connection
            return ibis.duckdb.connect(database=str(self.db_path))

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

    def pseudonymise(self, series: pd.Series) -> pd.Series:
        """The pseudonyms this workspace stores for the identifiers in `series`."""
        from parity.ingest.pseudonymise import pseudonymise

        return pseudonymise(self.key, series)
