"""Issue 11: request bodies are limited while they stream in, per route, before any form is parsed."""

from __future__ import annotations

import anyio
import pytest
from fastapi.testclient import TestClient
from web_helpers import add_user, csrf, settings, sign_in

from parity.web import create_app

CHUNK = 64 * 1024
MULTIPART = "multipart/form-data; boundary=x"
#: a well-formed start of a file part: the rest of the body is the endless file
FILE_PART = (b'--x\r\nContent-Disposition: form-data; name="file"; filename="staff.csv"\r\n'
             b"Content-Type: text/csv\r\n\r\n")


@pytest.fixture
def app(tmp_path):
    app = create_app(tmp_path / "ws", settings(max_upload_mb=1))
    add_user(app, "analyst@example.org", role="analyst")
    return app


def _drive(app, path: str, total: int, content_type: str, cookies: str = "", prefix: bytes = b"") -> tuple[int, int]:
    """POST an endless-looking chunked body straight into the ASGI app; (status, bytes the app pulled)."""
    pulled, status = 0, None
    headers = [(b"host", b"testserver"), (b"content-type", content_type.encode()),
               (b"transfer-encoding", b"chunked")]
    if cookies:
        headers.append((b"cookie", cookies.encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "headers": headers, "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}

    async def receive():
        nonlocal pulled
        if pulled >= total:
            return {"type": "http.disconnect"}
        body = (prefix + b"a" * CHUNK)[:CHUNK] if pulled == 0 else b"a" * CHUNK
        pulled += CHUNK
        return {"type": "http.request", "body": body, "more_body": pulled < total}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    anyio.run(app, scope, receive, send)
    return status, pulled


def test_chunked_sign_in_flood_is_cut_off_at_the_form_limit(app):
    status, pulled = _drive(app, "/sign-in", 32 * 1024 * 1024, "application/x-www-form-urlencoded")
    assert status == 413
    assert pulled <= app.state.settings.max_form_bytes + CHUNK  # read no further than the limit


def test_chunked_multipart_to_the_upload_route_without_a_session_gets_the_form_limit(app):
    status, pulled = _drive(app, "/o/R0A/data/upload", 32 * 1024 * 1024, MULTIPART, prefix=FILE_PART)
    assert status == 413
    assert pulled <= app.state.settings.max_form_bytes + CHUNK


def test_chunked_upload_of_a_signed_in_analyst_is_cut_off_at_the_upload_limit(app):
    client = sign_in(app, "analyst@example.org")
    cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    status, pulled = _drive(app, "/o/R0A/data/upload", 32 * 1024 * 1024, MULTIPART, cookies, FILE_PART)
    assert status == 413
    limit = app.state.settings.max_upload_bytes
    assert limit < pulled <= limit + 64 * 1024 + CHUNK  # the upload allowance (plus form framing), no more


def test_chunked_body_through_http_client_gets_413(app):
    client = TestClient(app)
    token = csrf(client)

    def body():
        yield f"csrf_token={token}&email=a%40b.c&password=".encode()
        for _ in range(64):
            yield b"x" * CHUNK

    response = client.post("/sign-in", content=body(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert "larger than" in response.text


def test_declared_oversized_form_is_refused_without_reading(app):
    client = TestClient(app)
    response = client.post("/sign-in", content=b"x" * (app.state.settings.max_form_bytes + 1),
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def test_an_ordinary_sign_in_still_works(app):
    sign_in(app, "analyst@example.org")
