"""Issue 11, against a real `parity serve` process: proxy headers are trusted only from the named
proxy (the audit log records the real address), and invitation tokens stay out of the access log."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

import httpx
import pytest
from live import free_port
from web_helpers import CSRF_RE

from parity.web.db import DB_FILE
from parity.web.security import new_token

SPOOFED = "203.0.113.9"


class Serve:
    def __init__(self, workspace, *args: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-c", "import sys; from parity.cli import main; sys.exit(main())", "serve",
                   "--workspace", str(workspace), "--port", str(self.port), "--insecure-cookies", *args]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 90
        while True:
            try:
                httpx.get(f"{self.base}/sign-in", timeout=2)
                return
            except httpx.TransportError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"parity serve did not start: {self.stop()}") from None
                time.sleep(0.3)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
        out, _ = self.process.communicate(timeout=30)
        return out


@pytest.fixture
def serve(tmp_path):
    started = []

    def start(*args: str) -> Serve:
        started.append(Serve(tmp_path / "ws", *args))
        return started[-1]

    yield start
    for s in started:
        s.stop()


def _failed_sign_in(base: str, forwarded_for: str) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        token = CSRF_RE.search(client.get("/sign-in").text).group(1)
        client.post("/sign-in", data={"email": "x@example.org", "password": "wrong", "csrf_token": token},
                    headers={"X-Forwarded-For": forwarded_for})


def _audit_addresses(workspace) -> list[str]:
    with sqlite3.connect(workspace / DB_FILE) as db:
        return [row[0] for row in db.execute("SELECT address FROM audit_log WHERE action = 'sign_in_failed'")]


def test_forwarded_for_from_loopback_is_not_trusted_by_default(serve, tmp_path):
    server = serve()
    _failed_sign_in(server.base, SPOOFED)
    server.stop()
    assert _audit_addresses(tmp_path / "ws") == ["127.0.0.1"]


def test_forwarded_for_is_trusted_from_the_named_proxy(serve, tmp_path):
    server = serve("--forwarded-allow-ips", "127.0.0.1")
    _failed_sign_in(server.base, SPOOFED)
    server.stop()
    assert _audit_addresses(tmp_path / "ws") == [SPOOFED]


def test_invitation_tokens_stay_out_of_the_access_log(serve):
    server = serve()
    token = new_token()
    assert httpx.get(f"{server.base}/invitation/{token}", timeout=30).status_code == 404
    assert httpx.get(f"{server.base}/invitation/{token}?x=1", timeout=30).status_code == 404
    log = server.stop()
    assert "GET /invitation/" in log  # the access log is on
    assert token not in log
