"""Issue 11 and 10: sessions have an absolute lifetime; the app database and its WAL files are 0600."""

from __future__ import annotations

import os
from datetime import timedelta

from sqlalchemy import update
from web_helpers import add_user, settings, sign_in

from parity.web import create_app
from parity.web.db import DB_FILE
from parity.web.models import WebSession, now
from parity.web.security import SECRETS_FILE


def test_a_session_ends_at_its_absolute_lifetime_however_active(tmp_path):
    app = create_app(tmp_path / "ws", settings(session_absolute_hours=12))
    add_user(app, "analyst@example.org", role="analyst")
    client = sign_in(app, "analyst@example.org")
    assert client.get("/organisations", follow_redirects=False).status_code == 200
    with app.state.db.session() as db:  # signed in 13 hours ago, active a minute ago
        db.execute(update(WebSession).values(created_at=now() - timedelta(hours=13),
                                             expires_at=now() + timedelta(hours=1)))
    response = client.get("/organisations", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")


def test_sliding_expiry_never_passes_the_absolute_lifetime(tmp_path):
    app = create_app(tmp_path / "ws", settings(session_hours=12, session_absolute_hours=12))
    add_user(app, "analyst@example.org", role="analyst")
    client = sign_in(app, "analyst@example.org")
    with app.state.db.session() as db:
        db.execute(update(WebSession).values(created_at=now() - timedelta(hours=11)))
    client.get("/organisations")
    with app.state.db.session() as db:
        session = db.query(WebSession).one()
        assert session.expires_at <= session.created_at + timedelta(hours=12, seconds=1)


def test_app_database_wal_files_and_secrets_are_0600(tmp_path):
    app = create_app(tmp_path / "ws", settings())
    add_user(app, "analyst@example.org", role="analyst")  # a write: the WAL and shared-memory files exist
    ws = app.state.workspace
    paths = [ws / DB_FILE, ws / f"{DB_FILE}-wal", ws / f"{DB_FILE}-shm", ws / SECRETS_FILE]
    assert all(p.exists() for p in paths)
    assert {p.name: oct(os.stat(p).st_mode & 0o777) for p in paths} == {p.name: "0o600" for p in paths}
