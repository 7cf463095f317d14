"""Users of an organisation: invite by one-time link, set roles (admins only)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from parity.web import audit
from parity.web.models import Invitation, Membership, User, now
from parity.web.pages import render
from parity.web.roles import ROLE_HELP, ROLES, Access, require
from parity.web.security import digest, new_token

router = APIRouter()
REMOVE = "remove"


def _page(request: Request, access: Access, *, errors=None, link=None, status=200, email="", role="viewer"):
    with request.app.state.db.session() as db:
        members = list(db.execute(select(User, Membership.role).join(Membership)
                                  .where(Membership.org_code == access.org).order_by(User.email)))
        pending = list(db.scalars(select(Invitation).where(Invitation.org_code == access.org,
                                                           Invitation.used_at.is_(None),
                                                           Invitation.expires_at > now())))
    return render(request, "users.html", status=status, title="Users", members=members, pending=pending,
                  errors=errors or {}, link=link, roles=ROLES, role_help=ROLE_HELP, email=email, new_role=role)


@router.get("/o/{org}/users")
def users(request: Request, access: Access = Depends(require("users"))):
    return _page(request, access)


@router.post("/o/{org}/users/invite")
def invite(request: Request, email: str = Form(""), role: str = Form(""), access: Access = Depends(require("users"))):
    email = email.strip().lower()
    errors = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = "Enter an email address in the correct format, like name@nhs.net"
    if role not in ROLES:
        errors["role"] = "Choose a role"
    if errors:
        return _page(request, access, errors=errors, status=400, email=email, role=role)
    settings = request.app.state.settings
    with request.app.state.db.session() as db:
        # an invitation whether or not the address has an account: adding an account at once, or
        # answering differently, would tell the inviter who has one; the holder accepts while signed in
        token = new_token()
        db.add(Invitation(token_hash=digest(token), email=email, org_code=access.org, role=role,
                          created_by=access.user.id,
                          expires_at=now() + timedelta(hours=float(settings.invitation_hours))))
        audit.record(db, request, "invite", user=access.user, org=access.org, detail=f"{email} as {role}")
    link = f"{str(request.base_url).rstrip('/')}/invitation/{token}"
    return _page(request, access, link=link)


@router.post("/o/{org}/users/{user_id}/role")
def set_role(request: Request, user_id: int, role: str = Form(""), access: Access = Depends(require("users"))):
    if role not in (*ROLES, REMOVE):
        raise HTTPException(400, "Choose a role.")
    if user_id == access.user.id:
        raise HTTPException(400, "You cannot change your own role; ask another administrator.")
    with request.app.state.db.session() as db:
        member = db.scalar(select(Membership).where(Membership.user_id == user_id, Membership.org_code == access.org))
        if member is None:
            raise HTTPException(404, "That person is not a member of this organisation.")
        email = db.get(User, user_id).email
        if role == REMOVE:
            db.delete(member)
        else:
            member.role = role
        audit.record(db, request, "set_role", user=access.user, org=access.org, detail=f"{email}: {role}")
    return RedirectResponse(f"/o/{access.org}/users", status_code=303)
