"""Data: upload a file for a table, see its validation row by row, confirm the import, history.

The validation messages are the CLI's own (`parity.ingest`). Only analysts and admins reach these
pages: the validation table shows values from the file (row-level data viewers must not see).
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from parity.web import audit, uploads
from parity.web.models import Upload
from parity.web.pages import render
from parity.web.roles import Access, require
from parity.web.security import new_token

router = APIRouter()
OTHER_ORG = ("This file has rows for other organisations ({others}); you are uploading for {org}. Upload "
             "each organisation's rows on its own page, or remove the other rows.")
UPLOAD_GONE = "This upload has already been imported or has expired. Upload the file again."


def _tables() -> list[str]:
    from parity.contract.schema import TABLES

    return list(TABLES)


def _presets() -> list[tuple[str, str]]:
    from parity.ingest import load_preset, preset_names

    return [(name, f"{name} ({load_preset(name).table})") for name in preset_names()]


def _form(request: Request, errors: dict, status: int = 200, **values):
    return render(request, "data_upload.html", status=status, title="Upload data", errors=errors,
                  tables=_tables(), presets=_presets(), values=values,
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
    report = _validate(path, table, org, preset=preset or None, mapping=mapping_path)
    (folder / "report.json").write_text(json.dumps(report), encoding="utf-8")
    with request.app.state.db.session() as db:
        db.add(Upload(key=key, user_id=access.user.id, org_code=org, table_name=table, preset=preset or None,
                      file_name=uploads.safe_name(file.filename), path=str(path),
                      mapping_path=str(mapping_path) if mapping_path else None))
        audit.record(db, request, "upload", user=access.user, org=org,
                     detail=f"{uploads.safe_name(file.filename)} as {table}: {report['rows_read']} rows read, "
                            f"{report['n_errors']} errors")
    return RedirectResponse(f"/o/{org}/data/uploads/{key}", status_code=303)


def _validate(path: Path, table: str, org: str, *, preset, mapping) -> dict:
    """The CLI's validation, plus one check of ours: every row belongs to this organisation."""
    from parity.ingest.prepare import prepare
    from parity.ingest.problems import ERROR, Problem

    prep = prepare(path, table, mapping=mapping, preset=preset, org=org)
    report = prep.report
    if prep.frame is not None and "org_code" in prep.frame:
        others = sorted(set(prep.frame["org_code"].dropna()) - {org})
        if others:
            report.problems.insert(0, Problem(report.file, None, "org_code", ", ".join(others),
                                              OTHER_ORG.format(others=", ".join(others), org=org), ERROR,
                                              "other_organisation"))
    out = report.to_dict()
    out["file_errors"] = len(report.file_errors)
    return out


def _pending(request: Request, org: str, key: str) -> tuple[Upload, dict]:
    with request.app.state.db.session() as db:
        up = db.scalar(select(Upload).where(Upload.key == key, Upload.org_code == org))
    if up is None or up.status != "validated" or not Path(up.path).exists():
        raise HTTPException(404, UPLOAD_GONE)
    report = json.loads((Path(up.path).parent / "report.json").read_text(encoding="utf-8"))
    return up, report


@router.get("/o/{org}/data/uploads/{key}")
def validation(request: Request, key: str, access: Access = Depends(require("upload"))):
    up, report = _pending(request, access.org, key)
    return render(request, "data_validation.html", title=f"Validation of {up.file_name}", up=up, report=report,
                  errors={})


@router.post("/o/{org}/data/uploads/{key}/confirm")
def confirm(request: Request, key: str, exclude_invalid: str = Form(""), access: Access = Depends(require("upload"))):
    up, report = _pending(request, access.org, key)
    if report["file_errors"] or (report["n_errors"] and not exclude_invalid):
        return render(request, "data_validation.html", status=400, title=f"Validation of {up.file_name}", up=up,
                      report=report, errors={"exclude_invalid": "This file has errors. Fix them and upload it "
                                             "again, or choose to leave out the rows with errors."})
    result = request.app.state.results.import_file(
        Path(up.path), up.table_name, preset=up.preset, mapping=up.mapping_path, org=access.org,
        exclude_invalid=bool(exclude_invalid))
    with request.app.state.db.session() as db:
        row = db.scalar(select(Upload).where(Upload.key == key))
        row.status = "imported" if result.imported else "failed"
        audit.record(db, request, "import", user=access.user, org=access.org,
                     detail=f"{up.file_name} as {up.table_name}: imported={result.imported}, "
                            f"{result.rows_accepted} rows accepted, import id {result.import_id}")
    uploads.discard(up.path)
    return render(request, "data_imported.html", title="Import finished", up=up, result=result.to_dict())


@router.get("/o/{org}/data/history")
def history(request: Request, access: Access = Depends(require("history"))):
    log = request.app.state.results.import_log()
    rows = []
    for rec in log.to_dict("records"):
        orgs = [o.strip() for o in str(rec.get("org_code") or "").split(",")]
        if access.org in orgs:  # each organisation sees only its own imports
            rows.append(rec)
    return render(request, "data_history.html", title="Import history", rows=list(reversed(rows)))
