"""A report's pay gaps computed in a second process while the report computes the rest (issue 19).

The three pay gaps (reading the employees, the gaps, 2,000 bootstrap resamples each, their protection)
take about 1.5 s of CPU and depend on nothing else in the report but its organisation, which the
report knows once WRES and WDES are protected; the bias explorer's scan, the action plan, "Change
over time", "What staff told us" and "How we compare" (about as long) do not depend on the pay gaps.
On 2 cores the two can run side by side.

`paygap_in_parallel` forks a child process at once — before the report opens any DuckDB connection
or starts any thread, so the child inherits no database state — which waits for one job.
`build_report` hands it the job (`paygap_ahead`) when it knows the organisation and later takes the
protected pay gaps and their notes (`Ahead.collect`). The child runs the same code as the report
(`parity.report.build._add_paygap`: computed, then protected) on its own read-only connection, so the
figures are the same bits (the bootstrap's seed is fixed); if the child fails, or the platform cannot
fork, the report computes the pay gaps itself, as before.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

#: seconds to wait for the child's pay gaps before computing them in process
WAIT = 600.0

_waiting: Ahead | None = None


class Ahead:
    """One forked child that computes one report's pay gaps."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("fork")
        self._conn, theirs = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(theirs,), name="parity-paygap", daemon=True)
        self._proc.start()
        theirs.close()
        self.sent = False

    def send(self, job: tuple) -> None:
        self._conn.send(job)
        self.sent = True

    def collect(self, report, compute_here: Callable[[], None]) -> None:
        """Put the child's pay gaps and notes into `report`; on any failure, `compute_here()`."""
        try:
            if not self._conn.poll(WAIT):
                raise TimeoutError("the pay gap process did not answer")
            status, value = self._conn.recv()
            if status != "ok":
                raise RuntimeError(value)
        except (EOFError, OSError, RuntimeError, TimeoutError):
            compute_here()
            return
        paygap, notes = value
        report.paygap.update(paygap)
        report.notes += notes

    def stop(self) -> None:
        if not self.sent:
            try:
                self._conn.send(None)  # no job: the child ends
            except OSError:
                pass
        self._proc.join(timeout=5)
        if self._proc.is_alive():  # still computing pay gaps nobody will read (the report failed)
            self._proc.terminate()
            self._proc.join()
        self._conn.close()


def _serve(conn) -> None:
    """The child: one job, computed and protected as `build_report` does, then the answer."""
    try:
        job = conn.recv()
    except EOFError:
        return
    if job is None:
        return
    try:
        from parity.report.build import Report, _add_paygap, _disclosure

        source, year, organisation, rule, unsuppressed, resamples = job
        report = Report(year=year, organisation=organisation, rule=rule, unsuppressed=unsuppressed)
        _add_paygap(report, source, _disclosure()[1], resamples=resamples, employees={})
        conn.send(("ok", (report.paygap, report.notes)))
    except BaseException as exc:  # noqa: BLE001 - the report computes them itself
        conn.send(("error", repr(exc)))


@contextmanager
def paygap_in_parallel() -> Iterator[Ahead | None]:
    """Within this block, the first `build_report` on a workspace directory computes its pay gaps in a
    forked child. Enter it before opening any DuckDB connection. Yields the child, or None (no fork)."""
    global _waiting
    child = None
    if "fork" in multiprocessing.get_all_start_methods():
        try:
            child = Ahead()
        except OSError:
            child = None
    previous, _waiting = _waiting, child
    try:
        yield child
    finally:
        _waiting = previous
        if child is not None:
            child.stop()


def paygap_ahead(report, source: Any, *, resamples: int) -> Ahead | None:
    """Hand the waiting child `report`'s pay gaps (organisation, year, rule as they stand); None when
    there is no child or `source` is not a workspace path (a connection cannot cross a fork)."""
    global _waiting
    if _waiting is None or not isinstance(source, str | os.PathLike):
        return None
    child, _waiting = _waiting, None  # one job per child
    try:
        child.send((source, report.year, report.organisation, report.rule, report.unsuppressed, resamples))
    except OSError:
        return None
    return child
