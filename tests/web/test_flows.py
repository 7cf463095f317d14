"""End-to-end flows over HTTP: first run, invitation, upload → validate → confirm, reports."""

from __future__ import annotations

import re
import time

from fastapi.testclient import TestClient
from web_helpers import PASSWORD, csrf, finished, settings, sign_in

from parity.web import create_app
from parity.web.models import AuditEvent
from parity.web.views.auth import first_run_link


def test_first_run_link_creates_the_admin_once(tmp_path):
    app = create_app(tmp_path / "ws", settings())
    link = first_run_link(app, "http://testserver")
    assert link and len(link.rsplit("/", 1)[1]) >= 40
    client = TestClient(app)
    form = {"csrf_token": csrf(client, link), "email": "lead@example.org", "name": "Lead",
            "password": PASSWORD, "confirm": PASSWORD}
    assert client.post(link, data=form, follow_redirects=False).status_code == 303
    assert first_run_link(app, "http://testserver") is None  # only while no user exists
    assert TestClient(app).get(link).status_code == 404  # one-time


def test_invitation_sets_role_in_the_organisation(fresh_app):
    admin = sign_in(fresh_app, "analyst@example.org")  # not an admin: cannot invite
    assert admin.get("/o/R0A/users").status_code == 403
    from web_helpers import add_user

    add_user(fresh_app, "boss@example.org", role="admin")
    boss = sign_in(fresh_app, "boss@example.org")
    page = boss.post("/o/R0A/users/invite", data={"csrf_token": csrf(boss, "/o/R0A/users"),
                                                  "email": "net@example.org", "role": "viewer"}).text
    link = re.search(r'id="invitation-link">([^<]+)<', page).group(1)
    newcomer = TestClient(fresh_app)
    r = newcomer.post(link, data={"csrf_token": csrf(newcomer, link), "name": "Net", "password": PASSWORD,
                                  "confirm": PASSWORD})
    assert r.status_code == 200 and "R0A" in r.text
    assert newcomer.get("/o/R0A/data").status_code == 403  # viewer


def test_upload_validate_confirm_and_history(fresh_app, demo_data):
    client = sign_in(fresh_app, "analyst@example.org")
    before = client.get("/o/R0A/overview").text
    token = csrf(client, "/o/R0A/data")
    content = (demo_data / "leavers.csv").read_bytes()
    page = finished(client, client.post("/o/R0A/data/upload", data={"csrf_token": token, "table": "leavers",
                                                                    "preset": ""},
                                        files={"file": ("leavers.csv", content, "text/csv")}))
    assert page.status_code == 200 and "Rows read" in page.text
    confirm = re.search(r'action="(/o/R0A/data/uploads/[^"]+/confirm)"', page.text).group(1)
    done = finished(client, client.post(confirm, data={"csrf_token": csrf(client, confirm.rsplit("/", 1)[0])}))
    assert "Imported" in done.text
    assert "leavers.csv" in client.get("/o/R0A/data/history").text
    assert client.post(confirm, data={"csrf_token": csrf(client, "/o/R0A/data")}).status_code == 404  # once
    assert not list((fresh_app.state.workspace / "web-uploads").glob("*/leavers.csv"))  # temp file removed
    assert before  # the cache was cleared by the import: the page recomputes
    assert client.get("/o/R0A/overview").status_code == 200
    with fresh_app.state.db.session() as db:
        actions = {e.action for e in db.query(AuditEvent)}
    assert {"sign_in", "upload", "import"} <= actions


def test_messy_upload_shows_the_cli_problems_in_web_words(fresh_app, messy_data):
    from parity.ingest import validate_file
    from parity.web.plain import message

    path = messy_data / "esr" / "staff_in_post.csv"
    expected = validate_file(path, "workforce", preset="esr-staff-in-post")
    client = sign_in(fresh_app, "analyst@example.org")
    page = finished(client, client.post("/o/R0A/data/upload", data={
        "csrf_token": csrf(client, "/o/R0A/data"), "table": "workforce", "preset": "esr-staff-in-post"},
        files={"file": (path.name, path.read_bytes(), "text/csv")})).text
    import html

    shown = html.unescape(page)
    for problem in expected.problems[:20]:  # the same problems, their CLI advice replaced (issue 14)
        assert message(problem.message, problem.code) in shown


def test_report_generation_and_downloads(fresh_app):
    analyst = sign_in(fresh_app, "analyst@example.org")
    r = analyst.post("/o/R0A/reports", data={"csrf_token": csrf(analyst, "/o/R0A/reports"), "year": "2025"})
    assert r.status_code == 200
    deadline = time.time() + 120
    while "/reports/1/html" not in (page := analyst.get("/o/R0A/reports").text) and time.time() < deadline:
        assert "failed" not in page, page
        time.sleep(1)
    for fmt in ("html", "pdf", "xlsx", "csv"):
        response = analyst.get(f"/o/R0A/reports/1/{fmt}")
        assert response.status_code == 200, fmt
        assert len(response.content) > 100
    viewer = sign_in(fresh_app, "viewer@example.org")
    assert viewer.get("/o/R0A/reports/1/html").status_code == 200
    with fresh_app.state.db.session() as db:
        assert db.query(AuditEvent).filter(AuditEvent.action == "download").count() == 5
