"""Reports: generate `parity report` outputs (HTML, PDF, Excel, CSV) and download them.

Viewers may download suppressed reports; generating, and anything unsuppressed, needs an analyst.
Every download is checked here and written to the audit log.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse
from sqlalchemy import select

from parity.web import audit, jobs
from parity.web.models import ReportJob, User
from parity.web.pages import render
from parity.web.roles import Access, Forbidden, require

router = APIRouter()
#: what viewers see of a failed job: its error text can hold details of the data (issue 11)
REPORT_FAILED = "the report could not be generated. An analyst of the organisation can see why and try again."
MEDIA = {"html": "text/html", "pdf": "application/pdf",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv",
         "action_plan": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/o/{org}/reports")
def reports(request: Request, access: Access = Depends(require("report_download"))):
    with request.app.state.db.session() as db:
        query = select(ReportJob).where(ReportJob.org_code == access.org).order_by(ReportJob.id.desc()).limit(50)
        if not access.can("report_unsuppressed"):
            query = query.where(ReportJob.unsuppressed.is_(False))
        rows = [(job, jobs.files(job)) for job in db.scalars(query)]
        ids = {job.user_id for job, _ in rows}
        made_by = {i: e for i, e in db.execute(select(User.id, User.email).where(User.id.in_(ids)))} if ids else {}
    years = request.app.state.results.years(access.org)
    busy = any(job.status in ("queued", "running") for job, _ in rows)
    return render(request, "reports.html", title="Reports", rows=rows, years=years, errors={}, busy=busy,
                  REPORT_FAILED=REPORT_FAILED, made_by=made_by)


@router.post("/o/{org}/reports")
def generate(request: Request, year: int = Form(0), unsuppressed: str = Form(""),
             access: Access = Depends(require("report_generate"))):
    if year not in request.app.state.results.years(access.org):
        raise HTTPException(400, "Choose a year that has data.")
    with request.app.state.db.session() as db:
        job = ReportJob(user_id=access.user.id, org_code=access.org, year=year, unsuppressed=bool(unsuppressed))
        db.add(job)
        db.flush()
        job_id = job.id
        audit.record(db, request, "report_generate", user=access.user, org=access.org,
                     detail=f"job {job_id}, year {year}{', unsuppressed' if unsuppressed else ''}")
    jobs.start(request.app, job_id)
    return RedirectResponse(f"/o/{access.org}/reports", status_code=303)


@router.get("/o/{org}/reports/{job_id}/{fmt}")
def download(request: Request, job_id: int, fmt: str, access: Access = Depends(require("report_download"))):
    with request.app.state.db.session() as db:
        job = db.scalar(select(ReportJob).where(ReportJob.id == job_id, ReportJob.org_code == access.org))
        if job is None or fmt not in MEDIA:
            raise HTTPException(404, "No such report.")
        if job.unsuppressed and not access.can("report_unsuppressed"):
            raise Forbidden()
        path = jobs.files(job).get(fmt)
        if path is None or not path.exists():
            raise HTTPException(404, "This report is not ready, or has no file in that format.")
        audit.record(db, request, "download", user=access.user, org=access.org,
                     detail=f"{path.name} (job {job_id}{', unsuppressed' if job.unsuppressed else ''})")
    return FileResponse(path, media_type=MEDIA[fmt], filename=path.name)
