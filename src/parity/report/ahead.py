"""Parts of a report computed in a second process while the report counts WRES and WDES (issue 19).

Counting and protecting WRES and WDES (about 2.4 s of CPU on the demo) comes first in a report and
everything else waited for it, though two parts do not depend on it: the three pay gaps (reading the
employees, the gaps, 2,000 bootstrap resamples each, their protection: about 1.5 s) and the counts
of the bias explorer's scan (about 0.9 s; only its protection needs WRES as published, leak 13). On
2 cores they can run side by side.

`report_ahead` forks a child at once — before the report opens any DuckDB connection or starts any
thread, so the child inherits no database state — which computes, on its own read-only connection and
with the report's own code, (0) the data-quality notes on unmatched cases, (1) the pay gaps, protected (`parity.report.build._add_paygap`), for the
organisation the report will have (the one asked for; else the workspace's only organisation; else all
organisations), then (2) the scan's counts (`parity.explore.explore`), unprotected, and sends both
back. `build_report` takes the pay gaps only if the child's organisation is the report's (else it
computes them itself) and protects the scan itself (`parity.report.explorer.report_scan`), as before.
Same code, same seed: the same figures to the bit. If the child fails, or the platform cannot fork,
or the report is not the one the child was started for, the report computes everything itself.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: seconds to wait for the child before computing in process
WAIT = 600.0
#: `Ahead.take`: the child did not send this part (or failed): compute it in process
MISSING = object()
ALL_ORGANISATIONS = "All organisations"

_active: Ahead | None = None


def effective_org(organisation: str | None) -> str | None:
    """The organisation the pay gaps are computed for, as `_add_paygap` reads `Report.organisation`."""
    return organisation if organisation and organisation != ALL_ORGANISATIONS else None


class Ahead:
    """One forked child computing one report's pay gaps and scan counts (`job`)."""

    def __init__(self, job: dict[str, Any]) -> None:
        self.job = job
        ctx = multiprocessing.get_context("fork")
        self._conn, theirs = ctx.Pipe(duplex=False)  # child -> report: the parts
        their_jobs, self._jobs = ctx.Pipe(duplex=False)  # report -> child: the PDF to write
        self._proc = ctx.Process(target=_serve, args=(theirs, their_jobs, job, (self._conn, self._jobs)),
                                 name="parity-report-ahead", daemon=True)
        self._proc.start()
        theirs.close()
        their_jobs.close()
        self._got: dict[str, Any] = {}
        self.used = False
        self.pdf_sent = False

    def send_pdf(self, html: str, sheets: dict[str, str], path) -> bool:
        """Have the child lay out and write the PDF (`parity.report.pdf.render_pdf`); False: do it yourself."""
        if not self.job["pdf"] or self.pdf_sent:
            return False
        try:
            self._jobs.send((html, sheets, path))
        except OSError:
            return False
        self.pdf_sent = True
        return True

    def pdf_written(self) -> bool:
        """Wait for the PDF sent with `send_pdf`; False if the child could not write it."""
        return self.take("pdf") is not MISSING

    def matches(self, **job: Any) -> bool:
        return not self.used and job == self.job

    def take(self, part: str) -> Any:
        """The child's "notes" (the unmatched-case notes), "paygap" ((organisation, paygap, notes)), "scan"
        (raw scan dict or None) or "pdf" (None: written); `MISSING` if it failed or did not compute that part."""
        while part not in self._got:
            try:
                if not self._conn.poll(WAIT):
                    return MISSING
                name, value = self._conn.recv()
            except (EOFError, OSError):
                return MISSING
            self._got[name] = value
        ok, value = self._got.pop(part)
        return value if ok else MISSING

    def stop(self) -> None:
        self._jobs.close()  # no PDF to come: the child ends
        self._conn.close()
        self._proc.join(timeout=0.5)
        if self._proc.is_alive():  # still computing parts nobody will read (the report failed or differed)
            self._proc.terminate()
            self._proc.join()


def _serve(conn, jobs, job: dict[str, Any], report_ends: tuple) -> None:
    """The child: the pay gaps, then the scan's counts; each sent as ``(part, (ok, value))``; then the
    PDF when the report sends it."""
    for end in report_ends:  # the report's ends of the pipes: closed here, so each side sees the other end
        end.close()
    parts = {"notes": _notes(job)}
    if job["paygap"]:
        parts["paygap"] = _paygaps(job)
    if job["scan"]:
        parts["scan"] = _scan(job)
    try:
        for name, value in parts.items():
            conn.send((name, (value is not MISSING, None if value is MISSING else value)))
        if job["pdf"]:
            conn.send(("pdf", _pdf(jobs)))
        conn.close()
    except (EOFError, OSError):  # the report has stopped listening (it failed, or computed these itself)
        pass


def _pdf(jobs) -> tuple[bool, None]:
    try:
        import weasyprint  # noqa: F401 - loaded while the report is finished (0.4 s)
    except Exception:  # noqa: BLE001 - the report writes the PDF itself
        return False, None
    html, sheets, path = jobs.recv()  # EOFError: no PDF (handled by the caller)
    try:
        from parity.report.pdf import render_pdf

        render_pdf(html, sheets, path)
    except Exception:  # noqa: BLE001 - the report writes the PDF itself
        return False, None
    return True, None


def _notes(job: dict[str, Any]) -> Any:
    """The unmatched-case notes (`parity.report.quality`): counts of cases already protected in words."""
    try:
        from parity.report.quality import unmatched_case_notes

        return unmatched_case_notes(job["source"], year=job["year"], org=job["org"], rule=job["rule"])
    except Exception:  # noqa: BLE001 - the report computes them itself
        return MISSING


def _paygaps(job: dict[str, Any]) -> Any:
    try:
        from parity.report.build import Report, _add_paygap, _disclosure

        organisation = job["org"] or _only_organisation(job["source"])
        report = Report(year=job["year"], organisation=organisation or "", rule=job["rule"],
                        unsuppressed=job["unsuppressed"])
        _add_paygap(report, job["source"], _disclosure()[1], resamples=job["resamples"], employees={})
        return effective_org(organisation), report.paygap, report.notes
    except Exception:  # noqa: BLE001 - the report computes them itself
        return MISSING


def _scan(job: dict[str, Any]) -> Any:
    try:
        from parity.explore import explore
        from parity.report.explorer import BY

        return explore(job["source"], kind="scan", year=job["year"], by=BY, org=job["org"]).to_dict()
    except (ValueError, KeyError, LookupError):  # cannot be scanned: the report has no scan
        return None
    except Exception:  # noqa: BLE001 - the report tries itself
        return MISSING


def _only_organisation(source) -> str | None:
    """The organisation a report on the whole workspace is about when WRES counts just one (else None):
    the guess is checked against the report's own before the pay gaps are used."""
    import duckdb

    # one query on a plain read-only connection: an Ibis connection costs about 0.7 s here
    with duckdb.connect(str(Path(source) / "parity.duckdb"), read_only=True) as con:
        orgs = con.execute("SELECT DISTINCT org_code FROM workforce WHERE org_code IS NOT NULL LIMIT 2").fetchall()
    return str(orgs[0][0]) if len(orgs) == 1 else None


@contextmanager
def report_ahead(source, *, year: int, org: str | None, rule, unsuppressed: bool = False,
                 paygap: bool = True, resamples: int = 2000, pdf: bool = False) -> Iterator[Ahead | None]:
    """Within this block, `build_report` with these arguments takes its pay gaps and scan counts from a
    forked child started here, and ``pdf``: `write_report` has the child write the PDF. Enter it before
    opening any DuckDB connection. Yields the child, or None."""
    global _active
    job = {"source": source, "year": year, "org": org, "rule": rule, "unsuppressed": unsuppressed,
           "resamples": resamples, "paygap": paygap, "scan": not unsuppressed, "pdf": pdf}
    child = None
    if "fork" in multiprocessing.get_all_start_methods() and (paygap or job["scan"] or pdf):
        try:
            child = Ahead(job)
        except OSError:
            child = None
    previous, _active = _active, child
    try:
        yield child
    finally:
        _active = previous
        if child is not None:
            child.stop()


def ahead_for(source, *, year: int, org: str | None, rule, unsuppressed: bool, resamples: int) -> Ahead | None:
    """The child started for exactly this report, if any (each child serves one report)."""
    if _active is None:
        return None
    job = {"source": source, "year": year, "org": org, "rule": rule, "unsuppressed": unsuppressed,
           "resamples": resamples, "paygap": _active.job["paygap"], "scan": not unsuppressed,
           "pdf": _active.job["pdf"]}
    if not _active.matches(**job):
        return None
    _active.used = True
    return _active


def pdf_child() -> Ahead | None:
    """The child that can write a PDF now (`Ahead.send_pdf`), if any."""
    return _active if _active is not None and _active.job["pdf"] and not _active.pdf_sent else None
