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


def _published(app, year, standard, ind_id):
    doc = app.state.results.standard(ORG, year, standard, suppressed=True)
    return next(i for i in doc["indicators"] if i["id"] == ind_id)["value"]


def test_indicator_page_lists_its_actions_with_protected_figures(app):
    """The demo trust has 2024 and 2025: an action started in June 2024 compares the two."""
    viewer = sign_in(app, "viewer@example.org")
    action = _add(app, title="Shortlisting panels reviewed", start=date(2024, 6, 1))
    page = viewer.get(f"/o/{ORG}/indicator/wres.2").text
    row = page.split(f'href="/o/{ORG}/actions/{action.id}">Shortlisting panels reviewed</a>')[1].split("</tr>")[0]
    before, latest = _published(app, 2024, "WRES", "wres.2"), _published(app, 2025, "WRES", "wres.2")
    assert before is not None and latest is not None  # both published: the verdict is shown
    assert f"{before:,.2f} (2024)" in row and f"{latest:,.2f} (2025)" in row
    assert any(text in row for text in ("No clear change", "Improved beyond chance", "Worsened beyond chance"))
    assert "Create an action" not in page  # viewers read only


def test_indicator_page_holds_the_verdict_back_when_a_year_is_withheld(app):
    # WRES 3 (disciplinary) of the small demo trust has counts under 10: withheld in the release
    assert _published(app, 2024, "WRES", "wres.3") is None
    viewer = sign_in(app, "viewer@example.org")
    action = _add(app, title="Just culture review", indicators=["wres.3"], start=date(2024, 6, 1))
    raw = app.state.results.raw(ORG, 2024, "WRES")
    raw_value = next(i for i in raw["indicators"] if i["id"] == "wres.3")["value"]
    page = viewer.get(f"/o/{ORG}/indicator/wres.3").text
    row = page.split(f'href="/o/{ORG}/actions/{action.id}">Just culture review</a>')[1].split("</tr>")[0]
    assert "Withheld (small numbers)" in row
    assert "No clear change" not in row and f"{raw_value:,.2f}" not in row


def test_evaluate_reads_wdes_like_the_standard(app):
    """WDES indicators are evaluated from the same figures `parity.wdes` reports."""
    from parity.actions import evaluate

    action = Action(id=1, org=ORG, title="Reasonable adjustments", indicators=["wdes.2"], owner="HR",
                    start=date(2024, 6, 1), due=date(2025, 3, 31))
    [e] = evaluate(app.state.results.workspace.path, [action], org=ORG)["actions"]
    for side, year in (("before", 2024), ("latest", 2025)):
        raw = app.state.results.raw(ORG, year, "WDES")
        expected = next(i for i in raw["indicators"] if i["id"] == "wdes.2")["value"]
        assert e[side]["year"] == year and e[side]["value"] == expected


def test_overview_shows_overdue_actions(app):
    viewer = sign_in(app, "viewer@example.org")
    late = _add(app, title="Overdue on the overview", due=date.today() - timedelta(days=1))
    _add(app, title="Not yet due on the overview", due=date.today() + timedelta(days=10))
    page = viewer.get(f"/o/{ORG}/overview").text
    callout = page.split('class="nhsuk-warning-callout parity-overdue"')[1].split("</div>")[0]
    count = sum(1 for a in ActionStore(app.state.workspace).list(org=ORG)
                if a.status in ("planned", "in_progress") and a.due < date.today())
    assert f"{count} overdue action" in callout
    assert f'href="/o/{ORG}/actions/{late.id}"' in callout or count > 5
    assert "Not yet due on the overview" not in callout


def test_report_has_the_action_plan_with_protected_figures(tmp_path, demo_workspace):
    """The report's "Action plan and progress" and the action plan spreadsheet among its files."""
    import shutil

    from openpyxl import load_workbook

    from parity.report import build_report, write_report
    from parity.report.html import render_html
    from parity.report.pages import build_pages

    ws = tmp_path / "ws"
    shutil.copytree(demo_workspace, ws)
    store = ActionStore(ws)
    store.add(Action(org=ORG, title="Panels for every band 6 post", indicators=["wres.2"], owner="Chief People Officer",
                     start=date(2024, 6, 1), due=date(2026, 3, 31)), who="t")
    store.add(Action(org=ORG, title="Case review of disciplinaries", indicators=["wres.3"], owner="Chief Nurse",
                     start=date(2024, 6, 1), due=date(2026, 3, 31), status="in_progress"), who="t")
    report = build_report(ws, year=2025, org=ORG, standards=("wres", "wdes"))
    pages = build_pages(report, with_charts=False)
    html = render_html(report, pages=pages)
    section = html.split('id="action-plan"')[1].split("</section>")[0]
    assert "Action plan and progress" in section
    for f in pages.findings:
        if f.severity == "adverse":
            assert f"{f.source}: {f.title}" in section
    docs = report.history["WRES"]
    value = {y: next(i for i in docs[y]["indicators"] if i["id"] == "wres.2")["value"] for y in (2024, 2025)}
    row = section.split("Panels for every band 6 post")[1].split("</tr>")[0]
    assert f"{value[2024]:.2f} (2024)" in row and f"{value[2025]:.2f} (2025)" in row
    withheld = section.split("Case review of disciplinaries")[1].split("</tr>")[0]
    assert "Withheld (small numbers)" in withheld and "In progress" in withheld
    paths = write_report(report, tmp_path / "out", formats=("csv",))
    sheet = load_workbook(paths["action_plan"]).active
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    header = [c.value for c in sheet[1]]
    assert header[2].lower() == "title" and sorted(titles) == ["Case review of disciplinaries",
                                                               "Panels for every band 6 post"]


def test_create_from_an_explorer_finding(app, analyst):
    import html
    from urllib.parse import unquote

    page = analyst.get(f"/o/{ORG}/explore", params={"show": "all"}).text
    links = re.findall(rf'href="(/o/{ORG}/actions/new\?indicator=explore[^"]+)"', page)
    assert links, "no 'Create an action' on the explorer's findings"
    url = html.unescape(links[0])
    ref = unquote(url.split("indicator=", 1)[1])
    token, form = _form(analyst, url)
    assert f'value="{html.escape(ref)}"' in form
    response = analyst.post(f"/o/{ORG}/actions", data={
        "csrf_token": token, "title": "Explorer follow-up", "indicator": ref, "owner": "Chief Nurse",
        "start": "2025-04-01", "due": "2026-03-31"}, follow_redirects=False)
    assert response.status_code == 303
    saved = ActionStore(app.state.workspace).get(int(response.headers["location"].rsplit("/", 1)[1]))
    assert saved.indicators == [ref] and ref.startswith("explore:")
    assert "Create an action" not in sign_in(app, "viewer@example.org").get(
        f"/o/{ORG}/explore", params={"show": "all"}).text
