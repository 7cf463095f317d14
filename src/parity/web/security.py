"""Passwords, tokens, cookies, CSRF and security headers (sign-in throttling: `throttle`).

- Passwords: Argon2id (argon2-cffi defaults, RFC 9106 low-memory profile).
- Sessions: a random token in an HttpOnly, SameSite=Lax cookie (Secure unless the
  ``secure_cookies`` setting is off for loopback http), HMAC-signed with the session key; the
  database keeps only its SHA-256. A new token is issued at every sign-in (no fixation).
- CSRF: every form carries HMAC(csrf key, session token — or, before sign-in, a random
  pre-session cookie); a POST without the matching token gets 403.
- Keys live in ``<workspace>/web-secrets.json`` (mode 0600), made on first run, never in code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

SECRETS_FILE = "web-secrets.json"
SESSION_COOKIE = "parity_session"
PRESESSION_COOKIE = "parity_pre"
CSRF_FIELD = "csrf_token"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


#: a hash to verify against when the account does not exist, so timing does not reveal accounts
DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Keys:
    """The session-signing and CSRF keys of one workspace, created on first run (mode 0600)."""

    def __init__(self, session_key: bytes, csrf_key: bytes):
        self.session_key = session_key
        self.csrf_key = csrf_key

    @classmethod
    def load(cls, workspace: Path) -> Keys:
        path = Path(workspace) / SECRETS_FILE
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(bytes.fromhex(data["session_key"]), bytes.fromhex(data["csrf_key"]))
        keys = cls(secrets.token_bytes(32), secrets.token_bytes(32))
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"session_key": keys.session_key.hex(), "csrf_key": keys.csrf_key.hex()}, f)
        os.chmod(path, 0o600)  # in case the umask widened it
        return keys

    def sign(self, token: str) -> str:
        mac = hmac.new(self.session_key, token.encode(), hashlib.sha256).hexdigest()[:32]
        return f"{token}.{mac}"

    def unsign(self, value: str | None) -> str | None:
        if not value or "." not in value:
            return None
        token, _, mac = value.rpartition(".")
        return token if hmac.compare_digest(self.sign(token), value) and mac else None

    def csrf_for(self, bound_to: str) -> str:
        return hmac.new(self.csrf_key, bound_to.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, bound_to: str | None, submitted: str | None) -> bool:
        return bool(bound_to and submitted) and hmac.compare_digest(self.csrf_for(bound_to), submitted)


def cookie_args(secure: bool, max_age: int | None = None) -> dict:
    return {"httponly": True, "samesite": "lax", "secure": secure, "path": "/", "max_age": max_age}


class SecurityHeaders:
    """Adds the headers in `HEADERS` to every response, and no-store to pages with data.

    Pure ASGI (not BaseHTTPMiddleware, which costs every page a task and memory streams); a header
    the app already set is kept, as ``setdefault`` would."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(_RAW_HEADERS)
        if not scope["path"].startswith("/static/"):
            extra.append((b"cache-control", b"no-store"))

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


_RAW_HEADERS = tuple((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in HEADERS.items())


#: a one-time link's token, wherever it appears in a logged path or query (`next=/invitation/...`)
_TOKEN_IN_PATH = re.compile(r"(/invitation/)[^/?&#\s\"]+")


class RedactTokens(logging.Filter):
    """Keeps invitation and set-up tokens out of the access log (a log reader could use the link)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_TOKEN_IN_PATH.sub(r"\1[redacted]", a) if isinstance(a, str) else a
                                for a in record.args)
        if isinstance(record.msg, str):
            record.msg = _TOKEN_IN_PATH.sub(r"\1[redacted]", record.msg)
        return True


def redact_access_log(logger_name: str = "uvicorn.access") -> None:
    """Install `RedactTokens` on the server's access logger (once)."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, RedactTokens) for f in logger.filters):
        logger.addFilter(RedactTokens())
