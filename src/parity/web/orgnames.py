"""Organisation names: an administrator names each organisation code once, and every page shows the
name (with the code where it identifies the data), never only "R0A" (issue 14).

Names live in the app database (`models.Organisation`); pages read them through a short-lived
memory (`shown_name`), forgotten whenever a name is set.
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


#: seconds a page may show a name read earlier (this server forgets its copies at once when a name is
#: set; the limit is for another process sharing the app database)
NAME_TTL_SECONDS = 10.0


def shown_name(app, code: str) -> str:
    """`name_of` for every page's heading, remembered per code for `NAME_TTL_SECONDS`: not a database
    session per page view (issue 11)."""
    import time

    cache = getattr(app.state, "org_names", None)
    if cache is None:
        cache = app.state.org_names = {}
    found = cache.get(code)
    if found is None or time.monotonic() - found[1] > NAME_TTL_SECONDS:
        with app.state.db.session() as db:
            found = cache[code] = (name_of(db, code), time.monotonic())
    return found[0]


def forget(app) -> None:
    """After a name is set: every page shows it from the next view on."""
    app.state.org_names = {}


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
