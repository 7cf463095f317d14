"""Report jobs: `parity report` run in the background, its files kept for download.

Files go to ``<workspace>/web-reports/<job id>/`` (mode 0700); `files.json` maps each format to
its file. The report is built in a child process (`runner`, under `limit_wall_seconds`), so its
CPU-heavy work does not slow the server's pages. No address-space cap: the chart renderer (V8 in
vl-convert) reserves a large virtual heap up front and aborts under ``RLIMIT_AS``, and a report reads
only data that already passed the upload limits. The job thread
holds the results lock meanwhile, so the server opens no DuckDB connection of its own while the
child reads the workspace (see `results`).
"""

from __future__ import annotations

import gc
import json
import os
import threading
from pathlib import Path

from parity.web import report_work, runner
from parity.web.models import ReportJob, now

REPORT_DIR = "web-reports"
#: download name → the key `write_report` returns
DOWNLOADS = {"html": "html", "pdf": "pdf", "xlsx": "xlsx", "csv": "csv", "action_plan": "action_plan"}
STOPPED = {"wall_seconds": "stopped after {allowed:,.0f} seconds, the time limit for a job (web setting "
                          "limit_wall_seconds)"}


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
    state = app.state
    with state.db.session() as db:
        job = db.get(ReportJob, job_id)
        job.status = "running"
        org, year, unsuppressed = job.org_code, job.year, job.unsuppressed
    out = job_dir(state.workspace, job_id)
    settings = state.settings
    try:
        with state.results.lock:
            gc.collect()  # drop this process's DuckDB connections before the child opens the file
            outcome = runner.run(report_work.build, {
                "workspace": str(state.workspace), "year": year, "org": org, "rule": state.results.rule,
                "unsuppressed": unsuppressed, "resamples": int(settings.report_resamples), "out_dir": str(out)},
                result_path=out.parent / f"{job_id}.result.json", wall_seconds=float(settings.limit_wall_seconds),
                memory_bytes=None, idle=bool(settings.jobs_when_idle))
        if outcome.ok:
            (out / "files.json").write_text(json.dumps(outcome.value), encoding="utf-8")
            status, error = "done", ""
        elif outcome.limit in STOPPED:
            status, error = "failed", STOPPED[outcome.limit].format(**outcome.details)
        else:
            status, error = "failed", outcome.error or f"limit {outcome.limit}"
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
