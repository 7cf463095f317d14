"""Sign in, sign out, the first-run set-up link and invitation links."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlalchemy import delete, func, select, update

from parity.web import audit
from parity.web.models import Invitation, LoginFailure, Membership, User, WebSession, now
from parity.web.pages import error_page, render, session_expiry
from parity.web.roles import ADMIN
from parity.web.security import (
    DUMMY_HASH,
    SESSION_COOKIE,
    cookie_args,
    digest,
    hash_password,
    new_token,
)
from parity.web.throttle import BUSY, Blocked

router = APIRouter()
SIGN_IN_FAILED = "Enter a correct email address and password."
NOT_YOURS = ("This invitation is for another email address. Sign out, then sign in with the address it was "
             "sent to.")
LINK_INVALID = "This link has expired or has already been used. Ask an administrator for a new one."
MIN_PASSWORD = 12


def first_run_link(app, base_url: str) -> str | None:
    """When no user exists, a one-time set-up link for the first administrator (else None)."""
    settings = app.state.settings
    with app.state.db.session() as db:
        if db.scalar(select(func.count()).select_from(User)):
            return None
        db.execute(delete(Invitation).where(Invitation.site_admin.is_(True), Invitation.used_at.is_(None)))
        token = new_token()
        db.add(Invitation(token_hash=digest(token), role=ADMIN, site_admin=True,
                          expires_at=now() + timedelta(hours=float(settings.invitation_hours))))
    return f"{base_url.rstrip('/')}/invitation/{token}"


@router.get("/")
def home(request: Request):
    return RedirectResponse("/organisations" if request.state.user else "/sign-in", status_code=303)


@router.get("/sign-in")
def sign_in_form(request: Request, next: str = "/organisations"):
    return render(request, "sign_in.html", title="Sign in", errors={}, email="", next=_safe_next(next))


@router.post("/sign-in")
async def sign_in(request: Request, email: str = Form(""), password: str = Form(""),
                  next: str = Form("/organisations")):
    # async: a sign-in waiting for its password check holds no worker thread (throttle.verify);
    # the short database steps run in the thread pool
    app, throttle = request.app, request.app.state.throttle
    email = email.strip().lower()
    address = request.client.host if request.client else ""
    reservation = await run_in_threadpool(throttle.reserve, app.state.db, email, address)
    if isinstance(reservation, Blocked):
        await run_in_threadpool(_record, request, "sign_in_blocked", email, f"limit: {reservation.scope}")
        # a flood that goes on after being refused gets its answers slowly: a sleeping request costs
        # nothing, while answering at once let 20 connections take most of the server's CPU (issue 11)
        await asyncio.sleep(float(app.state.settings.login_blocked_delay_seconds))
        response = render(request, "sign_in.html", status=429, title="Sign in", email=email, next=_safe_next(next),
                          errors={"email": reservation.message})
        response.headers["Retry-After"] = str(reservation.seconds)
        return response
    user = await run_in_threadpool(_user_by_email, app, email)
    ok = await throttle.verify(user.password_hash if user else DUMMY_HASH, password, address)
    if ok is None:
        await run_in_threadpool(_forget, app, reservation)  # not evaluated: not a failure
        response = error_page(request, 503, BUSY)
        response.headers["Retry-After"] = "5"
        return response
    if not (ok and user is not None and user.active):
        await run_in_threadpool(_record, request, "sign_in_failed", email, "")
        return render(request, "sign_in.html", status=400, title="Sign in", email=email, next=_safe_next(next),
                      errors={"email": SIGN_IN_FAILED})
    return await run_in_threadpool(_signed_in, request, user, reservation, _safe_next(next))


def _user_by_email(app, email: str) -> User | None:
    with app.state.db.session() as db:
        return db.scalar(select(User).where(User.email == email))


def _record(request: Request, action: str, email: str, detail: str) -> None:
    with request.app.state.db.session() as db:
        audit.record(db, request, action, email=email, detail=detail)


def _forget(app, reservation) -> None:
    with app.state.db.session() as db:
        db.execute(delete(LoginFailure).where(LoginFailure.id.in_(reservation.ids)))


def _signed_in(request: Request, user: User, reservation, target: str):
    from parity.web.views.organisations import landing

    with request.app.state.db.session() as db:
        request.app.state.throttle.succeeded(db, reservation)
        if target == "/organisations":  # no page asked for: one organisation's users go straight to it
            target = landing(db, user)
        response = RedirectResponse(target, status_code=303)
        _start_session(request, db, user, response)
        audit.record(db, request, "sign_in", user=user)
    return response


@router.post("/sign-out")
def sign_out(request: Request):
    token = request.state.session_token
    with request.app.state.db.session() as db:
        if token:
            db.execute(delete(WebSession).where(WebSession.token_hash == digest(token)))
            audit.record(db, request, "sign_out", user=request.state.user)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/invitation/{token}")
def invitation_form(request: Request, token: str):
    with request.app.state.db.session() as db:
        invitation = _valid_invitation(db, token)
        if invitation is None:
            return error_page(request, 404, LINK_INVALID)
        user = request.state.user
        if user is not None and invitation.email and user.email == invitation.email and invitation.org_code:
            return render(request, "invitation_accept.html", title="Accept the invitation", invitation=invitation,
                          token=token)
    return render(request, "invitation.html", title="Set up your account", invitation=invitation, errors={},
                  email=invitation.email, name="", token=token)


@router.post("/invitation/{token}/accept")
def accept_as_member(request: Request, token: str):
    """An invitation to an address that already has an account: its holder, signed in, joins the organisation."""
    user = request.state.user
    with request.app.state.db.session() as db:
        invitation = _valid_invitation(db, token)
        if invitation is None:
            return error_page(request, 404, LINK_INVALID)
        if user is None or not invitation.org_code or user.email != invitation.email:
            return error_page(request, 403, NOT_YOURS)
        if not claim(db, invitation.id):
            return error_page(request, 404, LINK_INVALID)
        member = db.scalar(select(Membership).where(Membership.user_id == user.id,
                                                    Membership.org_code == invitation.org_code))
        if member is None:
            db.add(Membership(user_id=user.id, org_code=invitation.org_code, role=invitation.role))
        else:
            member.role = invitation.role
        audit.record(db, request, "accept_invite", user=user, org=invitation.org_code,
                     detail=f"role {invitation.role} (existing account)")
    return RedirectResponse(f"/o/{invitation.org_code}", status_code=303)


@router.post("/invitation/{token}")
def accept_invitation(request: Request, token: str, email: str = Form(""), name: str = Form(""),
                      password: str = Form(""), confirm: str = Form("")):
    with request.app.state.db.session() as db:
        invitation = _valid_invitation(db, token)
        if invitation is None:
            return error_page(request, 404, LINK_INVALID)
        email = (invitation.email or email).strip().lower()
        errors = _account_errors(db, email, name, password, confirm)
        if errors:
            return render(request, "invitation.html", status=400, title="Set up your account", invitation=invitation,
                          errors=errors, email=email, name=name, token=token)
    password_hash = hash_password(password)  # slow: before the claim, so the claim stays short
    with request.app.state.db.session() as db:
        if not claim(db, invitation.id):  # another request used the link first
            return error_page(request, 404, LINK_INVALID)
        user = User(email=email, name=name.strip(), password_hash=password_hash, is_site_admin=invitation.site_admin)
        db.add(user)
        db.flush()
        if invitation.org_code:
            db.add(Membership(user_id=user.id, org_code=invitation.org_code, role=invitation.role))
        audit.record(db, request, "set_up" if invitation.site_admin else "accept_invite", user=user,
                     org=invitation.org_code, detail=f"role {invitation.role}")
        response = RedirectResponse("/organisations", status_code=303)
        _start_session(request, db, user, response)
    return response


def claim(db, invitation_id: int) -> bool:
    """Mark the invitation used if nobody has: one conditional UPDATE, so two requests cannot both win.

    The row lock (PostgreSQL) or write lock (SQLite) makes the loser wait, then match no row.
    """
    result = db.execute(update(Invitation)
                        .where(Invitation.id == invitation_id, Invitation.used_at.is_(None),
                               Invitation.expires_at >= now())
                        .values(used_at=now()))
    return result.rowcount == 1


def _account_errors(db, email, name, password, confirm) -> dict[str, str]:
    errors = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = "Enter an email address in the correct format, like name@nhs.net"
    elif db.scalar(select(User).where(User.email == email)):
        errors["email"] = ("An account with this email address already exists. Sign in, then open your "
                           "invitation link again to accept it.")
    if not name.strip():
        errors["name"] = "Enter your name"
    if len(password) < MIN_PASSWORD:
        errors["password"] = f"Enter a password of at least {MIN_PASSWORD} characters"
    elif password != confirm:
        errors["confirm"] = "The passwords do not match"
    return errors


def _valid_invitation(db, token: str) -> Invitation | None:
    invitation = db.scalar(select(Invitation).where(Invitation.token_hash == digest(token)))
    if invitation is None or invitation.used_at is not None or invitation.expires_at < now():
        return None
    return invitation


def _start_session(request: Request, db, user: User, response) -> None:
    """A new session token at every sign-in (never reuse one the browser brought: no fixation)."""
    old = request.state.session_token or request.app.state.keys.unsign(request.cookies.get(SESSION_COOKIE))
    if old:
        db.execute(delete(WebSession).where(WebSession.token_hash == digest(old)))
    token = new_token()
    settings = request.app.state.settings
    db.add(WebSession(token_hash=digest(token), user_id=user.id, expires_at=session_expiry(settings)))
    response.set_cookie(SESSION_COOKIE, request.app.state.keys.sign(token), **cookie_args(settings.secure_cookies))


def _safe_next(target: str) -> str:
    # only local paths: an open redirect would turn our sign-in page into a phishing aid
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/organisations"
    return target
