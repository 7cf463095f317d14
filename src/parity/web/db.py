"""The app database: an engine and a session factory over the models (SQLite by default, or PostgreSQL).

The schema is versioned with Alembic (`parity.web.migrations`): every start upgrades to the newest
revision. A database made before Alembic (by `create_all`, without an ``alembic_version`` table) is
brought to the baseline first (missing tables added, nothing dropped) and stamped, so its users and
audit log are kept.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from parity.web.models import Base

DB_FILE = "parity-web.sqlite"
MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001_baseline"
#: the tables of the baseline revision (an old database lacking one gets it before being stamped)
BASELINE_TABLES = ("users", "memberships", "invitations", "sessions", "login_failures", "audit_log", "uploads",
                   "report_jobs")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine) -> None:
    """Bring the database to the newest revision (stamping a pre-Alembic database with the baseline)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        tables = set(inspect(connection).get_table_names())
        if tables and "alembic_version" not in tables:
            # an older create_all database: add any baseline table it lacks, then call it the baseline
            Base.metadata.create_all(connection, tables=[Base.metadata.tables[t] for t in BASELINE_TABLES])
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")


class Database:
    """Engine + sessions. ``Database.for_workspace(path)`` is SQLite in the workspace."""

    def __init__(self, url: str):
        self.url = url
        sqlite = url.startswith("sqlite")
        self.engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30} if sqlite else {})
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        upgrade(self.engine)

    @classmethod
    def for_workspace(cls, workspace: Path, url: str | None = None) -> Database:
        if url:
            return cls(url)
        # user records and the audit log are not for other local accounts: the file exists 0600 before
        # SQLite opens it (SQLite gives its -wal and -shm files the database file's mode), under a
        # restrictive umask for anything else created meanwhile
        path = Path(workspace) / DB_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        old_umask = os.umask(0o077)
        try:
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
            for existing in (path, path.with_name(f"{DB_FILE}-wal"), path.with_name(f"{DB_FILE}-shm")):
                if existing.exists():
                    existing.chmod(0o600)  # also repairs a database made by an older version
            return cls(f"sqlite:///{path}")
        finally:
            os.umask(old_umask)

    @contextmanager
    def session(self) -> Iterator[Session]:
        s = self._factory()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the report thread write while pages read
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
