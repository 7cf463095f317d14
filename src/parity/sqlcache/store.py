"""The cached SQL on disk: ``<workspace>/sql-cache/<standard>[-<options>].sql.json``, signed
(`parity.sqlcache`).

The file is one header line (JSON: format, key, MAC) and then the plan (JSON). The MAC is
HMAC-SHA256, with a per-user secret kept outside the workspace, over the key and the plan's exact
bytes; it is checked before the plan is even parsed. Anything else (a damaged file, another user's,
one copied from another workspace, one whose key does not match) is treated as absent: the SQL is
compiled again and the file replaced. Writes are atomic (a temporary file renamed over the old).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

from parity.workspace import keystore

CACHE_DIR = "sql-cache"
FORMAT = "parity-sql-cache-1"
#: the per-user secret that signs cache files, beside the workspace keys (never in a workspace)
SECRET_FILE = "sql-cache.secret"
SECRET_BYTES = 32


def path_for(folder: Path, standard: str) -> Path:
    return folder / CACHE_DIR / f"{standard}.sql.json"


def secret(create: bool) -> bytes | None:
    """The signing secret; made on first use when `create` (mode 0600, folder 0700)."""
    file = keystore.store_dir() / SECRET_FILE
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        if not create:
            return None
        try:
            keystore.write_key(file, os.urandom(SECRET_BYTES))
        except FileExistsError:  # another process made it first
            pass
        data = file.read_bytes()
    return data if len(data) == SECRET_BYTES else None


def _mac(secret_bytes: bytes, key: str, body: bytes) -> str:
    return hmac.new(secret_bytes, key.encode() + b"\n" + body, hashlib.sha256).hexdigest()


def load(folder: Path, standard: str, key: str) -> dict[str, Any] | None:
    """The plan stored for `key`, or None when there is none that can be trusted."""
    try:
        raw = path_for(folder, standard).read_bytes()
    except OSError:
        return None
    head, sep, body = raw.partition(b"\n")
    sec = secret(create=False)
    if not sep or sec is None:
        return None
    try:
        header = json.loads(head)
        if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key:
            return None
        if not hmac.compare_digest(str(header.get("mac", "")), _mac(sec, key, body)):
            return None
        plan = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return plan if isinstance(plan, dict) else None


def save(folder: Path, standard: str, key: str, plan: dict[str, Any]) -> bool:
    """Store `plan` under `key`; False (and nothing written) when the workspace or the key store
    cannot be written, e.g. a read-only workspace: the cache is an optimisation, never required."""
    target = path_for(folder, standard)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        sec = secret(create=True)
        if sec is None:
            return False
        body = json.dumps(plan, separators=(",", ":")).encode()
        header = json.dumps({"format": FORMAT, "key": key, "mac": _mac(sec, key, body)}).encode()
        target.parent.mkdir(mode=0o700, exist_ok=True)
        os.chmod(target.parent, 0o700)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(header + b"\n" + body)
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True
