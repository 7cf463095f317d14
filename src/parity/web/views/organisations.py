"""The organisations a user may open (a regional team hosts several; each is isolated)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from parity.web import audit, orgnames
from parity.web.models import Membership, User
from parity.web.pages import render
from parity.web.roles import Access, Forbidden, current_user, organisations_of, require

router = APIRouter()
ORG_CODE = re.compile(r"^[A-Z0-9]{2,10}$")
BAD_CODE = "Enter an organisation code of 2 to 10 capital letters and digits, like RXX"


def known_organisations(request: Request) -> list[str]:
    """Codes in the workspace data, plus codes users were invited to before their data arrived."""
    orgs = set(request.app.state.results.organisations())
    with request.app.state.db.session() as db:
        orgs |= set(db.scalars(select(Membership.org_code).distinct()))
    return sorted(orgs)


@router.get("/organisations")
def organisations(request: Request, user: User = Depends(current_user), code: str | None = None):
    errors = {}
    if code is not None:  # a site administrator starting a new organisation: go to its upload page
        if not user.is_site_admin:
            raise Forbidden()
        code = code.strip().upper()
        if ORG_CODE.match(code):
            return RedirectResponse(f"/o/{code}/data", status_code=303)
        errors["code"] = BAD_CODE
    rows = organisations_of(user, known_organisations(request))
    with request.app.state.db.session() as db:
        named = orgnames.names(db)
    return render(request, "organisations.html", title="Your organisations", rows=rows, errors=errors,
                  code=code or "", names=named)


@router.get("/o/{org}")
def organisation_home(org: str):
    return RedirectResponse(f"/o/{org}/overview", status_code=303)


def landing(db, user: User) -> str:
    """Where a user lands after signing in: the overview of their organisation when they have one
    only (issue 14), else the list of organisations."""
    if not user.is_site_admin:
        codes = db.scalars(select(Membership.org_code).where(Membership.user_id == user.id)).all()
        if len(codes) == 1:
            return f"/o/{codes[0]}/overview"
    return "/organisations"


@router.get("/o/{org}/name")
def name_form(request: Request, access: Access = Depends(require("users"))):
    with request.app.state.db.session() as db:
        current = orgnames.name_of(db, access.org)
    return render(request, "organisation_name.html", title="Organisation name", errors={},
                  name=current if current != access.org else "")


@router.post("/o/{org}/name")
def set_name(request: Request, name: str = Form(""), access: Access = Depends(require("users"))):
    """An administrator names the organisation; every page shows the name from now on."""
    name = " ".join(name.split())
    error = orgnames.check(name)
    if error:
        return render(request, "organisation_name.html", status=400, title="Organisation name",
                      errors={"name": error}, name=name)
    with request.app.state.db.session() as db:
        orgnames.set_name(db, access.org, name)
        audit.record(db, request, "org_named", user=access.user, org=access.org, detail=name)
    orgnames.forget(request.app)  # pages remember names for a few seconds: show this one at once
    return RedirectResponse("/organisations", status_code=303)
