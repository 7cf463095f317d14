"""Issue 16: the respondent's page /pulse/<id> — no account, a Code field, each question a fieldset whose
legend is its text, labelled radios, "Prefer not to say", Submit; refusals in an NHS.UK error summary."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from web_helpers import CSRF_RE, settings

from parity.pulse.store import PulseStore
from parity.pulse.survey import survey_from_dict
from parity.web.models import AuditEvent, WebSession

TODAY = date.today()
SPEAK_UP = "I feel able to speak up about things that concern me"
CHANGE = "What one thing would you change?"


def definition(access="codes", **extra) -> dict:
    return {"title": "Speaking up pulse", "org": "R0A", "opens": (TODAY - timedelta(days=1)).isoformat(),
            "closes": (TODAY + timedelta(days=13)).isoformat(), "access": access,
            "questions": [{"id": "q1", "text": SPEAK_UP, "type": "agree5"},
                          {"id": "q2", "bank": "equal_opportunities"},
                          {"id": "q3", "text": CHANGE, "type": "text"}],
            "about_you": ["disability"], **extra}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from parity.web import create_app

    return create_app(tmp_path_factory.mktemp("pulse-answer") / "ws",
                      settings(pulse_code_failures_per_address=4, pulse_open_per_address=3))


@pytest.fixture(autouse=True)
def fresh_limits(app):
    """Each test starts with no refused codes counted (all share the test client's address)."""
    from parity.web.pulse_guard import PulseThrottle

    app.state.pulse_throttle = PulseThrottle(app.state.settings)


def new_survey(app, access="codes", **extra) -> str:
    return PulseStore(app.state.workspace).create(survey_from_dict(definition(access, **extra)))


def answers(code=None, **over) -> dict:
    data = {"q-q1": "agree", "q-q2": "yes", "q-q3": "More time for training", "about-disability": "prefer_not_to_say"}
    if code is not None:
        data["code"] = code
    return data | over


def post(client: TestClient, survey_id: str, data: dict, headers=None):
    token = CSRF_RE.search(client.get(f"/pulse/{survey_id}").text).group(1)
    return client.post(f"/pulse/{survey_id}", data={"csrf_token": token, **data}, headers=headers or {},
                       follow_redirects=False)


class Form(HTMLParser):
    """The page's fieldsets (legend, radio labels, textareas) and labels by the id they name."""

    def __init__(self, html: str):
        super().__init__()
        self.fieldsets, self.labels, self.inputs = [], {}, []
        self._in, self._label_for, self._text = None, None, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "fieldset":
            self.fieldsets.append({"legend": "", "radios": [], "textareas": []})
        elif tag == "legend":
            self._in, self._text = "legend", []
        elif tag == "label":
            self._in, self._label_for, self._text = "label", a.get("for"), []
        elif tag in ("input", "textarea"):
            self.inputs.append((tag, a))
            if self.fieldsets and a.get("type") == "radio":
                self.fieldsets[-1]["radios"].append(a["id"])
            if self.fieldsets and tag == "textarea":
                self.fieldsets[-1]["textareas"].append(a["id"])

    def handle_endtag(self, tag):
        text = " ".join("".join(self._text).split())
        if tag == "legend" and self._in == "legend":
            self.fieldsets[-1]["legend"] = text
            self._in = None
        elif tag == "label" and self._in == "label":
            self.labels[self._label_for] = text
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._text.append(data)


def test_the_page_is_an_accessible_form_without_an_account(app):
    survey_id = new_survey(app)
    page = TestClient(app).get(f"/pulse/{survey_id}")
    assert page.status_code == 200
    form = Form(page.text)
    assert form.labels["code"] == "Code"
    by_legend = {f["legend"]: f for f in form.fieldsets}
    assert [form.labels[i] for i in by_legend[SPEAK_UP]["radios"]] == [
        "Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]
    bank_text = next(legend for legend in by_legend if legend.startswith("Does your organisation act fairly"))
    assert [form.labels[i] for i in by_legend[bank_text]["radios"]] == ["Yes", "No"]
    assert by_legend[CHANGE]["textareas"] == ["q-q3"] and "q-q3" in form.labels
    disability = next(f for f in form.fieldsets if f["legend"].startswith("Do you have any physical"))
    assert [form.labels[i] for i in disability["radios"]] == ["Yes", "No", "Prefer not to say"]
    assert '<button class="nhsuk-button" id="submit" type="submit">Submit</button>' in page.text
    assert 'name="csrf_token"' in page.text
    assert "<script" not in page.text.split("</head>")[1]  # nothing on the page needs JavaScript
    assert 'name="viewport" content="width=device-width' in page.text


def test_an_answer_with_a_code_is_recorded_once_and_a_used_code_is_refused(app):
    survey_id = new_survey(app)
    store = PulseStore(app.state.workspace)
    code = store.issue_codes(survey_id, 2)[0]
    client = TestClient(app)
    sent = post(client, survey_id, answers(code))
    assert sent.status_code == 303 and sent.headers["location"] == f"/pulse/{survey_id}/thanks"
    assert "Thank you" in client.get(sent.headers["location"]).text
    assert store.response_count(survey_id) == 1
    again = post(TestClient(app), survey_id, answers(code))
    assert again.status_code == 400
    assert "nhsuk-error-summary" in again.text and "already been used" in again.text
    assert 'href="#code"' in again.text
    assert store.response_count(survey_id) == 1


def test_missing_answers_are_named_and_do_not_use_the_code(app):
    survey_id = new_survey(app)
    store = PulseStore(app.state.workspace)
    code = store.issue_codes(survey_id, 1)[0]
    client = TestClient(app)
    missing = post(client, survey_id, {"code": code, "q-q3": "kept text"})
    assert missing.status_code == 400
    summary = missing.text.split('class="nhsuk-error-summary"')[1].split("</ul>")[0]
    assert f'href="#q-q1-0">Choose an answer to &#34;{SPEAK_UP}&#34;' in summary
    assert 'href="#q-q2-0"' in summary and 'href="#about-disability-0"' in summary
    assert "kept text" in missing.text and f'value="{code}"' in missing.text  # nothing typed is lost
    assert post(client, survey_id, answers(code)).status_code == 303  # the code was not used up
    too_long = post(client, survey_id, answers("ANY", **{"q-q3": "x" * 2001}))
    assert too_long.status_code == 400 and "longer than 2,000 characters" in too_long.text
    assert store.response_count(survey_id) == 1


def test_no_code_and_a_bad_form_token_are_refused(app):
    survey_id = new_survey(app)
    client = TestClient(app)
    assert "Enter the code you were given" in post(client, survey_id, answers()).text
    forged = client.post(f"/pulse/{survey_id}", data={"csrf_token": "x", **answers("A")}, follow_redirects=False)
    assert forged.status_code == 403


def test_code_guessing_is_rate_limited(app):
    survey_id = new_survey(app)
    client = TestClient(app)
    for i in range(4):
        assert post(client, survey_id, answers(f"WRONG-{i}")).status_code == 400
    blocked = post(client, survey_id, answers("WRONG-5"))
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "Too many codes that did not work" in blocked.text and "nhsuk-error-summary" in blocked.text
    # a good code from the same address is held up too (checked before the code is)
    good = PulseStore(app.state.workspace).issue_codes(survey_id, 1)[0]
    assert post(client, survey_id, answers(good)).status_code == 429


def test_open_link_survey_has_no_code_and_limits_answers_per_window(app):
    survey_id = new_survey(app, access="open")
    client = TestClient(app)
    page = client.get(f"/pulse/{survey_id}").text
    assert 'id="code"' not in page
    assert "accepts up to 3 answers from one network every 10 minutes" in page
    for _ in range(3):
        assert post(client, survey_id, answers()).status_code == 303
    blocked = post(client, survey_id, answers())
    assert blocked.status_code == 429 and "as many answers from your network" in blocked.text
    assert PulseStore(app.state.workspace).response_count(survey_id) == 3


def test_closed_scheduled_and_unknown_surveys(app):
    client = TestClient(app)
    closed = new_survey(app)
    PulseStore(app.state.workspace).close(closed)
    assert client.get(f"/pulse/{closed}").status_code == 410
    assert post_raw(client, closed).status_code == 410
    later = new_survey(app, opens=(TODAY + timedelta(days=3)).isoformat())
    page = client.get(f"/pulse/{later}")
    assert page.status_code == 403 and "opens on" in page.text
    assert client.get("/pulse/no-such-survey").status_code == 404


def post_raw(client, survey_id):
    token = CSRF_RE.search(client.get("/sign-in").text).group(1)
    return client.post(f"/pulse/{survey_id}", data={"csrf_token": token, **answers("A")}, follow_redirects=False)


def test_answering_writes_nothing_to_the_app_database(app):
    """No audit event, and a signed-in colleague's session is not even read: its sliding expiry (which
    a page view writes) stays as it was, so the app database does not learn when they answered."""
    from web_helpers import add_user, sign_in

    survey_id = new_survey(app)
    code = PulseStore(app.state.workspace).issue_codes(survey_id, 1)[0]
    add_user(app, "colleague@example.org", role="viewer")
    client = sign_in(app, "colleague@example.org")

    def rewind() -> tuple:
        with app.state.db.session() as db:
            session = db.query(WebSession).one()
            session.expires_at -= timedelta(minutes=5)  # a page view now would slide it forward
            return session.expires_at, db.query(AuditEvent).count()

    before = rewind()
    page = client.get(f"/pulse/{survey_id}")
    assert "colleague" not in page.text and "Sign out" not in page.text
    assert post(client, survey_id, answers(code)).status_code == 303
    with app.state.db.session() as db:
        assert (db.query(WebSession).one().expires_at, db.query(AuditEvent).count()) == before
    client.get("/organisations")  # the control: an ordinary page does slide it
    with app.state.db.session() as db:
        assert db.query(WebSession).one().expires_at > before[0]
