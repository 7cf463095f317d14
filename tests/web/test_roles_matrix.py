"""Every route and download × anonymous, viewer, contributor, analyst, admins, and an admin of another organisation.

A forbidden cell must answer 403 (signed in) or a redirect to sign in (anonymous), and its body must
contain none of the organisation's counts.
"""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from web_helpers import ORG, csrf, sign_in

from parity.web.jobs import job_dir
from parity.web.models import ReportJob

CSRF_VALUE = re.compile(r'name="csrf_token" value="[^"]*"')
ALL = {"viewer", "contributor", "analyst", "orgadmin", "admin"}
ANALYSTS = {"analyst", "orgadmin", "admin"}
#: progress notes on actions (and meeting notes): network members as well as analysts
CONTRIBUTORS = ANALYSTS | {"contributor"}
ADMINS = {"orgadmin", "admin"}
EMAILS = {"viewer": "viewer@example.org", "contributor": "contributor@example.org", "analyst": "analyst@example.org", "orgadmin": "orgadmin@example.org",
          "admin": "admin@example.org", "other": "other@example.org"}

# (method, path, who may) — {job}, {secret_job} and {action} are filled in by the fixture
ROUTES = [
    ("GET", "/o/R0A/overview", ALL),
    ("GET", "/o/R0A/overview?view=unsuppressed", ANALYSTS),
    ("GET", "/o/R0A/indicator/wres.2", ALL),
    ("GET", "/o/R0A/indicator/wres.2?view=unsuppressed", ANALYSTS),
    ("GET", "/o/R0A/indicator/wdes.1", ALL),
    ("GET", "/o/R0A/indicator/wres.2/chart/groups.json", ALL),
    ("GET", "/o/R0A/indicator/wres.2/chart/groups.json?view=unsuppressed", ANALYSTS),
    ("GET", "/o/R0A/paygaps", ALL),
    ("GET", "/o/R0A/paygap/sex", ALL),
    ("GET", "/o/R0A/paygap/ethnicity", ALL),
    ("GET", "/o/R0A/paygap/sex/gov-uk.csv", ALL),
    ("GET", "/o/R0A/explore", ALL),
    ("GET", "/o/R0A/explore/time", ALL),
    ("GET", "/o/R0A/spc?measure=disciplinary&by=ethnicity", ALL),
    ("GET", "/o/R0A/spc?measure=disciplinary&view=unsuppressed", ANALYSTS),
    ("GET", "/o/R0A/data", ANALYSTS),
    ("GET", "/o/R0A/data/history", ANALYSTS),
    ("GET", "/o/R0A/data/uploads/nonexistent", ANALYSTS),
    ("POST", "/o/R0A/data/upload", ANALYSTS),
    ("POST", "/o/R0A/data/uploads/nonexistent/confirm", ANALYSTS),
    ("GET", "/o/R0A/reports", ALL),
    ("POST", "/o/R0A/reports", ANALYSTS),
    ("GET", "/o/R0A/reports/{job}/html", ALL),
    ("GET", "/o/R0A/reports/{job}/csv", ALL),
    ("GET", "/o/R0A/reports/{secret_job}/html", ANALYSTS),
    ("GET", "/o/R0A/data/uploads/nonexistent/problems.csv", ANALYSTS),
    ("POST", "/o/R0A/data/uploads/nonexistent/values", ANALYSTS),
    ("GET", "/o/R0A/name", ADMINS),
    ("POST", "/o/R0A/name", ADMINS),
    ("GET", "/o/R0A/users", ADMINS),
    ("POST", "/o/R0A/users/invite", ADMINS),
    ("POST", "/o/R0A/users/999/role", ADMINS),
    ("GET", "/o/R0A/audit", ADMINS),
    ("GET", "/audit", {"admin"}),
    ("GET", "/o/R0A/actions", ALL),
    ("GET", "/o/R0A/actions?indicator=wres.2&status=planned&owner=people", ALL),
    ("GET", "/o/R0A/actions/new?indicator=wres.2", ANALYSTS),
    ("POST", "/o/R0A/actions", ANALYSTS),
    ("GET", "/o/R0A/actions/{action}", ALL),
    ("POST", "/o/R0A/actions/{action}", CONTRIBUTORS),
    ("GET", "/o/R0A/meetings", ALL),
    ("POST", "/o/R0A/meetings", CONTRIBUTORS),
    ("GET", "/o/R0A/meetings/agenda.html", ALL),
    ("GET", "/compare?indicator=wres.2", ALL | {"other"}),  # each user's own organisations only (issue 18)
    ("GET", "/o/R0A/pulse", ALL),
    ("GET", "/o/R0A/pulse/new", ANALYSTS),
    ("POST", "/o/R0A/pulse/new", ANALYSTS),
    ("POST", "/o/R0A/pulse/upload", ANALYSTS),
    ("GET", "/o/R0A/pulse/{survey}", ALL),
    ("POST", "/o/R0A/pulse/{survey}/codes", ANALYSTS),
    ("GET", "/o/R0A/pulse/{survey}/close", ANALYSTS),
    ("POST", "/o/R0A/pulse/{survey}/close", ANALYSTS),
]


@pytest.fixture(scope="module")
def matrix(shared_app):
    """Clients for every kind of user, two finished report jobs, and counts that must never leak."""
    jobs = {}
    for name, unsuppressed in (("job", False), ("secret_job", True)):
        with shared_app.state.db.session() as db:
            job = ReportJob(user_id=1, org_code=ORG, year=2025, unsuppressed=unsuppressed, status="done")
            db.add(job)
            db.flush()
            folder = job_dir(shared_app.state.workspace, job.id)
            folder.mkdir()
            (folder / "r.html").write_text("<p>report 98765</p>")
            (folder / "r.csv").write_text("count\n98765\n")
            (folder / "files.json").write_text(json.dumps({"html": "r.html", "csv": "r.csv"}))
            job.out_dir = str(folder)
            jobs[name] = job.id
    from datetime import date

    from parity.actions import Action, ActionStore

    jobs["action"] = ActionStore(shared_app.state.workspace).add(
        Action(org=ORG, title="Matrix action", indicators=["wres.2"], owner="Director of People",
               start=date(2024, 4, 1), due=date(2025, 3, 31)), who="fixture").id
    from parity.pulse.store import PulseStore
    from parity.pulse.survey import survey_from_dict

    jobs["survey"] = PulseStore(shared_app.state.workspace).create(survey_from_dict(
        {"title": "Matrix pulse", "org": ORG, "opens": "2026-01-05", "closes": "2026-01-19",
         "questions": [{"id": "q1", "bank": "valued"}]}))
    raw = shared_app.state.results.raw(ORG, shared_app.state.results.years(ORG)[0], "WRES")
    groups = raw["indicators"][1]["groups"]  # wres.2: applicants shortlisted, by group
    secrets = {"98765"} | {str(g["denominator"]) for g in groups.values() if g["denominator"] >= 100}
    clients = {kind: sign_in(shared_app, email) for kind, email in EMAILS.items()}
    clients["anonymous"] = TestClient(shared_app)
    return clients, jobs, secrets


@pytest.mark.parametrize("method,path,allowed", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
@pytest.mark.parametrize("who", ["anonymous", "viewer", "contributor", "analyst", "orgadmin", "admin", "other"])
def test_role_route_matrix(matrix, who, method, path, allowed):
    clients, jobs, secrets = matrix
    client = clients[who]
    url = path.format(**jobs)
    if method == "GET":
        response = client.get(url, follow_redirects=False)
    else:
        token = csrf(client, "/sign-in" if who == "anonymous" else "/organisations")
        response = client.post(url, data={"csrf_token": token}, follow_redirects=False)
    if who in allowed:
        assert response.status_code not in (401, 403), response.text[:500]
        assert not response.headers.get("location", "").startswith("/sign-in")
        return
    if who == "anonymous":
        assert response.status_code == 303
        assert response.headers["location"].startswith("/sign-in")
    else:
        assert response.status_code == 403
    # the random CSRF token can hold a secret's digits by chance ("190" inside the hex): not a leak
    text = CSRF_VALUE.sub('name="csrf_token" value=""', response.text)
    for secret in secrets:
        assert secret not in text, f"{secret} leaked to {who} at {url}"


def test_viewer_sees_suppressed_figures_only(matrix, shared_app):
    clients, _, _ = matrix
    page = clients["viewer"].get("/o/R0A/indicator/wres.3").text
    assert "Not for publication" not in page
    # a contributor (network member) sees exactly the viewer's protected page
    contributor = clients["contributor"].get("/o/R0A/indicator/wres.3").text
    assert "Not for publication" not in contributor
    assert CSRF_VALUE.sub("", contributor).count("nhsuk-table__cell--numeric") == \
        CSRF_VALUE.sub("", page).count("nhsuk-table__cell--numeric")
    analyst = clients["analyst"].get("/o/R0A/indicator/wres.3?view=unsuppressed").text
    assert "Not for publication — contains small numbers" in analyst


def test_other_organisation_is_not_listed(matrix):
    clients, _, _ = matrix
    assert "/o/R0A/" not in clients["other"].get("/organisations").text
    assert "/o/R0A/" in clients["viewer"].get("/organisations").text
