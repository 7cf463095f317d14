"""`parity users add|list`: set up web dashboard accounts without a browser (docs/web.md "Operators").

Uses the web app's own models, database (`Database.for_workspace`, migrated like `parity serve`) and
Argon2 hashing (`parity.web.security.hash_password`); the password rule is the web's (`MIN_PASSWORD`).
The password is read from standard input, never from the command line (where `ps` and shell history
would show it); `--invite` prints a one-time invitation link instead, accepted in the browser as a
link made on the Users page is. The first-run set-up link of `parity serve` is unchanged: it appears
while no account exists.
"""

from __future__ import annotations

import getpass
import sys
from datetime import timedelta
from pathlib import Path

import typer

from parity.commands.common import console

users_app = typer.Typer(help="Web dashboard accounts: add and list users (no browser needed).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Password (at least 12 characters): ")
    return sys.stdin.readline().rstrip("\r\n")


def _fail(message: str) -> None:
    console.print(f"[red]Error:[/red] {message}")
    raise typer.Exit(2)


@users_app.command("add")
def add_command(
    workspace: Path = typer.Option(..., "--workspace", "-w", help="Workspace directory"),
    email: str = typer.Option(..., "--email", help="The user's email address (their sign-in name)"),
    role: str = typer.Option(..., "--role", help="admin, analyst, contributor or viewer"),
    org: str = typer.Option(None, "--org", help="Organisation code; without it only --role admin, which makes "
                                                "a site administrator (every organisation)"),
    invite: bool = typer.Option(False, "--invite", help="Print a one-time invitation link instead of reading a "
                                                        "password from standard input"),
    base_url: str = typer.Option("http://127.0.0.1:8000", "--base-url",
                                 help="The address users open, for the invitation link"),
    database_url: str = typer.Option(None, "--database-url", help="App database (default: SQLite in the workspace)"),
) -> None:
    """Add a user (or give an existing one a role in an organisation)."""
    from sqlalchemy import select

    from parity.web.db import Database
    from parity.web.models import AuditEvent, Invitation, Membership, User, now
    from parity.web.roles import ADMIN, ROLES
    from parity.web.security import digest, hash_password, new_token
    from parity.web.settings import Settings
    from parity.web.views.auth import MIN_PASSWORD

    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        _fail(f"--email {email!r}: enter an email address in the correct format, like name@nhs.net")
    if role not in ROLES:
        _fail(f"--role {role!r}: choose one of {', '.join(ROLES)}")
    if org is None and role != ADMIN:
        _fail(f"--role {role} needs --org: only an administrator can be added for every organisation")
    org = org.strip().upper() if org else None
    if not Path(workspace).is_dir():
        _fail(f"--workspace {workspace}: no such directory")
    password = None if invite else _read_password()
    if password is not None and len(password) < MIN_PASSWORD:
        _fail(f"the password must have at least {MIN_PASSWORD} characters (read from standard input)")
    db = Database.for_workspace(workspace, url=database_url)
    where = f"in {org}" if org else "as site administrator (every organisation)"
    with db.session() as s:
        if invite:
            token = new_token()
            hours = float(Settings().invitation_hours)
            s.add(Invitation(token_hash=digest(token), email=email, org_code=org, role=role, site_admin=org is None,
                             expires_at=now() + timedelta(hours=hours)))
            s.add(AuditEvent(user_email="(command line)", action="invite", org_code=org, detail=f"{email} as {role}"))
            link = f"{base_url.rstrip('/')}/invitation/{token}"
            console.print(f"Invitation for {email} ({role} {where}), valid {hours:g} hours, one use:\n  {link}",
                          soft_wrap=True)
            return
        user = s.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=email.split("@")[0], password_hash=hash_password(password),
                        is_site_admin=org is None)
            s.add(user)
            s.flush()
            done = "added"
        else:
            user.password_hash = hash_password(password)
            user.is_site_admin = user.is_site_admin or org is None
            done = "updated (password replaced)"
        if org:
            member = s.scalar(select(Membership).where(Membership.user_id == user.id, Membership.org_code == org))
            if member is None:
                s.add(Membership(user_id=user.id, org_code=org, role=role))
            else:
                member.role = role
        s.add(AuditEvent(user_email="(command line)", action="user_add", org_code=org, detail=f"{email} as {role}"))
    console.print(f"User {email} {done}: {role} {where}.")


@users_app.command("list")
def list_command(
    workspace: Path = typer.Option(..., "--workspace", "-w", help="Workspace directory"),
    database_url: str = typer.Option(None, "--database-url", help="App database (default: SQLite in the workspace)"),
) -> None:
    """Every account: email, role in each organisation, active. Never a password hash."""
    from sqlalchemy import select

    from parity.web.db import Database
    from parity.web.models import User

    if not Path(workspace).is_dir():
        _fail(f"--workspace {workspace}: no such directory")
    db = Database.for_workspace(workspace, url=database_url)
    with db.session() as s:
        users = s.scalars(select(User).order_by(User.email)).all()
        rows = [(u.email, ", ".join([*(["site administrator"] if u.is_site_admin else []),
                                     *(f"{m.org_code}: {m.role}" for m in sorted(u.memberships, key=lambda m: m.org_code))])
                 or "(no organisation)", "yes" if u.active else "no") for u in users]
    if not rows:
        console.print("No users yet (`parity serve` prints the first-run set-up link).")
        return
    typer.echo("email\troles\tactive")  # tab-separated, for scripts as well as eyes
    for row in rows:
        typer.echo("\t".join(row))
