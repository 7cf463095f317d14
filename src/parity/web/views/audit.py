"""The audit log: an organisation's events for its admins; every event for site administrators."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from parity.web import audit
from parity.web.pages import render
from parity.web.roles import Access, require

router = APIRouter()


@router.get("/o/{org}/audit")
def org_audit(request: Request, access: Access = Depends(require("audit"))):
    with request.app.state.db.session() as db:
        rows = audit.events(db, orgs=[access.org])
    return render(request, "audit.html", title="Audit log", rows=rows, scope=access.org)


@router.get("/audit")
def all_audit(request: Request, access: Access = Depends(require("audit"))):
    with request.app.state.db.session() as db:
        rows = audit.events(db)
    return render(request, "audit.html", title="Audit log", rows=rows, scope=None)
