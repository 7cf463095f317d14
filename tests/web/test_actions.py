"""The Actions pages (issue 15): create from an indicator, filter, overdue, progress, and stale edits."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from web_helpers import CSRF_RE, ORG, OTHER_ORG, add_user, sign_in

from parity.actions import Action, ActionStore

VERSION = re.compile(r'name="version" value="(\d+)"')


@pytest.fixture(scope="module")
def app(shared_app):
    return shared_app


@pytest.fixture(scope="module")
def analyst(app):
    return sign_in(app, "analyst@example.org")


def _form(client, url: str) -> tuple[str, str]:
    page = client.get(url)
    assert page.status_code == 200, page.text[:300]
    return CSRF_RE.search(page.text).group(1), page.text


def _add(app, **fields) -> Action:
    base = {"org": ORG, "title": "Panel training", "indicators": ["wres.2"], "owner": "Director of People",
            "start": date(2024, 4, 1), "due": date(2025, 3, 31)}
    return ActionStore(app.state.workspace).add(Action(**{**base, **fields}), who="test@example.org")


def test_create_from_the_indicator_page(app, analyst):
    page = analyst.get(f"/o/{ORG}/indicator/wres.2").text
    assert f'href="/o/{ORG}/actions/new?indicator=wres.2"' in page
    token, form = _form(analyst, f"/o/{ORG}/actions/new?indicator=wres.2")
    assert 'id="indicator" name="indicator" type="text" value="wres.2"' in form  # pre-filled
    response = analyst.post(f"/o/{ORG}/actions", data={
        "csrf_token": token, "title": "Diverse interview panels", "indicator": "wres.2",
        "owner": "Director of People", "start": "2025-04-01", "due": "2026-03-31", "target": "<=1.25",
        "target_year": "2027"}, follow_redirects=False)
    assert response.status_code == 303
    action_id = int(response.headers["location"].rsplit("/", 1)[1])
    saved = ActionStore(app.state.workspace).get(action_id)
    assert (saved.org, saved.title, saved.indicators, saved.start, saved.due, str(saved.target),
            saved.target_year) == (ORG, "Diverse interview panels", ["wres.2"], date(2025, 4, 1),
                                   date(2026, 3, 31), "<=1.25", 2027)
    assert "Diverse interview panels" in analyst.get(f"/o/{ORG}/actions").text


def test_create_form_errors_name_each_field_and_save_nothing(app, analyst):
    before = len(ActionStore(app.state.workspace).list())
    token, _ = _form(analyst, f"/o/{ORG}/actions/new")
    response = analyst.post(f"/o/{ORG}/actions", data={
        "csrf_token": token, "title": "", "indicator": "wres.99", "owner": "x", "start": "2025-13-01",
        "due": "2025-01-01", "target": "about 1"})
    assert response.status_code == 400
    summary = response.text.split('class="nhsuk-error-summary"')[1].split("</ul>")[0]
    for field in ("title", "indicator", "start", "target"):
        assert f'href="#{field}"' in summary
    assert "Unknown indicator &#39;wres.99&#39;" in response.text
    assert len(ActionStore(app.state.workspace).list()) == before


def test_filters_and_overdue(app, analyst):
    late = _add(app, title="Late reverse mentoring", owner="Chief Nurse", due=date.today() - timedelta(days=3))
    _add(app, title="Finished audit", owner="Chief Nurse", indicators=["wdes.3"], status="done",
         due=date.today() - timedelta(days=30))
    page = analyst.get(f"/o/{ORG}/actions").text
    assert "overdue" in page and f'<a href="/o/{ORG}/actions/{late.id}">Late reverse mentoring</a> (due' in page
    assert "Finished audit</a> (due" not in page  # done: not overdue
    only = analyst.get(f"/o/{ORG}/actions", params={"indicator": "wdes.3"}).text
    assert "Finished audit" in only and "Late reverse mentoring</a></td>" not in only
    by_status = analyst.get(f"/o/{ORG}/actions", params={"status": "done", "owner": "nurse"}).text
    assert "Finished audit" in by_status and "Late reverse mentoring</a></td>" not in by_status


def test_stale_update_is_refused_and_changes_nothing(app, analyst):
    action = _add(app, title="Stale test")
    url = f"/o/{ORG}/actions/{action.id}"
    token, page = _form(analyst, url)
    opened = VERSION.search(page).group(1)
    # someone else saves first (the CLI, or another browser)
    ActionStore(app.state.workspace).update(action.id, who="chair@example.org", note="Met the panel leads")
    response = analyst.post(url, data={"csrf_token": token, "version": opened, "status": "done",
                                       "on": "2025-05-01", "note": "All panels trained"})
    assert response.status_code == 409
    summary = response.text.split('class="nhsuk-error-summary"')[1]
    assert f"Action {action.id} was changed by chair@example.org" in summary
    assert "Nothing was saved" in summary
    now = ActionStore(app.state.workspace).get(action.id)
    assert now.status == "planned" and [u.note for u in now.updates] == ["Met the panel leads"]
    assert now.version == int(opened) + 1


def test_update_with_current_version_saves_note_and_status(app, analyst):
    action = _add(app, title="Fresh update")
    url = f"/o/{ORG}/actions/{action.id}"
    token, page = _form(analyst, url)
    response = analyst.post(url, data={"csrf_token": token, "version": VERSION.search(page).group(1),
                                       "status": "in_progress", "on": "2025-05-01", "note": "Panels booked"},
                            follow_redirects=False)
    assert response.status_code == 303
    now = ActionStore(app.state.workspace).get(action.id)
    assert now.status == "in_progress"
    assert [(u.date, u.note, u.author) for u in now.updates] == [(date(2025, 5, 1), "Panels booked",
                                                                  "analyst@example.org")]


def test_contributor_adds_notes_but_cannot_change_fields(app):
    contributor = sign_in(app, "contributor@example.org")
    action = _add(app, title="Contributor test")
    url = f"/o/{ORG}/actions/{action.id}"
    token, page = _form(contributor, url)
    assert 'name="status"' not in page and "Create an action" not in contributor.get(f"/o/{ORG}/actions").text
    version = VERSION.search(page).group(1)
    refused = contributor.post(url, data={"csrf_token": token, "version": version, "status": "done",
                                          "note": "closing it"})
    assert refused.status_code == 403
    ok = contributor.post(url, data={"csrf_token": token, "version": version, "note": "Network fed back"},
                          follow_redirects=False)
    assert ok.status_code == 303
    now = ActionStore(app.state.workspace).get(action.id)
    assert now.status == "planned" and [u.note for u in now.updates] == ["Network fed back"]


def test_another_organisations_action_is_not_found(app):
    add_user(app, "otheranalyst@example.org", role="analyst", org=OTHER_ORG)
    other = sign_in(app, "otheranalyst@example.org")
    action = _add(app, title="Private to R0A")
    page = other.get(f"/o/{OTHER_ORG}/actions/{action.id}")
    assert page.status_code == 404 and "Private to R0A" not in page.text
    assert "Private to R0A" not in other.get(f"/o/{OTHER_ORG}/actions").text
    token = CSRF_RE.search(other.get(f"/o/{OTHER_ORG}/actions").text).group(1)
    assert other.post(f"/o/{OTHER_ORG}/actions/{action.id}",
                      data={"csrf_token": token, "version": "1", "note": "x"}).status_code == 404
    assert ActionStore(app.state.workspace).get(action.id).updates == []
