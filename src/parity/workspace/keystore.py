"""Where the pseudonymisation key lives: outside the workspace (docs/disclosure-control.md
"Pseudonyms and the key").

A pseudonym is HMAC-SHA256(key, identifier). Staff numbers are short (8 digits), so anyone holding
both the data and the key can reverse every pseudonym by trying all 10^8 numbers in minutes. The key
therefore never sits in the workspace folder. It is looked up, in order:

1. an explicit path (``--key-file`` / ``Workspace(path, key_file=...)``);
2. the ``PARITY_KEY_FILE`` environment variable;
3. the per-user key store: ``$XDG_DATA_HOME/parity/keys/<workspace id>.key`` (default
   ``~/.local/share/parity/keys``), folder mode 0700, file mode 0600.

The workspace records a fingerprint of its key (HMAC of a constant, which reveals nothing about
the key), so a wrong key is detected as well as a missing one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from parity.workspace.errors import WorkspaceError

KEY_BYTES = 32
KEY_ENV = "PARITY_KEY_FILE"
#: the constant whose HMAC is the key's fingerprint (changing it would orphan every workspace)
FINGERPRINT_MESSAGE = b"parity key fingerprint v1"


def store_dir() -> Path:
    """The per-user key store folder (created on first use, mode 0700)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "parity" / "keys"


def locate(workspace_id: str, key_file: str | os.PathLike | None = None) -> tuple[Path, str]:
    """(path of the key, how it was chosen: "--key-file", "PARITY_KEY_FILE" or "key store")."""
    if key_file:
        return Path(key_file).expanduser(), "--key-file"
    if os.environ.get(KEY_ENV):
        return Path(os.environ[KEY_ENV]).expanduser(), KEY_ENV
    return store_dir() / f"{workspace_id}.key", "key store"


def fingerprint(key: bytes) -> str:
    return hmac.new(key, FINGERPRINT_MESSAGE, hashlib.sha256).hexdigest()


def read_key(path: Path) -> bytes:
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise WorkspaceError(f"The key file {path} is damaged ({len(key)} bytes, expected {KEY_BYTES}); "
                             "restore it from your backup.")
    return key


def _private_dir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if folder.name == "keys" and folder.parent.name == "parity":  # our own store: always private
        os.chmod(folder, 0o700)


def write_key(path: Path, key: bytes) -> None:
    """Write `key` to a new file `path` (mode 0600); never overwrites an existing key."""
    _private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(path, 0o600)  # in case the umask widened it


def new_key(path: Path) -> bytes:
    key = secrets.token_bytes(KEY_BYTES)
    write_key(path, key)
    return key
