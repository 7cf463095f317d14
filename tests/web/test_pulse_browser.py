"""Issue 16 in Chromium, one lean test: an analyst creates a pulse survey and downloads its codes; a
390 px phone answers with a code, a reused code is refused; results appear only at the 11th response
(the others submitted through the store); axe-core finds no violation on the answer, thank-you and
results pages."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from test_browser import ARGS, CHROMIUM, LANDING_MS, check, serve
from web_helpers import PASSWORD, add_user, settings

from parity.pulse.store import PulseStore

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from parity.web import create_app

    app = create_app(tmp_path_factory.mktemp("pulse-browser") / "ws", settings())
    add_user(app, "analyst@example.org", role="analyst")
    server, thread, url = serve(app)
    yield app, url
    server.should_exit = True
    thread.join(timeout=10)


def answer(page, code: str) -> None:
    page.fill("#code", code)
    page.check("label:has-text('Strongly agree')")  # the agreement question (bank: valued)
    page.check("#q-equal_opportunities-0")  # Yes
    page.fill("#q-custom1", "More flexible rotas")
    page.check("#about-disability-2")  # Prefer not to say
    page.click("button:has-text('Submit')")


def test_create_answer_on_a_phone_and_results_at_eleven(served, tmp_path):
    from playwright.sync_api import sync_playwright

    app, base = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        desk = browser.new_context(bypass_csp=True, accept_downloads=True).new_page()  # bypass: to inject axe
        desk.goto(f"{base}/sign-in")
        desk.fill("#email", "analyst@example.org")
        desk.fill("#password", PASSWORD)
        desk.click("button:has-text('Sign in')", timeout=LANDING_MS)
        desk.goto(f"{base}/o/R0A/overview")
        desk.click("a:has-text('Pulse surveys')")
        desk.click("a:has-text('Create a pulse survey')")
        desk.fill("#title", "Speaking up pulse")
        desk.check("#bank-valued")
        desk.check("#bank-equal_opportunities")
        desk.fill("#custom-text-0", "What one thing would you change?")
        desk.select_option("#custom-type-0", "text")
        desk.check("#about-disability")
        desk.click("button:has-text('Create the survey')")
        assert desk.inner_text("h1") == "Speaking up pulse"
        survey_id = desk.url.rsplit("/", 1)[1]
        desk.fill("#count", "12")
        with desk.expect_download() as got:
            desk.click("button:has-text('Download new codes')")
        path = tmp_path / "codes.csv"
        got.value.save_as(path)
        codes = [row["code"] for row in csv.DictReader(Path(path).open(encoding="utf-8"))]
        assert len(codes) == 12

        phone = browser.new_context(viewport=PHONE, bypass_csp=True, java_script_enabled=False,
                                    is_mobile=True, has_touch=True).new_page()
        phone.goto(f"{base}/pulse/{survey_id}")
        # JavaScript is off on this phone: the whole flow works without it
        answer(phone, codes[0])
        assert phone.inner_text("h1") == "Thank you"
        phone.goto(f"{base}/pulse/{survey_id}")
        answer(phone, codes[0])  # the same code again
        assert phone.locator(".nhsuk-error-summary").is_visible()
        assert "already been used" in phone.inner_text(".nhsuk-error-summary")
        assert phone.input_value("#q-custom1") == "More flexible rotas"  # nothing typed is lost

        axe_phone = browser.new_context(viewport=PHONE, bypass_csp=True, is_mobile=True).new_page()
        axe_phone.goto(f"{base}/pulse/{survey_id}")
        assert axe_phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
        check(axe_phone, "pulse-01-answer-390px")
        answer(axe_phone, codes[1])
        check(axe_phone, "pulse-02-thanks-390px")

        store = PulseStore(app.state.workspace)
        for code in codes[2:10]:  # 10 responses in all: still nothing to see
            store.submit(survey_id, {"valued": "agree", "equal_opportunities": "no"},
                         {"disability": "no"}, code)
        desk.goto(f"{base}/o/R0A/pulse/{survey_id}")
        assert "No results yet" in desk.inner_text("main")
        store.submit(survey_id, {"valued": "disagree", "equal_opportunities": "yes"}, {"disability": "no"}, codes[10])
        desk.reload()
        text = desk.inner_text("main")
        assert "No results yet" not in text and "Based on 11 responses" in text
        # valued: 2 strongly agree + 8 agree of 11 → 91%; equal opportunities: 2 yes (phone) + 1 of 11 → 27%
        assert "91% answered positively (10 of 11" in text and "27% answered positively (3 of 11" in text
        assert "More flexible rotas" in text  # free text, for the analyst
        check(desk, "pulse-03-results")
        browser.close()
