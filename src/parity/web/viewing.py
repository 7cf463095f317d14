"""What an indicator page shows: which year, and suppressed or (analysts only, audited) not."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request

from parity.web import audit
from parity.web.roles import Access, Forbidden

NO_DATA = "There is no workforce data for {org} yet. An analyst can upload it on the Data page."
NO_YEAR = "There is no data for {org} for the year ending 31 March {year}."


@dataclass(frozen=True)
class View:
    year: int
    years: list[int]
    suppressed: bool

    @property
    def query(self) -> str:
        return f"year={self.year}" + ("" if self.suppressed else "&view=unsuppressed")


def resolve(request: Request, access: Access, year: int | None, view: str | None, what: str) -> View:
    """The year (default: latest) and mode; unsuppressed needs the role and is written to the audit log."""
    results = request.app.state.results
    years = results.years(access.org)
    if not years:
        raise HTTPException(404, NO_DATA.format(org=access.org))
    year = year or years[0]
    if year not in years:
        raise HTTPException(404, NO_YEAR.format(org=access.org, year=year))
    suppressed = view != "unsuppressed"
    if not suppressed:
        if not access.can("unsuppressed"):
            raise Forbidden()
        with request.app.state.db.session() as db:
            audit.record(db, request, "view_unsuppressed", user=access.user, org=access.org,
                         detail=f"{what}, year {year}")
    return View(year, years, suppressed)


def standards(request: Request, org: str, view: View) -> dict[str, dict | str]:
    """{"WRES": result dict or the reason it could not be computed, "WDES": …}."""
    from parity.web.results import STANDARDS

    out: dict[str, dict | str] = {}
    for name in STANDARDS:
        try:
            out[name] = request.app.state.results.standard(org, view.year, name, suppressed=view.suppressed)
        except (ValueError, KeyError, FileNotFoundError) as exc:
            out[name] = str(exc)
    return out
