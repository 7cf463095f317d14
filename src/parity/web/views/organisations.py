"""The organisations a user may open (a regional team hosts several; each is isolated)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from parity.web.models import Membership, User
from parity.web.pages import render
from parity.web.roles import Forbidden, current_user, organisations_of

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
    return render(request, "organisations.html", title="Your organisations", rows=rows, errors=errors,
                  code=code or "")


@router.get("/o/{org}")
def organisation_home(org: str):
    return RedirectResponse(f"/o/{org}/overview", status_code=303)
