"""Who may do what: one table, enforced by a dependency on every route and download.

Menus read the same table to hide links, but hiding is a courtesy: the server checks each
request (`require`), so a viewer who types an analyst's URL gets 403 and no data.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, Request

from parity.web.models import User

ADMIN, ANALYST, CONTRIBUTOR, VIEWER = "admin", "analyst", "contributor", "viewer"
ROLES = (ADMIN, ANALYST, CONTRIBUTOR, VIEWER)
ROLE_HELP = {
    ADMIN: "Everything an analyst can do, plus inviting users, setting roles and reading the audit log.",
    ANALYST: "Upload and import data, see unsuppressed figures (marked not for publication), generate reports.",
    CONTRIBUTOR: "Network members: what a viewer sees, plus progress updates on actions and meeting notes.",
    VIEWER: "Staff networks, board members: suppressed figures and published reports only; no uploads.",
}

#: action -> roles allowed (in an organisation). The whole access policy is this table.
PERMISSIONS: dict[str, frozenset[str]] = {
    "overview": frozenset({ADMIN, ANALYST, CONTRIBUTOR, VIEWER}),
    "indicator": frozenset({ADMIN, ANALYST, CONTRIBUTOR, VIEWER}),
    "report_download": frozenset({ADMIN, ANALYST, CONTRIBUTOR, VIEWER}),
    "actions": frozenset({ADMIN, ANALYST, CONTRIBUTOR, VIEWER}),
    "action_progress": frozenset({ADMIN, ANALYST, CONTRIBUTOR}),
    "action_manage": frozenset({ADMIN, ANALYST}),
    "meeting_record": frozenset({ADMIN, ANALYST, CONTRIBUTOR}),
    "unsuppressed": frozenset({ADMIN, ANALYST}),
    "upload": frozenset({ADMIN, ANALYST}),
    "history": frozenset({ADMIN, ANALYST}),
    "report_generate": frozenset({ADMIN, ANALYST}),
    "report_unsuppressed": frozenset({ADMIN, ANALYST}),
    "pulse": frozenset({ADMIN, ANALYST, CONTRIBUTOR, VIEWER}),
    "pulse_manage": frozenset({ADMIN, ANALYST}),
    "pulse_free_text": frozenset({ADMIN, ANALYST}),
    "users": frozenset({ADMIN}),
    "audit": frozenset({ADMIN}),
}


class NotSignedIn(Exception):
    """Raised by the dependencies for anonymous requests; the app redirects to sign in."""


class Forbidden(Exception):
    """Raised when a signed-in user lacks the role; the app answers 403 with no data."""


@dataclass(frozen=True)
class Access:
    user: User
    org: str | None
    role: str | None

    def can(self, action: str) -> bool:
        return self.role is not None and self.role in PERMISSIONS[action]


def role_in(user: User, org: str) -> str | None:
    """The user's role in `org` (site administrators are admin everywhere)."""
    if user.is_site_admin:
        return ADMIN
    for m in user.memberships:
        if m.org_code == org:
            return m.role
    return None


def current_user(request: Request) -> User:
    user = getattr(request.state, "user", None)
    if user is None:
        raise NotSignedIn()
    return user


def require(action: str):
    """A dependency: the signed-in user must hold a role allowed `action` in the path's organisation."""
    if action not in PERMISSIONS:
        raise KeyError(action)

    def dependency(request: Request, user: User = Depends(current_user)) -> Access:
        org = request.path_params.get("org")
        if org is None:  # site-wide pages (audit log, all users): site administrators only
            if not user.is_site_admin:
                raise Forbidden()
            return Access(user, None, ADMIN)
        role = role_in(user, org)
        if role is None or role not in PERMISSIONS[action]:
            raise Forbidden()
        return Access(user, org, role)

    return dependency


def organisations_of(user: User, known: list[str]) -> list[tuple[str, str]]:
    """(org code, role) for every organisation the user may open, site admins seeing all known ones."""
    if user.is_site_admin:
        return [(org, ADMIN) for org in known]
    return sorted((m.org_code, m.role) for m in user.memberships)
