"""Organisation names: an administrator names each organisation code once, and every page shows the
name (with the code where it identifies the data), never only "R0A" (issue 14).

Names live in the app database (`models.Organisation`); one small query per page draws them.
"""

from __future__ import annotations

from sqlalchemy import select

from parity.web.models import Organisation, now

MAX_NAME = 120
NAME_REQUIRED = "Enter the organisation's name, like Northshire Hospitals NHS Foundation Trust"
NAME_TOO_LONG = f"Enter a name of {MAX_NAME} characters or fewer"


def names(db) -> dict[str, str]:
    """Every named organisation: code → name."""
    return {code: name for code, name in db.execute(select(Organisation.code, Organisation.name))}


def name_of(db, code: str | None) -> str:
    """The organisation's name, else its code."""
    if not code:
        return ""
    found = db.get(Organisation, code)
    return found.name if found else code


def check(name: str) -> str | None:
    """The error for a proposed name, or None."""
    if not name:
        return NAME_REQUIRED
    if len(name) > MAX_NAME:
        return NAME_TOO_LONG
    return None


def set_name(db, code: str, name: str) -> None:
    row = db.get(Organisation, code)
    if row is None:
        db.add(Organisation(code=code, name=name))
    else:
        row.name, row.updated_at = name, now()
