"""Run one job in a child process under a memory limit and a wall-clock limit (issue 11).

A crafted upload (a zip bomb, a sheet declaring a million rows) must not take the server down,
so validation and import run in a child process: ``RLIMIT_AS`` caps its address space (an
allocation past it raises MemoryError there, not in the server) and the parent kills it once its
wall time is up. Children come from a forkserver that has already imported pandas and the
ingest code, so a job starts in milliseconds, and they run under Linux's ``SCHED_IDLE`` policy
(``idle``; nice 10 otherwise, or where that is not available): they get a core only when no page
thread wants it, which keeps pages answering while a file is read or a report is built. An idle-class
process has no guaranteed share, and an unprivileged one cannot leave the class, so on a machine
whose cores are always busy the web setting ``jobs_when_idle`` turns it off.

The job function must be importable (module level); it gets keyword arguments and returns a
JSON-serialisable value, or raises `parity.ingest.limits.LimitExceeded` for a reading limit.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: modules the forkserver imports once, so each child starts with them loaded (and does not
#: import the main module again)
PRELOAD = ["__main__", "parity.web.upload_work", "parity.web.report_work"]
#: niceness added to a child where ``SCHED_IDLE`` is not available (nice 10: a CFS weight of 110
#: against 1,024, so a busy page thread gets about 90% of a contested core; SCHED_IDLE's weight is 3)
CHILD_NICE = 10
#: the exit code of glibc's dynamic loader on a fatal error
LOADER_FAILED = 127
_context = None


def context():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(PRELOAD)
    return _context


def warm_up() -> None:
    """Start the forkserver now (it imports pandas and the ingest code once, a few seconds)."""
    context()
    from multiprocessing import forkserver

    forkserver.ensure_running()


@dataclass
class Outcome:
    """How a job ended: ``ok`` with its value, or the limit it broke, or an unexpected error."""

    ok: bool
    value: Any = None
    #: the limit broken: a `Limits` field name ("wall_seconds", "memory_bytes", "max_columns", …)
    limit: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    #: an unexpected failure, "TypeName: message" (for analysts and the log, not for viewers)
    error: str = ""
    seconds: float = 0.0


def run(func: Callable[..., Any], kwargs: dict[str, Any], *, result_path: Path, wall_seconds: float | None,
        memory_bytes: int | None, idle: bool = True) -> Outcome:
    """Run ``func(**kwargs)`` in a child process; block until it ends or its wall time is up.
    ``idle``: the child in the idle scheduling class (else nice 10)."""
    result_path = Path(result_path)
    result_path.unlink(missing_ok=True)
    started = time.monotonic()
    proc = context().Process(target=_child, args=(func, kwargs, str(result_path), memory_bytes, idle),
                                daemon=True)
    proc.start()
    proc.join(wall_seconds)
    seconds = time.monotonic() - started
    if proc.is_alive():
        proc.kill()
        proc.join()
        result_path.unlink(missing_ok=True)
        return Outcome(False, limit="wall_seconds", details={"allowed": wall_seconds}, seconds=seconds)
    try:
        data = json.loads(result_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    finally:
        result_path.unlink(missing_ok=True)
    if data is None:
        # killed by a signal without a word (a C library aborting on a failed allocation under RLIMIT_AS),
        # or exit 127: the dynamic loader's fatal error ("cannot allocate memory for thread-local data"),
        # when a module imported in the child cannot be mapped under the limit
        if memory_bytes is not None and ((proc.exitcode or 0) < 0 or proc.exitcode == LOADER_FAILED):
            return Outcome(False, limit="memory_bytes", details={"allowed": memory_bytes,
                                                                   "exit": proc.exitcode}, seconds=seconds)
        return Outcome(False, error=f"the job stopped with exit code {proc.exitcode}", seconds=seconds)
    if "value" in data:
        return Outcome(True, value=data["value"], seconds=seconds)
    if data.get("limit"):
        return Outcome(False, limit=data["limit"], details=data.get("details", {}), seconds=seconds)
    return Outcome(False, error=data.get("error", "unknown error"), seconds=seconds)


def lower_priority(idle: bool = True) -> str:
    """Lower the calling process's CPU priority: ``SCHED_IDLE`` if `idle` (and available), else nice 10."""
    if idle:
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            return "idle"
        except (AttributeError, OSError):  # not Linux, or a sandbox that refuses it
            pass
    os.nice(CHILD_NICE)
    return "nice"


def _child(func, kwargs, result_path: str, memory_bytes: int | None, idle: bool = True) -> None:
    lower_priority(idle)
    if memory_bytes is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    try:
        out: dict[str, Any] = {"value": func(**kwargs)}
    except MemoryError:
        out = {"limit": "memory_bytes", "details": {"allowed": memory_bytes}}
    except Exception as exc:  # noqa: BLE001 — the parent reports every failure; nothing may vanish
        out = _limit(exc) or {"error": f"{type(exc).__name__}: {exc}"}
    if not Path(result_path).parent.is_dir():
        return  # the workspace was removed while the job ran (a server shut down): no one to tell
    _write(Path(result_path), out)


def _limit(exc: Exception) -> dict[str, Any] | None:
    from parity.ingest.limits import LimitExceeded

    if not isinstance(exc, LimitExceeded):
        return None
    return {"limit": exc.limit, "details": {"value": _plain(exc.value), "allowed": _plain(exc.allowed),
                                            "file": _plain(getattr(exc, "file", None))}}


def _plain(value):
    return value if value is None or isinstance(value, int | float | str) else str(value)


def _write(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, default=str)
    os.replace(tmp, path)
