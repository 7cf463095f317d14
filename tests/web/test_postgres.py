"""The dashboard's key flows with the app database on PostgreSQL (`PARITY_TEST_DATABASE_URL`, .ci/run):
first run, sign in, throttling (its advisory lock), invitations (single use under a race), roles, audit."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from fastapi.testclient import TestClient
from live import live_server
from pg import pg_url  # noqa: F401  (fixture)
from sqlalchemy import func, select
from test_invitation_race import RACERS, _race
from web_helpers import PASSWORD, csrf, settings, sign_in

from parity.web import create_app
from parity.web.models import AuditEvent, Membership, User
from parity.web.views.auth import first_run_link


def _app(tmp_path, url, **overrides):
    app = create_app(tmp_path / "ws", settings(database_url=url, **overrides))
    assert app.state.db.engine.dialect.name == "postgresql"
    return app


def _set_up_admin(app) -> TestClient:
    link = first_run_link(app, "http://testserver")
    client = TestClient(app)
    form = {"csrf_token": csrf(client, link), "email": "lead@example.org", "name": "Lead", "password": PASSWORD,
            "confirm": PASSWORD}
    assert client.post(link, data=form, follow_redirects=False).status_code == 303
    assert TestClient(app).get(link).status_code == 404
    return client


def test_first_run_sign_in_invitation_roles_and_audit(tmp_path, pg_url):  # noqa: F811
    app = _app(tmp_path, pg_url)
    _set_up_admin(app)
    assert first_run_link(app, "http://testserver") is None
    lead = sign_in(app, "lead@example.org")
    page = lead.post("/o/R0A/users/invite", data={"csrf_token": csrf(lead, "/o/R0A/users"),
                                                  "email": "net@example.org", "role": "viewer"}).text
    link = re.search(r'id="invitation-link">([^<]+)<', page).group(1)
    newcomer = TestClient(app)
    r = newcomer.post(link, data={"csrf_token": csrf(newcomer, link), "name": "Net", "password": PASSWORD,
                                  "confirm": PASSWORD})
    assert r.status_code == 200
    assert newcomer.get("/o/R0A/data").status_code == 403  # a viewer
    with app.state.db.session() as db:
        net = db.scalar(select(User).where(User.email == "net@example.org"))
    r = lead.post(f"/o/R0A/users/{net.id}/role", data={"csrf_token": csrf(lead, "/o/R0A/users"), "role": "analyst"})
    assert r.status_code == 200
    assert sign_in(app, "net@example.org").get("/o/R0A/data").status_code == 200  # now an analyst
    with app.state.db.session() as db:
        actions = [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert {"set_up", "sign_in", "invite", "accept_invite", "set_role"} <= set(actions)
    assert "lead@example.org" in lead.get("/audit").text
    app.state.db.engine.dispose()


def test_sign_in_throttle_on_postgresql(tmp_path, pg_url):  # noqa: F811
    app = _app(tmp_path, pg_url, login_max_failures=2)
    _set_up_admin(app)
    client = TestClient(app)
    for expected in (400, 400, 429):
        r = client.post("/sign-in", data={"email": "lead@example.org", "password": "wrong",
                                          "csrf_token": csrf(client)})
        assert r.status_code == expected
    assert "Try again in 5 minutes" in r.text
    app.state.db.engine.dispose()


def test_first_run_link_is_single_use_under_concurrency_on_postgresql(tmp_path, pg_url):  # noqa: F811
    app = _app(tmp_path, pg_url)
    path = urlparse(first_run_link(app, "http://testserver")).path
    forms = [{"email": f"admin{i}@example.org", "name": f"Admin {i}", "password": PASSWORD, "confirm": PASSWORD}
             for i in range(RACERS)]
    with live_server(app) as base:
        codes = _race(base, path, forms)
    with app.state.db.session() as db:
        assert db.scalar(select(func.count()).select_from(User)) == 1
        assert db.scalar(select(func.count()).select_from(Membership)) == 0
    assert codes.count(303) == 1, codes
    app.state.db.engine.dispose()
