"""Limits on what one input file may make us read, checked before the memory is allocated (issue 11).

A 4.7 KB XLSX declaring ``A1:XFD8000``, a zip bomb, a 619-byte YAML alias bomb and a
1,000,000-column CSV each took gigabytes or minutes. The readers (`parity.ingest.readers`) and
the mapping loader (`parity.ingest.mapping`) check these limits from the file's metadata or
while streaming, and stop with `LimitExceeded`, whose message names the limit, the value found,
the allowed value and how to raise it (a CLI flag, a web setting).

The defaults fit a 1.5-million-row national extract (about 60 columns) on a 24 GB machine.
``wall_seconds`` and ``memory_bytes`` are enforced by whoever runs the work: the web job runner
always, the CLI only when its ``--wall-seconds`` / ``--memory-bytes`` flags are given.

>>> Limits().max_columns
2048
>>> Limits().replace(max_columns=50000).max_columns
50000
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

MiB = 1024 * 1024
GiB = 1024 * MiB

#: web settings holding a limit are named with this prefix: ``limit_max_columns`` etc.
SETTING_PREFIX = "limit_"

MSG_LIMIT = ("{file}: {what} is {value}{detail}, above the limit of {allowed} ({limit}). This limit stops "
             "malformed or hostile files from exhausting the machine; if the file is genuine, raise it: "
             "{how}.")


@dataclass(frozen=True)
class Limits:
    """Upper bounds for reading one file. ``None`` for the last two means "not enforced"."""

    max_file_bytes: int = 2 * GiB            # raw file size (a 1.5M-row, 60-column CSV is ~1 GB)
    max_decompressed_bytes: int = 4 * GiB    # XLSX: sum of the uncompressed sizes of its zip members
    max_compression_ratio: float = 200.0     # XLSX: uncompressed / compressed, per member and overall
    max_columns: int = 2048                  # header width (the NHS Staff Survey has a few hundred)
    max_line_bytes: int = 4 * MiB            # CSV physical line length
    max_cells: int = 150_000_000             # rows x columns read (1.5M x 100)
    max_xlsx_dimension_cells: int = 100_000_000  # cells the sheet's <dimension ref=...> spans
    max_yaml_bytes: int = 1 * MiB            # mapping files are a few KB
    max_yaml_aliases: int = 10_000           # YAML nodes reached through aliases (expanded count)
    wall_seconds: float | None = None        # enforced by the job runner (web) / optional for the CLI
    memory_bytes: int | None = None          # enforced by the job runner (web) / optional for the CLI

    def replace(self, **changes: Any) -> Limits:
        """A copy with `changes` applied; ``None`` values are ignored (flags that were not given)."""
        changes = {k: v for k, v in changes.items() if v is not None}
        for name, value in changes.items():
            if name not in FIELDS:
                raise ValueError(f"unknown limit {name!r}; limits: {', '.join(FIELDS)}")
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValueError(f"limit {name} must be a positive number; got {value!r}")
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_settings(cls, settings: Any) -> Limits:
        """Limits from an object or dict with ``limit_<field>`` entries (the web settings)."""
        get = settings.get if isinstance(settings, dict) else lambda k, d=None: getattr(settings, k, d)
        return cls().replace(**{name: get(SETTING_PREFIX + name, None) for name in FIELDS})


FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Limits))
DEFAULT = Limits()

#: plain-English name of what each limit measures, used in messages and docs
WHAT = {
    "max_file_bytes": "the file size (bytes)",
    "max_decompressed_bytes": "the uncompressed size of the workbook (bytes)",
    "max_compression_ratio": "the compression ratio (uncompressed / compressed size)",
    "max_columns": "the number of columns",
    "max_line_bytes": "the length of a line (bytes)",
    "max_cells": "the number of cells (rows x columns)",
    "max_xlsx_dimension_cells": "the number of cells the sheet declares (its dimension)",
    "max_yaml_bytes": "the size of the mapping file (bytes)",
    "max_yaml_aliases": "the number of YAML nodes reached through aliases",
    "wall_seconds": "the time taken (seconds)",
    "memory_bytes": "the memory used (bytes)",
}


def cli_flag(limit: str) -> str:
    """The ``parity validate|import`` flag that raises `limit`: ``max_columns`` -> ``--max-columns``."""
    return "--" + limit.replace("_", "-")


def web_setting(limit: str) -> str:
    """The web setting that raises `limit`: ``max_columns`` -> ``limit_max_columns``."""
    return SETTING_PREFIX + limit


class LimitExceeded(ValueError):
    """A file goes beyond one of the `Limits`; nothing further was read.

    ``limit`` is the field name, ``value`` what was found (or a lower bound when reading stopped
    early), ``allowed`` the limit, ``file`` the file name, ``how_to_change`` the advice.
    """

    def __init__(self, limit: str, value: float, allowed: float, file: str, *, detail: str = ""):
        self.limit, self.value, self.allowed, self.file = limit, value, allowed, file
        self.how_to_change = (f"{cli_flag(limit)} N on the command line (parity validate / parity import), "
                              f"or the {web_setting(limit)} setting of the web app")
        super().__init__(MSG_LIMIT.format(file=file, what=WHAT[limit], value=_fmt(value), allowed=_fmt(allowed),
                                          detail=f" {detail}" if detail else "", limit=limit,
                                          how=self.how_to_change))

    @property
    def problem(self):
        """The file-level `Problem` for reports (code ``limit_exceeded``, column = the limit)."""
        from parity.ingest.problems import ERROR, Problem

        return Problem(self.file, None, self.limit, _fmt(self.value), str(self), ERROR, "limit_exceeded")


def _fmt(v: float) -> str:
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.1f}"
    return f"{int(v):,}"


def check(limits: Limits, limit: str, value: float, file: str, *, detail: str = "") -> None:
    """Raise `LimitExceeded` when `value` is above `limits.<limit>` (a ``None`` limit is not checked)."""
    allowed = getattr(limits, limit)
    if allowed is not None and value > allowed:
        raise LimitExceeded(limit, value, allowed, file, detail=detail)


@contextmanager
def enforced(limits: Limits, file: str) -> Iterator[None]:
    """Enforce ``wall_seconds`` and ``memory_bytes`` in this process (the CLI; the web has its job runner).

    Wall time uses a SIGALRM timer (main thread only); memory caps the address space
    (RLIMIT_AS), so an allocation beyond it raises MemoryError, turned into `LimitExceeded`.
    """
    import resource
    import signal
    import threading

    timer = limits.wall_seconds is not None and threading.current_thread() is threading.main_thread()
    old_as = resource.getrlimit(resource.RLIMIT_AS) if limits.memory_bytes is not None else None

    def _timeout(signum, frame):
        raise LimitExceeded("wall_seconds", limits.wall_seconds, limits.wall_seconds, file,
                            detail="(stopped when the time ran out)")

    if timer:
        old_handler = signal.signal(signal.SIGALRM, _timeout)
        signal.setitimer(signal.ITIMER_REAL, limits.wall_seconds)
    if old_as is not None:
        hard = old_as[1]
        cap = limits.memory_bytes if hard == resource.RLIM_INFINITY else min(limits.memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    except MemoryError as exc:
        if old_as is None:
            raise
        raise LimitExceeded("memory_bytes", limits.memory_bytes, limits.memory_bytes, file,
                            detail="(an allocation beyond it failed)") from exc
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old_handler)
        if old_as is not None:
            resource.setrlimit(resource.RLIMIT_AS, old_as)
