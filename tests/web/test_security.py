"""CSRF, XSS through uploaded labels, upload limits and types, session fixation, rate limiting, headers."""

from __future__ import annotations

import os
import re

import pytest
from fastapi.testclient import TestClient
from web_helpers import CSRF_RE, PASSWORD, add_user, csrf, finished, settings, sign_in

from parity.web import create_app
from parity.web.app import CSRF_FAILED
from parity.web.security import CSP, SECRETS_FILE, SESSION_COOKIE

STAFF_HEADER = ("Org Code,Employee Number,Assignment Number,Snapshot Date,Ethnic Origin,Gender,Disability,Pay Band,"
                "Grade,Staff Group,Assignment Category,Primary Assignment,Contracted FTE,Age Band,Board Member\n")


@pytest.fixture
def app(tmp_path):
    app = create_app(tmp_path / "ws", settings(max_upload_mb=0.01, login_max_failures=3))
    add_user(app, "analyst@example.org", role="analyst")
    return app


def upload(client, name: str, content: bytes, table: str = "workforce", preset: str = "esr-staff-in-post"):
    token = csrf(client, "/o/R0A/data")
    return finished(client, client.post("/o/R0A/data/upload", data={"csrf_token": token, "table": table,
                                                                    "preset": preset},
                                        files={"file": (name, content, "application/octet-stream")}))


def test_post_without_csrf_token_is_refused(app):
    client = sign_in(app, "analyst@example.org")
    response = client.post("/o/R0A/users/invite", data={"email": "x@example.org", "role": "viewer"})
    assert response.status_code == 403
    assert CSRF_FAILED in response.text
    assert client.post("/sign-in", data={"email": "a@b.c", "password": "x", "csrf_token": "forged"}).status_code == 403


def test_csrf_token_of_another_browser_is_refused(app):
    mine, theirs = sign_in(app, "analyst@example.org"), TestClient(app)
    response = mine.post("/sign-out", data={"csrf_token": csrf(theirs)})
    assert response.status_code == 403


def test_session_id_changes_at_sign_in(app):
    client = TestClient(app)
    client.cookies.set(SESSION_COOKIE, "attacker-chosen.value", domain="testserver.local")
    token = csrf(client)
    client.post("/sign-in", data={"email": "analyst@example.org", "password": PASSWORD, "csrf_token": token},
                follow_redirects=False)
    first = client.cookies.get(SESSION_COOKIE)
    assert first and first != "attacker-chosen.value"
    client.post("/sign-out", data={"csrf_token": csrf(client, "/organisations")})
    again = sign_in(app, "analyst@example.org").cookies.get(SESSION_COOKIE)
    assert again != first


def test_cookies_are_httponly_samesite_and_secure_by_default(tmp_path):
    app = create_app(tmp_path / "ws")  # default settings: Secure cookies
    response = TestClient(app, base_url="https://testserver").get("/sign-in")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie


def test_login_rate_limit(app):
    client = TestClient(app)
    for _ in range(3):
        r = client.post("/sign-in", data={"email": "analyst@example.org", "password": "wrong", "csrf_token": csrf(client)})
        assert r.status_code == 400
    r = client.post("/sign-in", data={"email": "analyst@example.org", "password": PASSWORD, "csrf_token": csrf(client)})
    assert r.status_code == 429


def test_security_headers(app):
    response = TestClient(app).get("/sign-in")
    assert response.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe" not in CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]
    assert "<script>" not in response.text and " style=" not in response.text  # no inline script or style


def test_secrets_are_generated_with_mode_0600(app):
    path = app.state.workspace / SECRETS_FILE
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"


def test_oversized_upload_gets_413(app):
    client = sign_in(app, "analyst@example.org")
    response = upload(client, "staff.csv", STAFF_HEADER.encode() + b"R0A,1,1,31/03/2025,A,Female,No\n" * 2000)
    assert response.status_code == 413
    assert "larger than the upload limit" in response.text


@pytest.mark.parametrize("name,content,status", [
    ("staff.exe", b"MZ\x90\x00", 415),
    ("staff.csv", b"PK\x03\x04 not really a csv", 415),
    ("staff.xlsx", b"just,some,text\n", 415),
    ("staff.parquet", b"PAR0 nope", 415),
    ("staff.csv", b"\x00\x01\x02binary", 415),
])
def test_wrong_file_type(app, name, content, status):
    client = sign_in(app, "analyst@example.org")
    response = upload(client, name, content)
    assert response.status_code == status
    assert "nhsuk-error-summary" in response.text


def test_uploaded_labels_are_escaped(app):
    client = sign_in(app, "analyst@example.org")
    row = "R0A,1001,1001-1,31/03/2025,<script>alert(1)</script>,Female,No,Band 5,,Nursing and Midwifery Registered,Permanent,Y,1,31-35,N\n"
    response = upload(client, "staff.csv", (STAFF_HEADER + row).encode())
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_upload_for_another_organisation_is_blocked(app):
    client = sign_in(app, "analyst@example.org")
    row = "R0B,1001,1001-1,31/03/2025,A,Female,No,Band 5,,Nursing and Midwifery Registered,Permanent,Y,1,31-35,N\n"
    page = upload(client, "staff.csv", (STAFF_HEADER + row).encode()).text
    assert "rows for other organisations (R0B)" in page
    key = re.search(r"/data/uploads/([^/]+)/confirm", page)
    assert key is None  # a file-level error: no confirm button


def test_open_redirect_is_refused(app):
    client = TestClient(app)
    token = CSRF_RE.search(client.get("/sign-in?next=//evil.example").text).group(1)
    r = client.post("/sign-in", data={"email": "analyst@example.org", "password": PASSWORD, "csrf_token": token,
                                      "next": "//evil.example"}, follow_redirects=False)
    # refused: the user's own landing page instead (one organisation: its overview, issue 14)
    assert r.headers["location"] == "/o/R0A/overview"
