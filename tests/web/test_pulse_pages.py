"""Issue 16: the dashboard's pulse survey pages — create (form and file), issue codes as a CSV once,
close, results only from `parity.pulse.results` (nothing until the threshold), free text for analysts."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from web_helpers import CSRF_RE, OTHER_ORG, add_user, settings, sign_in

from parity.pulse.store import PulseStore
from parity.pulse.survey import survey_from_dict

TODAY = date.today()
YAML = f"""title: Speaking up pulse
org: R0A
opens: {TODAY.isoformat()}
closes: {(TODAY + timedelta(days=14)).isoformat()}
access: codes
questions:
  - id: q1
    text: I feel able to speak up about things that concern me
    type: agree5
  - id: q2
    text: What would you change?
    type: text
about_you: [disability]
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from parity.web import create_app

    app = create_app(tmp_path_factory.mktemp("pulse-pages") / "ws", settings())
    add_user(app, "analyst@example.org", role="analyst")
    add_user(app, "viewer@example.org", role="viewer")
    add_user(app, "other@example.org", role="admin", org=OTHER_ORG)
    return app


@pytest.fixture(scope="module")
def analyst(app):
    return sign_in(app, "analyst@example.org")


@pytest.fixture(scope="module")
def viewer(app):
    return sign_in(app, "viewer@example.org")


def token(client: TestClient, path: str = "/o/R0A/pulse") -> str:
    return CSRF_RE.search(client.get(path).text).group(1)


def form(**over) -> dict:
    data = {"title": "Network pulse", "opens": TODAY.isoformat(), "closes": (TODAY + timedelta(days=7)).isoformat(),
            "access": "codes", "threshold": "11", "bank": ["equal_opportunities", "valued"],
            "custom-text-0": "What would you change?", "custom-type-0": "text", "about_you": ["disability", "sex"]}
    return data | over


def create(client: TestClient, **over):
    return client.post("/o/R0A/pulse/new", data={"csrf_token": token(client), **form(**over)}, follow_redirects=False)


def test_nav_item_and_list(app, analyst, viewer):
    page = viewer.get("/o/R0A/pulse")
    assert page.status_code == 200 and 'href="/o/R0A/pulse">Pulse surveys</a>' in page.text
    assert "Create a pulse survey" not in page.text
    assert 'href="/o/R0A/pulse/new"' in analyst.get("/o/R0A/pulse").text


def test_create_from_the_form(app, analyst):
    made = create(analyst)
    assert made.status_code == 303
    survey_id = made.headers["location"].rsplit("/", 1)[1]
    survey = PulseStore(app.state.workspace).get(survey_id)
    assert survey.org == "R0A" and survey.title == "Network pulse" and survey.threshold == 11
    assert [(q.id, q.type, q.bank) for q in survey.questions] == [
        ("equal_opportunities", "yes_no", "equal_opportunities"), ("valued", "agree5", "valued"),
        ("custom1", "text", None)]
    assert survey.about_you == ["disability", "sex"]
    page = analyst.get(made.headers["location"]).text
    assert f"/pulse/{survey_id}" in page and "No results yet" in page
    assert "Results refresh after every 11 new responses" in page
    assert "Network pulse" in analyst.get("/o/R0A/pulse").text


@pytest.mark.parametrize("over,field,words", [
    ({"threshold": "5"}, "threshold", "never set lower"),
    ({"title": ""}, "title", "title is missing"),
    ({"closes": "2020-01-01"}, "closes", "before opens"),
    ({"bank": [], "custom-text-0": ""}, "bank", "at least one question"),
])
def test_form_errors_are_named(analyst, over, field, words):
    page = create(analyst, **over)
    assert page.status_code == 400
    assert f'href="#{field}"' in page.text and words in page.text
    assert "Network pulse" in page.text or over.get("title") == ""  # what was typed is kept


def test_create_from_a_survey_file(app, analyst):
    up = analyst.post("/o/R0A/pulse/upload", data={"csrf_token": token(analyst)},
                      files={"file": ("speak-up.yaml", YAML.encode(), "application/yaml")}, follow_redirects=False)
    assert up.status_code == 303
    survey = PulseStore(app.state.workspace).get(up.headers["location"].rsplit("/", 1)[1])
    assert survey.title == "Speaking up pulse" and [q.id for q in survey.questions] == ["q1", "q2"]
    other = analyst.post("/o/R0A/pulse/upload", data={"csrf_token": token(analyst)},
                         files={"file": ("x.yaml", YAML.replace("org: R0A", "org: R0B").encode(), "text/yaml")})
    assert other.status_code == 400 and "This survey file is for R0B" in other.text
    broken = analyst.post("/o/R0A/pulse/upload", data={"csrf_token": token(analyst)},
                          files={"file": ("bad.yaml", b"title: [unclosed", "text/yaml")})
    assert broken.status_code == 400 and "bad.yaml" in broken.text
    low = analyst.post("/o/R0A/pulse/upload", data={"csrf_token": token(analyst)},
                       files={"file": ("low.yaml", (YAML + "threshold: 3\n").encode(), "text/yaml")})
    assert low.status_code == 400 and "low.yaml: threshold is 3" in low.text


def _survey(app, **extra) -> str:
    definition = {"title": "Results pulse", "org": "R0A", "opens": TODAY.isoformat(),
                  "closes": (TODAY + timedelta(days=7)).isoformat(), "access": "codes",
                  "questions": [{"id": "q1", "text": "I feel able to speak up", "type": "agree5"},
                                {"id": "q2", "text": "What would you change?", "type": "text"}],
                  "about_you": ["disability"], **extra}
    return PulseStore(app.state.workspace).create(survey_from_dict(definition))


def test_codes_are_a_csv_download_that_work_once(app, analyst):
    survey_id = _survey(app)
    page = f"/o/R0A/pulse/{survey_id}"
    got = analyst.post(f"{page}/codes", data={"csrf_token": token(analyst, page), "count": "5"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert len(rows) == 5 and len({r["code"] for r in rows}) == 5
    assert all(r["link"].endswith(f"/pulse/{survey_id}") for r in rows)
    assert PulseStore(app.state.workspace).code_counts(survey_id) == {"issued": 5, "used": 0}
    # never shown again: the survey page has no code on it
    assert not any(r["code"] in analyst.get(page).text for r in rows)
    for bad in ("0", "abc", "20001"):
        refused = analyst.post(f"{page}/codes", data={"csrf_token": token(analyst, page), "count": bad})
        assert refused.status_code == 400 and "Enter a whole number of codes" in refused.text


def _answer(store: PulseStore, survey_id: str, i: int, disabled: bool, code: str) -> None:
    store.submit(survey_id, {"q1": "agree" if i % 3 else "disagree", "q2": f"note {i} from me@example.org"},
                 {"disability": "yes" if disabled else "no"}, code)


def test_results_appear_at_the_threshold_and_free_text_only_for_analysts(app, analyst, viewer):
    survey_id = _survey(app)
    store = PulseStore(app.state.workspace)
    codes = store.issue_codes(survey_id, 12)
    page = f"/o/R0A/pulse/{survey_id}"
    for i in range(10):
        _answer(store, survey_id, i, i < 3, codes[i])
    before = analyst.get(page).text
    assert "No results yet" in before and "(10 so far)" in before and "note 1" not in before
    _answer(store, survey_id, 10, False, codes[10])
    shown = analyst.get(page).text
    # 11 answers, positive for i % 3 != 0: 7 of 11 = 63.6%, Wilson 95% 35.4% to 84.8% (by hand below)
    assert "64% answered positively (7 of 11; 95% interval 35% to 85%)" in shown
    assert "Based on 11 responses." in shown
    assert "Written answers" in shown and "note 4 from [e-mail address removed]" in shown and "me@example.org" not in shown
    # groups wait for the close (parity.pulse.results: a step's change in a small group would show)
    assert "Groups (\"about you\") are compared once the survey closes" in shown.replace("&#34;", '"')
    assert "Withheld" not in shown and "Disability: Disabled" not in shown
    seen = viewer.get(page).text
    assert "64% answered positively" in seen
    assert "Written answers" not in seen and "note 4" not in seen
    _answer(store, survey_id, 11, False, codes[11])  # a 12th: counted, not used until 22
    twelve = viewer.get(page).text
    assert "Based on 11 responses (12 received" in twelve and "64% answered positively (7 of 11" in twelve
    store.close(survey_id)
    closed = viewer.get(page).text
    # closed: 3 disabled, 8 non-disabled, none "prefer not to say": every group under 11, all withheld
    assert closed.count("Withheld: fewer than 11 people") == 3 and "Disability: Disabled" in closed


def test_wilson_figures_by_hand():
    # the figures asserted above, from the Wilson formula (z = 1.959964)
    z, n, p = 1.959964, 11, 7 / 11
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    assert round(100 * (centre - half)) == 35 and round(100 * (centre + half)) == 85


def test_close_and_other_organisations(app, analyst):
    survey_id = _survey(app)
    page = f"/o/R0A/pulse/{survey_id}"
    assert f'href="{page}/close"' in analyst.get(page).text
    ask = analyst.get(f"{page}/close")
    assert "Close the survey now?" in ask.text and "cannot be undone" in ask.text
    assert PulseStore(app.state.workspace).get(survey_id).state == "open"  # asking closes nothing
    closed = analyst.post(f"{page}/close", data={"csrf_token": token(analyst, f"{page}/close")},
                          follow_redirects=False)
    assert closed.status_code == 303
    assert PulseStore(app.state.workspace).get(survey_id).state == "closed"
    assert "Close the survey now" not in analyst.get(page).text
    assert TestClient(app).get(f"/pulse/{survey_id}").status_code == 410
    other = sign_in(app, "other@example.org")
    # R0B's admin cannot reach R0A's survey through their own organisation's address
    assert other.get(f"/o/{OTHER_ORG}/pulse/{survey_id}").status_code == 404
    assert other.get(page).status_code == 403


def test_repeated_pulses_give_a_trend(tmp_path):
    """Three closed pulses of one organisation asking q1: the third's page lists each pulse's published
    figure (5/11, 7/11, 9/11 positive) and the Laney p′ chart's verdict in words."""
    from parity.web import create_app

    app = create_app(tmp_path / "ws", settings())
    add_user(app, "analyst@example.org", role="analyst")
    store = PulseStore(app.state.workspace)
    ids = []
    for k, positive in enumerate((5, 7, 9)):
        survey_id = _survey(app, title=f"Pulse {k + 1}", closes=(TODAY + timedelta(days=k + 1)).isoformat())
        for i, code in enumerate(store.issue_codes(survey_id, 11)):
            store.submit(survey_id, {"q1": "agree" if i < positive else "disagree"}, {"disability": "no"}, code)
        store.close(survey_id)
        ids.append(survey_id)
    only = _survey(app, title="Other pulse", questions=[{"id": "q9", "text": "Something else", "type": "yes_no"}])
    page = sign_in(app, "analyst@example.org").get(f"/o/R0A/pulse/{ids[2]}").text
    trend = page.split("Over the organisation")[1].split("</table>")[0]
    rows = [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in trend.split("<tr")[2:]]
    # 5/11 = 45.5% (Wilson 21% to 72%), 7/11 = 63.6% (35% to 85%), 9/11 = 81.8% (52% to 95%)
    assert [re.search(r"\d+ \d+% \d+% to \d+%", r).group(0) for r in rows] == [
        "11 45% 21% to 72%", "11 64% 35% to 85%", "11 82% 52% to 95%"]
    assert "Pulse 3 (this pulse)" in rows[2] and f'href="/o/R0A/pulse/{ids[0]}"' in trend
    assert "Laney p′ chart over 3 pulses" in page and "Common cause" in page
    assert "Over the organisation" not in sign_in(app, "analyst@example.org").get(f"/o/R0A/pulse/{only}").text


@pytest.mark.parametrize("content,words", [
    (b"\xff\xfe not utf-8", "could not read the survey file"),
    (b"a: &x [*x]\nb: *x\n" + b"c: [" * 2000, "could not read the survey file"),
    (b"- just\n- a list\n", "a survey file is a YAML mapping"),
])
def test_unreadable_survey_files_are_named(analyst, content, words):
    page = analyst.post("/o/R0A/pulse/upload", data={"csrf_token": token(analyst)},
                        files={"file": ("odd.yaml", content, "text/yaml")})
    assert page.status_code == 400 and "odd.yaml" in page.text and words in page.text
