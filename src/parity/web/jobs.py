"""Report jobs: `parity report` run in a background thread, its files kept for download.

Files go to ``<workspace>/web-reports/<job id>/`` (mode 0700); `files.json` maps each format to
its file. The job holds the results lock, so DuckDB sees one user at a time (see `results`).
"""

from __future__ import annotations

import gc
import json
import os
import threading
from datetime import date
from pathlib import Path

from parity.web.models import ReportJob, now

REPORT_DIR = "web-reports"
#: download name → the key `write_report` returns
DOWNLOADS = {"html": "html", "pdf": "pdf", "xlsx": "xlsx", "csv": "csv"}


def job_dir(workspace: Path, job_id: int) -> Path:
    root = Path(workspace) / REPORT_DIR
    root.mkdir(mode=0o700, exist_ok=True)
    os.chmod(root, 0o700)
    return root / str(job_id)


def start(app, job_id: int) -> threading.Thread:
    thread = threading.Thread(target=run, args=(app, job_id), name=f"report-{job_id}", daemon=True)
    thread.start()
    return thread


def run(app, job_id: int) -> None:
    """Build and write the report of job `job_id`; record done or failed with the reason."""
    from parity.report import build_report, write_report

    state = app.state
    with state.db.session() as db:
        job = db.get(ReportJob, job_id)
        job.status = "running"
        org, year, unsuppressed = job.org_code, job.year, job.unsuppressed
    out = job_dir(state.workspace, job_id)
    try:
        with state.results.lock:
            gc.collect()
            try:
                report = build_report(state.workspace, year=year, org=org, rule=state.results.rule,
                                      unsuppressed=unsuppressed, generated_on=date.today(),
                                      paygap_resamples=int(state.settings.report_resamples))
            finally:
                gc.collect()
        paths = write_report(report, out)
        (out / "files.json").write_text(json.dumps({k: Path(p).name for k, p in paths.items()}), encoding="utf-8")
        status, error = "done", ""
    except Exception as exc:  # noqa: BLE001 — a failed job reports why instead of dying silently
        status, error = "failed", f"{type(exc).__name__}: {exc}"
    with state.db.session() as db:
        job = db.get(ReportJob, job_id)
        job.status, job.error, job.out_dir, job.finished_at = status, error[:2000], str(out), now()


def files(job: ReportJob) -> dict[str, Path]:
    if job.status != "done":
        return {}
    folder = Path(job.out_dir)
    names = json.loads((folder / "files.json").read_text(encoding="utf-8"))
    return {fmt: folder / names[key] for fmt, key in DOWNLOADS.items() if key in names}
