"""The app database's schema is versioned with Alembic; an upgrade never loses users or the audit log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from pg import pg_url  # noqa: F401  (fixture)
from sqlalchemy import inspect
from web_helpers import PASSWORD, settings, sign_in

from parity.web import create_app
from parity.web.db import DB_FILE, Database, alembic_config
from parity.web.models import AuditEvent, Base, User

LEGACY = Path(__file__).parent / "data" / "app-db-before-alembic.sql"


def _head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _revision(engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _schema_diff(engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), Base.metadata)


def test_a_new_sqlite_database_is_migrated_to_head_and_matches_the_models(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'app.sqlite'}")
    assert _revision(db.engine) == _head()
    assert _schema_diff(db.engine) == []


def test_a_new_postgresql_database_is_migrated_to_head_and_matches_the_models(pg_url):  # noqa: F811
    db = Database(pg_url)
    assert _revision(db.engine) == _head()
    assert _schema_diff(db.engine) == []
    db.engine.dispose()


def test_a_database_made_before_alembic_keeps_its_users_and_audit_log(tmp_path):
    workspace = tmp_path / "ws"
    workspace.mkdir()
    with sqlite3.connect(workspace / DB_FILE) as legacy:
        legacy.executescript(LEGACY.read_text(encoding="utf-8"))
    app = create_app(workspace, settings())
    engine = app.state.db.engine
    assert "alembic_version" in inspect(engine).get_table_names()
    assert _revision(engine) == _head()
    assert _schema_diff(engine) == []
    with app.state.db.session() as db:
        assert sorted(u.email for u in db.query(User)) == ["analyst@example.org", "lead@example.org"]
        assert [(e.action, e.user_email) for e in db.query(AuditEvent).order_by(AuditEvent.id)][:2] == [
            ("sign_in", "lead@example.org"), ("sign_in_failed", "analyst@example.org")]
    analyst = sign_in(app, "analyst@example.org", PASSWORD)  # the old password hash still works
    assert analyst.get("/o/R0A/data", follow_redirects=False).status_code == 200  # and the old role


def test_starting_twice_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    Database(url)
    again = Database(url)
    assert _revision(again.engine) == _head()


@pytest.mark.parametrize("table", sorted(Base.metadata.tables))
def test_every_table_is_in_the_baseline(tmp_path, table):
    db = Database(f"sqlite:///{tmp_path / 'app.sqlite'}")
    assert table in inspect(db.engine).get_table_names()
