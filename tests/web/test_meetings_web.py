"""Meeting notes in the dashboard (issue 15): contributors record them, linked to their actions;
the agenda downloads as HTML from the protected release."""

from __future__ import annotations

from datetime import date, timedelta

from web_helpers import CSRF_RE, ORG, OTHER_ORG, sign_in

from parity.actions import Action, ActionStore
from parity.actions.meetings import MeetingStore


def _action(app, org=ORG, title="Reverse mentoring", due=None):
    return ActionStore(app.state.workspace).add(
        Action(org=org, title=title, indicators=["wres.2"], owner="Chief Executive", start=date(2024, 4, 1),
               due=due or date(2026, 3, 31)), who="t")


def test_contributor_records_a_meeting_linked_to_its_actions(shared_app):
    contributor = sign_in(shared_app, "contributor@example.org")
    action = _action(shared_app)
    page = contributor.get(f"/o/{ORG}/meetings").text
    token = CSRF_RE.search(page).group(1)
    response = contributor.post(f"/o/{ORG}/meetings", data={
        "csrf_token": token, "date": "2025-06-04", "decisions": "Start reverse mentoring in September",
        "actions": [str(action.id)]}, follow_redirects=False)
    assert response.status_code == 303
    [meeting] = [m for m in MeetingStore(shared_app.state.workspace).list(org=ORG)
                 if m.decisions == "Start reverse mentoring in September"]
    assert (meeting.date, meeting.actions, meeting.recorded_by) == (date(2025, 6, 4), [action.id],
                                                                   "contributor@example.org")
    listed = sign_in(shared_app, "viewer@example.org").get(f"/o/{ORG}/meetings").text
    assert "Start reverse mentoring in September" in listed
    assert f'<a href="/o/{ORG}/actions/{action.id}">Reverse mentoring</a>' in listed
    assert "Record the meeting" not in listed  # viewers read only


def test_another_organisations_action_cannot_be_linked(shared_app):
    analyst = sign_in(shared_app, "analyst@example.org")
    foreign = _action(shared_app, org=OTHER_ORG, title="Not ours")
    before = len(MeetingStore(shared_app.state.workspace).list())
    token = CSRF_RE.search(analyst.get(f"/o/{ORG}/meetings").text).group(1)
    for bad in ([str(foreign.id)], ["x"], []):
        response = analyst.post(f"/o/{ORG}/meetings", data={"csrf_token": token, "date": "2025-06-11",
                                                            "decisions": "" if not bad else "Linked",
                                                            "actions": bad})
        assert response.status_code == 400
        assert 'class="nhsuk-error-summary"' in response.text
    assert "Not ours" not in response.text
    assert len(MeetingStore(shared_app.state.workspace).list()) == before


def test_agenda_downloads_with_overdue_actions(shared_app):
    late = _action(shared_app, title="Overdue for the agenda", due=date.today() - timedelta(days=2))
    viewer = sign_in(shared_app, "viewer@example.org")
    response = viewer.get(f"/o/{ORG}/meetings/agenda.html", params={"on": date.today().isoformat()})
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment")
    assert "Network meeting agenda" in response.text and late.title in response.text
    assert viewer.get(f"/o/{ORG}/meetings/agenda.html", params={"on": "2025-02-30"}).status_code == 400


def test_agenda_from_the_cached_release_is_the_agenda_of_the_rule(shared_app):
    """The download reads the dashboard's cached release; it must say what a fresh pass with the same
    rule says (the `parity meeting agenda` command's way)."""
    from parity.actions.agenda import build_agenda
    from parity.actions.agenda_render import to_html

    on = date(2025, 6, 1)
    page = sign_in(shared_app, "viewer@example.org").get(f"/o/{ORG}/meetings/agenda.html",
                                                         params={"on": on.isoformat()}).text
    results = shared_app.state.results
    assert page == to_html(build_agenda(results.workspace.path, org=ORG, on=on, rule=results.rule))


def test_contributor_invited_from_the_users_page(fresh_app):
    """A network member invited as contributor adds notes and meeting notes, and sees no upload or
    unsuppressed view."""
    import re

    from fastapi.testclient import TestClient
    from web_helpers import PASSWORD, add_user, csrf

    add_user(fresh_app, "boss@example.org", role="admin")
    boss = sign_in(fresh_app, "boss@example.org")
    users = boss.get(f"/o/{ORG}/users").text
    assert 'value="contributor"' in users
    page = boss.post(f"/o/{ORG}/users/invite", data={"csrf_token": csrf(boss, f"/o/{ORG}/users"),
                                                     "email": "member@example.org", "role": "contributor"}).text
    link = re.search(r'id="invitation-link">([^<]+)<', page).group(1)
    member = TestClient(fresh_app)
    r = member.post(link, data={"csrf_token": csrf(member, link), "name": "Member", "password": PASSWORD,
                                "confirm": PASSWORD})
    assert r.status_code == 200
    assert member.get(f"/o/{ORG}/data").status_code == 403
    assert member.get(f"/o/{ORG}/overview?view=unsuppressed").status_code == 403
    assert "Record the meeting" in member.get(f"/o/{ORG}/meetings").text
