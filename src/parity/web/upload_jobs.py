"""Upload jobs: validation and import of an uploaded file in the background, under limits.

An upload moves through ``queued → validating → validated → importing → imported`` (or
``not_imported``), or ends ``failed`` (a limit broken, or an error), ``cancelled`` or ``expired``.
The status is the `Upload` row's; what the page shows besides it is in ``job.json`` in the upload's
private folder (mode 0600). Each job runs in a child process (`runner`) under the web settings'
time and memory limits, at most `upload_jobs` at a time. The raw file is deleted as soon as it is
no longer needed: after the import, on cancel, when a limit stops its check, and after
`upload_expiry_hours` when never confirmed (swept at start and every few minutes).
"""

from __future__ import annotations

import gc
import json
import os
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from parity.web import audit, runner, upload_work, uploads, value_maps
from parity.web.models import Upload, User, now

RUNNING = ("queued", "validating", "importing")
#: states whose raw file may still be waiting for the analyst
WAITING = ("validated", *RUNNING)
JOB_FILE = "job.json"
REPORT_FILE = "report.json"
SWEEP_SECONDS = 300

LIMIT_MESSAGE = ("The check of {file} was stopped: {what} is {value}, above the limit of {allowed}. This limit "
                 "protects the server from malformed or hostile files. If the file is genuine, ask an "
                 "administrator to raise the web setting {setting} (see Settings in the web documentation), "
                 "then upload it again.")
TIME_MESSAGE = ("The {stage} of {file} was stopped after {allowed} seconds, the time limit for a job. If the file "
                "is genuine, ask an administrator to raise the web setting limit_wall_seconds, or split the "
                "file; then upload it again.")
MEMORY_MESSAGE = ("The {stage} of {file} was stopped: it needed more memory than the limit of {allowed} for a job. "
                  "If the file is genuine, ask an administrator to raise the web setting limit_memory_bytes, "
                  "or split the file; then upload it again.")
FAILED_MESSAGE = "The {stage} of {file} failed unexpectedly: {error}"
RESTARTED = ("The server restarted while this file was being {stage}. Check the import history, and upload the "
             "file again if it is not there.")
STAGE_WORDS = {"validating": "check", "importing": "import"}


class UploadJobs:
    """The app's upload job manager (``app.state.upload_jobs``)."""

    def __init__(self, app):
        self.app = app
        self.slots = threading.BoundedSemaphore(int(app.state.settings.upload_jobs))
        #: key -> event set when that upload's current job has finished (for short waits on pages)
        self.finished: dict[str, threading.Event] = {}
        self._stop = threading.Event()

    # --- starting jobs ---------------------------------------------------------------------------
    def validate(self, key: str) -> None:
        self._start(key, self._validate)

    def import_(self, key: str, *, exclude_invalid: bool, email: str, address: str) -> None:
        self._set(key, "importing", {"stage": "importing", "queued_at": time.time()})
        self._start(key, self._import, exclude_invalid=exclude_invalid, email=email, address=address)

    def wait(self, key: str, seconds: float) -> None:
        """Wait up to `seconds` for the upload's current job (a short file is done before the page shows)."""
        event = self.finished.get(key)
        if event is not None:
            event.wait(seconds)

    def _start(self, key: str, target, **kwargs) -> None:
        self.finished[key] = threading.Event()
        threading.Thread(target=self._guarded, args=(key, target), kwargs=kwargs, name=f"upload-{key[:8]}",
                         daemon=True).start()

    def _guarded(self, key: str, target, **kwargs) -> None:
        try:
            target(key, **kwargs)
        except Exception as exc:  # noqa: BLE001 — the page must say the job failed, not spin for ever
            self._fail(key, FAILED_MESSAGE.format(stage="job", file="the file", error=f"{type(exc).__name__}"),
                       error=f"{type(exc).__name__}: {exc}")
        finally:
            self.finished.pop(key, threading.Event()).set()

    # --- the jobs (each in this thread; the work itself in a limited child process) --------------
    def _validate(self, key: str) -> None:
        with self.slots:
            up = self._row(key)
            if up is None or up.status != "queued":
                return
            self._set(key, "validating", {"stage": "validating", "started_at": time.time()})
            outcome = runner.run(upload_work.validate, {
                "path": up.path, "table": up.table_name, "org": up.org_code, "preset": up.preset,
                "mapping": up.mapping_path, "limits": self.reading_limits(), "values": self.values(up)},
                result_path=Path(up.path).parent / "result.json", **self.job_limits())
        if self._row(key).status == "cancelled":
            uploads.discard(up.path)
            return
        if not outcome.ok:
            return self._fail(key, self.message(outcome, "validating", up.file_name), error=outcome.error)
        report = self.web_messages(outcome.value, self.reading_limits())
        breach = next((p for p in report["problems"] if p.get("code") == "limit_exceeded"), None)
        if breach is not None:  # stopped before reading the file: say so, and delete it now
            return self._fail(key, breach["message"])
        write_private(Path(up.path).parent / REPORT_FILE, report)
        self._set(key, "validated", {"stage": "validated", "seconds": round(outcome.seconds, 1)})
        with self.app.state.db.session() as db:
            audit.record(db, None, "upload_checked", email=self._email(up), org=up.org_code,
                         detail=f"{up.file_name} as {up.table_name}: {report['rows_read']} rows read, "
                                f"{report['n_errors']} errors")

    def _import(self, key: str, *, exclude_invalid: bool, email: str, address: str) -> None:
        up = self._row(key)
        results = self.app.state.results
        with self.slots:
            self._job_file(key, {"stage": "importing", "started_at": time.time()})
            # the server's own DuckDB connections are all made under this lock, so while the child
            # holds the workspace read-write nothing here opens it (and nothing waits on the child)
            with results.lock:
                gc.collect()
                try:
                    outcome = runner.run(upload_work.import_, {
                        "workspace": str(results.workspace.path), "path": up.path, "table": up.table_name,
                        "org": up.org_code, "preset": up.preset, "mapping": up.mapping_path,
                        "exclude_invalid": exclude_invalid, "limits": self.reading_limits(),
                        "values": self.values(up)},
                        result_path=Path(up.path).parent / "result.json", **self.job_limits())
                finally:
                    results.invalidate()
        uploads.discard_raw(up.path, keep=(JOB_FILE,))
        if not outcome.ok:
            return self._fail(key, self.message(outcome, "importing", up.file_name), error=outcome.error)
        result = outcome.value
        self._set(key, "imported" if result["imported"] else "not_imported", {"stage": "done", "result": result})
        with self.app.state.db.session() as db:
            audit.record(db, None, "import", email=email, org=up.org_code,
                         detail=f"{up.file_name} as {up.table_name}: imported={result['imported']}, "
                                f"{result['rows_accepted']} rows accepted, import id {result['import_id']} "
                                f"(from {address})")

    def values(self, up: Upload) -> dict:
        """The organisation's saved answers for values of this table (`value_maps`)."""
        return value_maps.load(self.app.state.results.workspace.path, up.org_code, up.table_name)

    # --- limits and messages ---------------------------------------------------------------------
    def job_limits(self) -> dict[str, Any]:
        s = self.app.state.settings
        return {"wall_seconds": float(s.limit_wall_seconds), "memory_bytes": int(s.limit_memory_bytes),
                "idle": bool(s.jobs_when_idle)}

    def reading_limits(self) -> dict[str, Any]:
        from parity.ingest.limits import FIELDS, Limits

        values = Limits.from_settings(self.app.state.settings).replace(
            max_file_bytes=self.app.state.settings.max_upload_bytes)
        return {name: getattr(values, name) for name in FIELDS}

    def message(self, outcome: runner.Outcome, stage: str, file: str) -> str:
        words = STAGE_WORDS[stage]
        if outcome.limit == "wall_seconds":
            return TIME_MESSAGE.format(stage=words, file=file, allowed=f"{outcome.details['allowed']:,.0f}")
        if outcome.limit == "memory_bytes":
            return MEMORY_MESSAGE.format(stage=words, file=file,
                                         allowed=uploads.human_size(int(outcome.details["allowed"])))
        if outcome.limit:
            return limit_message(outcome.limit, outcome.details.get("value"), outcome.details.get("allowed"), file)
        return FAILED_MESSAGE.format(stage=words, file=file, error=outcome.error.split(":")[0])

    @staticmethod
    def web_messages(report: dict, limits: dict[str, Any]) -> dict:
        """Reading limits reported as problems get the web wording (a setting, not a CLI flag)."""
        for p in report.get("problems", []):
            if p.get("code") == "limit_exceeded":
                limit = p.get("column")
                p["message"] = limit_message(limit, p.get("value"), limits.get(limit), report.get("file"))
        return report

    # --- state -----------------------------------------------------------------------------------
    def _row(self, key: str) -> Upload | None:
        with self.app.state.db.session() as db:
            return db.scalar(select(Upload).where(Upload.key == key))

    def _email(self, up: Upload) -> str:
        with self.app.state.db.session() as db:
            user = db.get(User, up.user_id)
            return user.email if user else ""

    def _set(self, key: str, status: str, job: dict) -> None:
        with self.app.state.db.session() as db:
            row = db.scalar(select(Upload).where(Upload.key == key))
            if row is None or row.status == "cancelled":
                return
            row.status = status
            path = Path(row.path).parent
        if path.exists():
            self._job_file(key, job, folder=path)

    def _job_file(self, key: str, job: dict, folder: Path | None = None) -> None:
        if folder is None:
            row = self._row(key)
            folder = Path(row.path).parent
        write_private(folder / JOB_FILE, job)

    def _fail(self, key: str, message: str, *, error: str = "") -> None:
        up = self._row(key)
        if up is not None:
            uploads.discard_raw(up.path, keep=(JOB_FILE,))
        stage = up.status if up is not None else ""
        self._set(key, "failed", {"stage": "failed", "stage_was": stage, "message": message, "error": error})

    # --- expiry ----------------------------------------------------------------------------------
    def sweep(self, *, at_start: bool = False) -> int:
        """Delete uploads never confirmed within `upload_expiry_hours` (and, at start, stale jobs)."""
        settings = self.app.state.settings
        cutoff = now() - timedelta(hours=float(settings.upload_expiry_hours))
        removed = 0
        with self.app.state.db.session() as db:
            for row in db.scalars(select(Upload).where(Upload.status.in_(WAITING + ("failed", "imported",
                                                                                        "not_imported")))):
                stale = at_start and row.status in RUNNING
                if row.created_at < cutoff or stale:
                    if stale:
                        uploads.discard_raw(row.path, keep=(JOB_FILE,))
                        write_private(Path(row.path).parent / JOB_FILE, {
                            "stage": "failed", "message": RESTARTED.format(
                                stage="checked" if row.status != "importing" else "imported")})
                        row.status = "failed"
                    else:
                        uploads.discard(row.path)
                        row.status = "expired" if row.status in WAITING else row.status
                    removed += 1
            known = {Path(r.path).parent.name for r in db.scalars(select(Upload).where(Upload.status.in_(WAITING)))}
        removed += uploads.sweep_orphans(self.app.state.workspace, known, older_than=cutoff)
        return removed

    def start_sweeper(self) -> None:
        self.sweep(at_start=True)
        every = min(SWEEP_SECONDS, float(self.app.state.settings.upload_expiry_hours) * 3600 / 4)

        def loop():
            while not self._stop.wait(every):
                try:
                    self.sweep()
                except Exception:  # noqa: BLE001, S112 — a failed sweep is retried at the next tick
                    continue

        threading.Thread(target=loop, name="upload-sweeper", daemon=True).start()


def limit_message(limit: str | None, value, allowed, file: str | None) -> str:
    from parity.ingest.limits import WHAT, web_setting

    setting = "max_upload_mb" if limit == "max_file_bytes" else web_setting(limit or "")
    return LIMIT_MESSAGE.format(file=file or "the file", what=WHAT.get(limit, limit), value=_num(value),
                                allowed=_num(allowed) if allowed is not None else "the setting", setting=setting)


def _num(v) -> str:
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.1f}"
    try:
        return f"{int(v):,}"
    except (TypeError, ValueError):
        return str(v)


def write_private(path: Path, data: Any) -> None:
    """JSON written with mode 0600 (the upload area holds personal data)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, default=str)
    os.replace(tmp, path)


def read_job(up: Upload) -> dict:
    try:
        return json.loads((Path(up.path).parent / JOB_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def manager(app) -> UploadJobs:
    jobs = getattr(app.state, "upload_jobs", None)
    if jobs is None:
        jobs = app.state.upload_jobs = UploadJobs(app)
    return jobs
