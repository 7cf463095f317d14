"""Organisation names set by an administrator and shown instead of bare codes; a user with one
organisation lands on its overview (issue 14)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from web_helpers import PASSWORD, add_user, csrf, sign_in

NAME = "Northshire Hospitals NHS Foundation Trust"


def _sign_in(app, email: str, **extra):
    client = TestClient(app)
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": csrf(client),
                                             **extra}, follow_redirects=False)
    assert response.status_code == 303
    return response.headers["location"]


def test_a_user_with_one_organisation_lands_on_its_overview(fresh_app):
    add_user(fresh_app, "two@example.org", role="viewer")
    add_user(fresh_app, "site@example.org", site_admin=True)
    from sqlalchemy import select

    from parity.web.models import Membership, User

    with fresh_app.state.db.session() as db:  # a second organisation for two@
        two = db.scalar(select(User).where(User.email == "two@example.org"))
        db.add(Membership(user_id=two.id, org_code="R0B", role="viewer"))
    assert _sign_in(fresh_app, "viewer@example.org") == "/o/R0A/overview"
    assert _sign_in(fresh_app, "two@example.org") == "/organisations"
    assert _sign_in(fresh_app, "site@example.org") == "/organisations"
    # a page asked for before signing in still wins
    assert _sign_in(fresh_app, "viewer@example.org", next="/o/R0A/reports") == "/o/R0A/reports"


def test_an_admin_names_the_organisation_and_pages_show_the_name(fresh_app):
    add_user(fresh_app, "orgadmin@example.org", role="admin")
    admin = sign_in(fresh_app, "orgadmin@example.org")
    form = admin.get("/o/R0A/name")
    assert form.status_code == 200 and '<input class="nhsuk-input' in form.text

    blank = admin.post("/o/R0A/name", data={"csrf_token": csrf(admin, "/o/R0A/name"), "name": "  "})
    assert blank.status_code == 400 and 'class="nhsuk-error-summary"' in blank.text
    long = admin.post("/o/R0A/name", data={"csrf_token": csrf(admin, "/o/R0A/name"), "name": "x" * 121})
    assert long.status_code == 400

    done = admin.post("/o/R0A/name", data={"csrf_token": csrf(admin, "/o/R0A/name"),
                                           "name": f"  {NAME}  "}, follow_redirects=False)
    assert done.status_code == 303
    listing = admin.get("/organisations").text
    assert re.search(rf'<a href="/o/R0A/overview">{NAME}</a> \(R0A\)', listing)

    viewer = sign_in(fresh_app, "viewer@example.org")
    overview = viewer.get("/o/R0A/overview").text
    assert f"<h1>{NAME}: workforce equality" in overview
    for path in ("/o/R0A/reports", "/o/R0A/actions"):
        assert NAME in viewer.get(path).text, path
    # only an administrator names it
    assert viewer.post("/o/R0A/name", data={"csrf_token": csrf(viewer, "/o/R0A/overview"),
                                            "name": "Hijacked"}).status_code == 403
    assert "Hijacked" not in viewer.get("/o/R0A/overview").text
    with fresh_app.state.db.session() as db:
        from parity.web.models import AuditEvent

        assert [e.detail for e in db.query(AuditEvent).filter(AuditEvent.action == "org_named")] == [NAME]


def test_an_upgrade_adds_the_names_table_and_keeps_users(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine, inspect, text

    from parity.web.db import Database, alembic_config

    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    engine = create_engine(url)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001_baseline")
        conn.execute(text("INSERT INTO users (email, name, password_hash, is_site_admin, active, created_at) "
                          "VALUES ('kept@example.org', 'Kept', 'x', 0, 1, '2026-01-01')"))
    assert "organisations" not in inspect(engine).get_table_names()
    db = Database(url)  # every start upgrades to the newest revision
    assert "organisations" in inspect(db.engine).get_table_names()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT email FROM users")).scalars().all() == ["kept@example.org"]


def test_pages_remember_the_name_briefly_and_see_a_name_set_elsewhere_after_that(fresh_app, monkeypatch):
    """Issue 11: a page view does not open a database session for the organisation's name; a name set
    by another process sharing the database shows once the few seconds are up."""
    from parity.web import orgnames

    viewer = sign_in(fresh_app, "viewer@example.org")
    assert viewer.get("/o/R0A/reports").status_code == 200  # the name (here the code) is remembered
    with fresh_app.state.db.session() as db:  # another process names it: this one is not told
        orgnames.set_name(db, "R0A", NAME)
    opened = []
    real = fresh_app.state.db.session
    monkeypatch.setattr(fresh_app.state.db, "session", lambda: opened.append(1) or real())
    assert orgnames.shown_name(fresh_app, "R0A") == "R0A" and opened == []
    monkeypatch.setattr(orgnames, "NAME_TTL_SECONDS", 0.0)
    assert orgnames.shown_name(fresh_app, "R0A") == NAME and opened == [1]
