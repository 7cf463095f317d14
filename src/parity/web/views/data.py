"""Data: upload a file for a table, see its validation row by row, confirm the import, history.

Checking and importing run as background jobs under limits (`upload_jobs`); the upload's page shows
their progress and refreshes itself until they end. The validation messages are the CLI's own
(`parity.ingest`). Only analysts and admins reach these pages: the validation table shows values
from the file (row-level data viewers must not see).
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from parity.web import audit, plain, runner, upload_jobs, uploads, value_maps
from parity.web.models import Upload
from parity.web.pages import render
from parity.web.roles import Access, require
from parity.web.security import new_token

router = APIRouter()
UPLOAD_GONE = "This upload has already been imported, cancelled or has expired. Upload the file again."
#: statuses whose page is gone (the file was deleted)
GONE = ("cancelled", "expired")
#: how long the upload page waits for a running job before showing its progress
WAIT_SECONDS = 1.5


def _tables() -> list[str]:
    from parity.contract.schema import TABLES

    return list(TABLES)


def _presets() -> list[tuple[str, str]]:
    from parity.ingest import load_preset, preset_names

    return [(name, f"{plain.preset_name(name)} ({plain.table_name(load_preset(name).table)})")
            for name in preset_names()]


def _form(request: Request, errors: dict, status: int = 200, **values):
    return render(request, "data_upload.html", status=status, title="Upload data", errors=errors,
                  tables=[(t, plain.table_name(t)) for t in _tables()], presets=_presets(), values=values,
                  limit=uploads.human_size(request.app.state.settings.max_upload_bytes))


@router.get("/o/{org}/data")
def upload_form(request: Request, access: Access = Depends(require("upload"))):
    return _form(request, {})


@router.post("/o/{org}/data/upload")
def upload(request: Request, table: str = Form(""), preset: str = Form(""), file: UploadFile | None = File(None),
           mapping: UploadFile | None = File(None), access: Access = Depends(require("upload"))):
    settings, org = request.app.state.settings, access.org
    values = {"table": table, "preset": preset}
    if table not in _tables():
        return _form(request, {"table": "Choose the table this file holds"}, 400, **values)
    if preset and preset not in dict(_presets()):
        return _form(request, {"preset": "Choose a preset from the list"}, 400, **values)
    if file is None or not file.filename:
        return _form(request, {"file": uploads.NO_FILE}, 400, **values)
    key = new_token()
    folder = None
    try:
        kind = uploads.check_extension(file.filename)
        folder = uploads.private_dir(request.app.state.workspace, key)
        path = uploads.save(file, folder, settings.max_upload_bytes, uploads.human_size(settings.max_upload_bytes))
        uploads.check_magic(path, kind, file.filename)
        mapping_path = None
        if mapping is not None and mapping.filename:
            if not mapping.filename.lower().endswith(uploads.MAPPING_EXTENSIONS):
                raise uploads.UploadRefused(400, uploads.BAD_MAPPING)
            (folder / "mapping").mkdir(mode=0o700)
            mapping_path = uploads.save(mapping, folder / "mapping", 1024 * 1024, "1 MB")
    except uploads.UploadRefused as refused:
        if folder is not None:
            uploads.discard(folder / "x")
        with request.app.state.db.session() as db:
            audit.record(db, request, "upload_refused", user=access.user, org=org,
                         detail=f"{uploads.safe_name(file.filename)}: {refused.message}")
        field = "mapping" if refused.message == uploads.BAD_MAPPING else "file"
        return _form(request, {field: refused.message}, refused.status, **values)
    with request.app.state.db.session() as db:
        db.add(Upload(key=key, user_id=access.user.id, org_code=org, table_name=table, preset=preset or None,
                      file_name=uploads.safe_name(file.filename), path=str(path), status="queued",
                      mapping_path=str(mapping_path) if mapping_path else None))
        audit.record(db, request, "upload", user=access.user, org=org,
                     detail=f"{uploads.safe_name(file.filename)} as {table}, {uploads.human_size(path.stat().st_size)}")
    upload_jobs.manager(request.app).validate(key)
    return RedirectResponse(f"/o/{org}/data/uploads/{key}", status_code=303)


def _upload(request: Request, org: str, key: str) -> Upload:
    with request.app.state.db.session() as db:
        up = db.scalar(select(Upload).where(Upload.key == key, Upload.org_code == org))
    if up is None or up.status in GONE or not Path(up.path).parent.exists():
        raise HTTPException(404, UPLOAD_GONE)
    return up


def _report(up: Upload) -> dict:
    """The upload's validation report in the web's words (no CLI flags; see `plain`)."""
    return plain.web_report(json.loads((Path(up.path).parent / upload_jobs.REPORT_FILE).read_text(encoding="utf-8")))


def _validation(request: Request, up: Upload, report: dict, errors: dict, status: int = 200):
    unknown = value_maps.unknowns(report)
    return render(request, "data_validation.html", status=status, title=f"Check of {up.file_name}", up=up,
                  report=report, errors=errors, summary=_summary(report, unknown),
                  table_name=plain.table_name(report["table"]), unknown=unknown,
                  preset_name=plain.preset_name(up.preset or report.get("detected_preset")))


def _summary(report: dict, unknown: list[dict]) -> list[tuple[str, str]]:
    """The error summary at the top of the check: each whole-file error, the values to map, then the
    row errors (count)."""
    items = [("problems", p["message"]) for p in report["problems"] if p["row"] is None and p["severity"] == "error"]
    if unknown:
        items.append(("value-0", f"{len(unknown)} value{'s' if len(unknown) != 1 else ''} we do not recognise: "
                                 "choose what each means"))
    rows = {p["row"] for p in report["problems"] if p["row"] is not None and p["severity"] == "error"}
    if rows:
        items.append(("problems", f"{len(rows):,} row{'s' if len(rows) != 1 else ''} "
                                  f"{'have' if len(rows) != 1 else 'has'} errors: see the problems below"))
    return items


@router.get("/o/{org}/data/uploads/{key}")
def status(request: Request, key: str, access: Access = Depends(require("upload"))):
    """The upload's page: its job's progress (refreshing itself), its validation, or how it ended."""
    jobs = upload_jobs.manager(request.app)
    up = _upload(request, access.org, key)
    if up.status in upload_jobs.RUNNING:
        jobs.wait(key, WAIT_SECONDS)  # a small file is checked before the first page is drawn
        up = _upload(request, access.org, key)
    job = upload_jobs.read_job(up)
    if up.status == "validated":
        return _validation(request, up, _report(up), {})
    if up.status in ("imported", "not_imported"):
        result = {**job["result"], "problems": [{**p, "message": plain.message(p["message"], p.get("code"))}
                                                for p in job["result"].get("problems", [])]}
        return render(request, "data_imported.html", title="Import finished", up=up, result=result,
                      table_name=plain.table_name(job["result"].get("table") or up.table_name))
    elapsed = time.time() - job["started_at"] if "started_at" in job else None
    return render(request, "data_job.html", title=f"Upload of {up.file_name}", up=up, job=job, elapsed=elapsed,
                  wall=float(request.app.state.settings.limit_wall_seconds), refresh=up.status in upload_jobs.RUNNING,
                  detail=job.get("error") if access.can("upload") else "")


@router.get("/o/{org}/data/uploads/{key}/problems.csv")
def problems_csv(request: Request, key: str, access: Access = Depends(require("upload"))):
    """The check's problems as CSV, in the page's words, to work through in a spreadsheet; text cells
    are neutralised against formula injection (values come from the uploaded file)."""
    up = _upload(request, access.org, key)
    if up.status != "validated":
        raise HTTPException(404, UPLOAD_GONE)
    from parity.report.safety import neutralise

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Row", "Column", "Value", "Severity", "What to do"])
    for p in _report(up)["problems"]:
        writer.writerow([p["row"] if p["row"] is not None else "whole file", neutralise(p.get("column") or ""),
                         neutralise(p["value"] if p.get("value") is not None else ""), p["severity"],
                         neutralise(p["message"])])
    with request.app.state.db.session() as db:
        audit.record(db, request, "download", user=access.user, org=access.org, detail=f"problems of {up.file_name}")
    name = f"problems-{Path(up.file_name).stem}.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/o/{org}/data/uploads/{key}/confirm")
def confirm(request: Request, key: str, exclude_invalid: str = Form(""), access: Access = Depends(require("upload"))):
    up = _upload(request, access.org, key)
    if up.status != "validated":
        raise HTTPException(404, UPLOAD_GONE)
    report = _report(up)
    if report["file_errors"] or (report["n_errors"] and not exclude_invalid):
        return _validation(request, up, report, {"exclude_invalid": "This file has errors. Fix them and upload it "
                                                 "again, or choose to leave out the rows with errors."}, 400)
    address = request.client.host if request.client else ""
    upload_jobs.manager(request.app).import_(key, exclude_invalid=bool(exclude_invalid), email=access.user.email,
                                             address=address)
    return RedirectResponse(f"/o/{access.org}/data/uploads/{key}", status_code=303)


@router.post("/o/{org}/data/uploads/{key}/values")
async def map_values(request: Request, key: str, access: Access = Depends(require("upload"))):
    """Save what the unknown values of the check mean (for this and later uploads), and check again."""
    form = {k: str(v) for k, v in (await request.form()).items()}  # the rest in a thread: it waits on the DB
    return await run_in_threadpool(_map_values, request, key, access, form)


def _map_values(request: Request, key: str, access: Access, form: dict[str, str]):
    up = _upload(request, access.org, key)
    if up.status != "validated":
        raise HTTPException(404, UPLOAD_GONE)
    report = _report(up)
    unknown = value_maps.unknowns(report)
    answers: dict[str, dict[str, str]] = {}
    for i, item in enumerate(unknown):
        code = form.get(f"value-{i}", "")
        if not code:
            continue  # left for now: it stays an error
        if code not in dict(item["choices"]):
            raise HTTPException(400, "Choose what the value means from the list.")
        answers.setdefault(item["column"], {})[item["value"]] = code
    if not answers:
        return _validation(request, up, report, {"value-0": "Choose what at least one value means"}, 400)
    workspace = request.app.state.workspace
    value_maps.save(workspace, access.org, up.table_name, answers)
    with request.app.state.db.session() as db:
        audit.record(db, request, "values_mapped", user=access.user, org=access.org,
                     detail=f"{up.table_name}: " + "; ".join(f"{c} {len(v)} value(s)" for c, v in answers.items()))
        db.scalar(select(Upload).where(Upload.key == key)).status = "queued"
    upload_jobs.manager(request.app).validate(key)
    return RedirectResponse(f"/o/{access.org}/data/uploads/{key}", status_code=303)


@router.post("/o/{org}/data/uploads/{key}/cancel")
def cancel(request: Request, key: str, access: Access = Depends(require("upload"))):
    """Give up on an upload: its file is deleted now (a running check stops using it)."""
    up = _upload(request, access.org, key)
    if up.status not in ("queued", "validating", "validated", "failed"):
        raise HTTPException(404, UPLOAD_GONE)
    with request.app.state.db.session() as db:
        row = db.scalar(select(Upload).where(Upload.key == key))
        row.status = "cancelled"
        audit.record(db, request, "upload_cancelled", user=access.user, org=access.org, detail=up.file_name)
    uploads.discard(up.path)
    return render(request, "data_job.html", title="Upload cancelled", up=up, job={"stage": "cancelled"},
                  elapsed=None, wall=0, refresh=False, detail="")


def install(app) -> None:
    """Start the app's upload jobs: sweep expired uploads now, and every few minutes from now on."""
    upload_jobs.manager(app).start_sweeper()
    threading.Thread(target=runner.warm_up, name="forkserver-warm-up", daemon=True).start()


@router.get("/o/{org}/data/history")
def history(request: Request, access: Access = Depends(require("history"))):
    log = request.app.state.results.import_log()
    rows = []
    for rec in log.to_dict("records"):
        orgs = [o.strip() for o in str(rec.get("org_code") or "").split(",")]
        if access.org in orgs:  # each organisation sees only its own imports
            rows.append(rec)
    return render(request, "data_history.html", title="Import history", rows=list(reversed(rows)))
