"""The workspace lock: one writer at a time, the others queue with a clear message.

Writers (imports, migrations, repairs) take an exclusive ``flock`` on ``.parity.lock`` in the
workspace and write who holds it (user, process, start time, what) into the file, so a waiting
writer can say "another import is running (started 10:42 by alice, pid 4242: parity import
staff.csv); waiting". The wait is bounded (``PARITY_LOCK_TIMEOUT`` seconds, default 600), then
`WorkspaceBusy`. Within one process the lock is re-entrant and shared by every `Workspace` object
on the same folder (flock locks belong to open files, so two would otherwise exclude each other).

Readers never take this lock: they wait only for DuckDB's own file lock (`wait_for_duckdb`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import getpass
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from parity.workspace.errors import WorkspaceBusy

LOCK_FILE = ".parity.lock"
TIMEOUT_ENV = "PARITY_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 600.0
POLL_SECONDS = 0.1

MSG_WAITING = "Another import is running in {ws} ({holder}); waiting up to {timeout:.0f} s for it to finish."
MSG_BUSY = ("Another import is still running in {ws} ({holder}) after waiting {timeout:.0f} s; nothing was "
            "changed. Try again when it has finished (or set PARITY_LOCK_TIMEOUT to wait longer).")


def timeout_seconds() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def notify(message: str) -> None:
    """Tell the person at the terminal (stderr), without disturbing JSON on stdout."""
    print(message, file=sys.stderr, flush=True)


def describe_holder(folder: Path) -> str:
    """"started 10:42 by alice, pid 4242: parity import staff.csv" from the lock file, if written."""
    try:
        info = json.loads((folder / LOCK_FILE).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info:
        return "holder unknown"
    started = info.get("started", "")[11:16]
    return f"started {started} by {info.get('user', '?')}, pid {info.get('pid', '?')}: {info.get('what', '?')}"


class _Held:
    def __init__(self) -> None:
        self.fd: int | None = None
        self.depth = 0
        self.thread_lock = threading.RLock()


_HELD: dict[str, _Held] = {}
_REGISTRY_LOCK = threading.Lock()


def _entry(folder: Path) -> _Held:
    key = os.path.realpath(folder)
    with _REGISTRY_LOCK:
        return _HELD.setdefault(key, _Held())


def holding(folder: Path) -> bool:
    """True when this process holds the writer lock of `folder`."""
    return _entry(folder).depth > 0


@contextlib.contextmanager
def writer_lock(folder: Path, what: str, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the exclusive writer lock of workspace `folder` (waiting up to `timeout` seconds)."""
    timeout = timeout_seconds() if timeout is None else timeout
    held = _entry(folder)
    if not held.thread_lock.acquire(timeout=max(timeout, 0.001)):
        raise WorkspaceBusy(MSG_BUSY.format(ws=folder, holder="another thread of this process", timeout=timeout))
    try:
        if held.depth == 0:
            held.fd = _acquire(folder, what, timeout)
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0 and held.fd is not None:
                fd, held.fd = held.fd, None
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
    finally:
        held.thread_lock.release()


def _acquire(folder: Path, what: str, timeout: float) -> int:
    path = folder / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    with contextlib.suppress(OSError):
        os.fchmod(fd, 0o600)
    deadline, told = time.monotonic() + timeout, False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise WorkspaceBusy(MSG_BUSY.format(ws=folder, holder=describe_holder(folder),
                                                    timeout=timeout)) from None
            if not told:
                notify(MSG_WAITING.format(ws=folder, holder=describe_holder(folder), timeout=timeout))
                told = True
            time.sleep(POLL_SECONDS)
    info = {"pid": os.getpid(), "user": _user(), "what": what,
            "started": dt.datetime.now().isoformat(timespec="seconds")}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
    return fd


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def is_lock_conflict(exc: BaseException) -> bool:
    """DuckDB's "Could not set lock on file" (another process has the database open)."""
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


def wait_for_duckdb(open_db: Callable[[], object], folder: Path, *, timeout: float | None = None,
                    reading: bool = True):
    """`open_db()`, retried while another process holds DuckDB's file lock (bounded wait)."""
    import duckdb

    timeout = timeout_seconds() if timeout is None else timeout
    deadline, told = time.monotonic() + timeout, False
    while True:
        try:
            return open_db()
        except duckdb.Error as exc:
            if not is_lock_conflict(exc):
                raise
            holder = describe_holder(folder)
            if time.monotonic() >= deadline:
                doing = "read" if reading else "write to"
                raise WorkspaceBusy(f"Could not {doing} the workspace {folder}: another process has it open "
                                    f"({holder}) and did not finish within {timeout:.0f} s. Try again when "
                                    "it has finished.") from None
            if not told:
                notify(f"The workspace {folder} is in use by another process ({holder}); waiting up to "
                       f"{timeout:.0f} s.")
                told = True
            time.sleep(POLL_SECONDS)
