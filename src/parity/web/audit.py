"""The audit log: who did what, when — sign-ins, uploads, imports, unsuppressed views, downloads."""

from __future__ import annotations

from sqlalchemy import select

from parity.web.models import AuditEvent

#: actions recorded (the audit page filters by these)
ACTIONS = ("sign_in", "sign_in_failed", "sign_in_blocked", "sign_out", "set_up", "invite", "accept_invite",
           "set_role", "org_named", "upload", "upload_refused", "upload_checked", "upload_cancelled", "values_mapped", "import", "view_unsuppressed", "report_generate",
           "download", "pulse_create", "pulse_codes", "pulse_close")


def record(db, request, action: str, *, user=None, email: str = "", org: str | None = None,
           detail: str = "") -> None:
    """Add one event; `request` supplies the client address."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    who = user.email if user is not None else email
    address = request.client.host if request is not None and request.client else ""
    db.add(AuditEvent(user_email=who, action=action, org_code=org, detail=detail[:2000], address=address))


def events(db, *, orgs: list[str] | None = None, limit: int = 500) -> list[AuditEvent]:
    """Newest first; `orgs` limits to events of those organisations (None: all, for site admins)."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if orgs is not None:
        query = query.where(AuditEvent.org_code.in_(orgs))
    return list(db.scalars(query))
