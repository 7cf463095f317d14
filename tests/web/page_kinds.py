"""Every page kind of the dashboard, derived from the app's routes (issue 14): each GET route is a
page with an example address and the user who sees it, or is listed as not a page (a redirect, a
file) with why. A new route in neither fails `test_every_page.py`, so no page kind goes untested."""

from __future__ import annotations

import re
from datetime import date, timedelta

ORG, ORG_NAME = "R0A", "Northmoor Hospitals"
#: route → [(who, address)]: who is an e-mail of `prepare`'s users, or None (signed out); the address
#: may hold {action}, {survey}, {invitation} and {upload}, which `prepare` creates
PAGES: dict[str, list[tuple[str | None, str]]] = {
    "/sign-in": [(None, "/sign-in")],
    "/invitation/{token}": [(None, "/invitation/{invitation}")],
    "/organisations": [("site@example.org", "/organisations")],
    "/audit": [("site@example.org", "/audit")],
    "/compare": [("viewer@example.org", "/compare")],
    "/o/{org}/overview": [("viewer@example.org", "/o/R0A/overview")],
    "/o/{org}/indicator/{indicator_id}": [("viewer@example.org", "/o/R0A/indicator/wres.2"),
                                          ("viewer@example.org", "/o/R0A/indicator/wres.1"),
                                          ("viewer@example.org", "/o/R0A/indicator/wres.9"),
                                          ("viewer@example.org", "/o/R0A/indicator/wdes.4a.i"),
                                          ("viewer@example.org", "/o/R0A/indicator/wres.2?print=1")],
    "/o/{org}/paygaps": [("viewer@example.org", "/o/R0A/paygaps")],
    "/o/{org}/paygap/{by}": [("viewer@example.org", "/o/R0A/paygap/sex"),
                             ("viewer@example.org", "/o/R0A/paygap/ethnicity")],
    "/o/{org}/explore": [("viewer@example.org", "/o/R0A/explore")],
    "/o/{org}/explore/funnel": [("viewer@example.org", "/o/R0A/explore/funnel")],
    "/o/{org}/explore/time": [("viewer@example.org", "/o/R0A/explore/time")],
    "/o/{org}/explore/units": [("viewer@example.org", "/o/R0A/explore/units"),
                               ("viewer@example.org", "/o/R0A/explore/units?division=Surgery")],
    "/o/{org}/spc": [("viewer@example.org", "/o/R0A/spc")],
    "/o/{org}/reports": [("viewer@example.org", "/o/R0A/reports")],
    "/o/{org}/actions": [("admin@example.org", "/o/R0A/actions")],
    "/o/{org}/actions/new": [("admin@example.org", "/o/R0A/actions/new?indicator=wres.2")],
    "/o/{org}/actions/{action_id}": [("admin@example.org", "/o/R0A/actions/{action}")],
    "/o/{org}/meetings": [("admin@example.org", "/o/R0A/meetings")],
    "/o/{org}/pulse": [("admin@example.org", "/o/R0A/pulse")],
    "/o/{org}/pulse/new": [("admin@example.org", "/o/R0A/pulse/new")],
    "/o/{org}/pulse/{survey_id}": [("admin@example.org", "/o/R0A/pulse/{survey}")],
    "/o/{org}/pulse/{survey_id}/close": [("admin@example.org", "/o/R0A/pulse/{survey}/close")],
    "/pulse/{survey_id}": [(None, "/pulse/{survey}")],
    "/pulse/{survey_id}/thanks": [(None, "/pulse/{survey}/thanks")],
    "/o/{org}/data": [("admin@example.org", "/o/R0A/data")],
    "/o/{org}/data/history": [("admin@example.org", "/o/R0A/data/history")],
    "/o/{org}/data/uploads/{key}": [("admin@example.org", "/o/R0A/data/uploads/{upload}")],
    "/o/{org}/users": [("admin@example.org", "/o/R0A/users")],
    "/o/{org}/audit": [("admin@example.org", "/o/R0A/audit")],
    "/o/{org}/name": [("admin@example.org", "/o/R0A/name")],
}
#: GET routes that are not pages, and why
NOT_PAGES = {
    "/": "a redirect to the user's landing page",
    "/o/{org}": "a redirect to the overview",
    "/o/{org}/indicator/{indicator_id}/chart/{name}.json": "a chart's Vega-Lite specification (JSON)",
    "/o/{org}/paygap/sex/gov-uk.csv": "a CSV file",
    "/o/{org}/data/uploads/{key}/problems.csv": "a CSV file",
    "/o/{org}/reports/{job_id}/{fmt}": "a report file",
    "/o/{org}/meetings/agenda.html": "a downloaded file (the agenda)",
    "/static-report/nhsuk.css": "a stylesheet",
}


def get_routes(app) -> set[str]:
    """Every GET route the app serves (static files aside)."""
    from starlette.routing import Mount

    def walk(routes):
        for r in routes:
            if hasattr(r, "original_router"):  # FastAPI ≥ 0.16x keeps an included router whole (no prefixes here)
                yield from walk(r.original_router.routes)
            elif not isinstance(r, Mount) and "GET" in (getattr(r, "methods", None) or ()):
                yield r.path

    return set(walk(app.routes))


def prepare(app, demo_data) -> dict[str, str]:
    """Users of every kind, the organisation's name, and one of each thing a page shows: an action, a
    pulse survey with published results, an invitation, an upload checked. Returns the fill-ins."""
    from web_helpers import add_user, csrf, finished, sign_in

    from parity.actions.model import Action
    from parity.actions.store import ActionStore
    from parity.pulse.store import PulseStore
    from parity.pulse.survey import survey_from_dict
    from parity.web.orgnames import set_name

    add_user(app, "site@example.org", site_admin=True)
    add_user(app, "admin@example.org", role="admin")
    add_user(app, "viewer@example.org", role="viewer")
    with app.state.db.session() as db:
        set_name(db, ORG, ORG_NAME)
    action = ActionStore(app.state.workspace).add(Action(
        org=ORG, title="Shortlisting panels trained", indicators=["wres.2"], owner="Director of People",
        start=date(2024, 4, 1), due=date(2025, 3, 31)), who="admin@example.org")
    store = PulseStore(app.state.workspace)
    today = date.today()
    survey = store.create(survey_from_dict({
        "title": "Speaking up pulse", "org": ORG, "opens": today.isoformat(),
        "closes": (today + timedelta(days=14)).isoformat(), "access": "open",
        "questions": [{"id": "q1", "text": "I feel able to speak up", "type": "agree5"}],
        "about_you": ["disability"]}))
    for i in range(11):
        store.submit(survey, {"q1": "agree" if i % 3 else "disagree"}, {"disability": "no"}, None)
    admin = sign_in(app, "admin@example.org")
    page = admin.post(f"/o/{ORG}/users/invite", data={"csrf_token": csrf(admin, f"/o/{ORG}/users"),
                                                       "email": "new@example.org", "role": "viewer"})
    invitation = re.search(r'id="invitation-link">[^<]*/invitation/([^<\s]+)<', page.text).group(1)
    checked = finished(admin, admin.post(f"/o/{ORG}/data/upload", data={
        "csrf_token": csrf(admin, f"/o/{ORG}/data"), "table": "pay", "preset": ""},
        files={"file": ("pay.csv", (demo_data / "pay.csv").read_bytes()[:4000], "text/csv")}))
    upload = str(checked.url).rstrip("/").split("/uploads/")[1]
    return {"action": str(action.id), "survey": survey, "invitation": invitation, "upload": upload}


def addresses(fill: dict[str, str]) -> list[tuple[str, str | None, str]]:
    """(route, who, address) for every page kind, the fill-ins put in."""
    return [(route, who, address.format(**fill)) for route, shown in PAGES.items() for who, address in shown]


#: the error page's kinds, which no route names: (who, address, status)
ERROR_PAGES = [("viewer@example.org", "/o/R0A/users", 403), ("viewer@example.org", "/o/R0A/no-such-page", 404)]
#: what a page must show besides its one <h1> (its charts drawn on the server, as an image with a name)
EXPECT = {"/o/R0A/explore/units": "figure.parity-chart svg[role=img]",
          "/o/R0A/explore/units?division=Surgery": "figure.parity-chart svg[role=img]",
          "/o/R0A/explore/time": "figure.parity-chart svg[role=img]",
          "/o/R0A/indicator/wres.2": "figure.parity-chart svg[role=img]"}
