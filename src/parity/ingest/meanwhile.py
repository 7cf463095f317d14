"""A computation run on a second thread while DuckDB stores the rows (issue 19, wall time).

DuckDB lets go of the GIL while it inserts, so Python work started just before the insert runs on
the other core. Used for the import's summary warnings (`validate.summary_warnings`: 0.4–0.5 s CPU
on the 1 M-row file; docs/ingest.md "Speed", session 27). Its exception is kept and raised as it
is by `result`, so a failure surfaces as it did when the work ran before the insert.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Meanwhile:
    """``fn()``, started with `start` and collected with `result` (computed there if never started)."""

    def __init__(self, fn: Callable):
        self.fn = fn
        self.thread: threading.Thread | None = None
        self.done = False
        self.value = None
        self.error: BaseException | None = None

    def _run(self) -> None:
        try:
            self.value = self.fn()
        except BaseException as exc:  # noqa: BLE001 - kept, and raised by result() in the caller's thread
            self.error = exc
        self.done = True

    def start(self) -> None:
        if self.thread is None and not self.done:
            self.thread = threading.Thread(target=self._run, name="parity-meanwhile", daemon=True)
            self.thread.start()

    def result(self):
        """The value, waiting for the thread; ``fn``'s exception raised as it is."""
        if self.thread is not None:
            self.thread.join()
        elif not self.done:
            self._run()
        if self.error is not None:
            raise self.error
        return self.value
