"""Issue 15 in Chromium, one lean test: create an action from the WRES 2 page, update it, see it on
the Actions page, link it to a meeting note, and see it in the generated report; axe-core finds no
violation on the action and meeting pages."""

from __future__ import annotations

import shutil
import time

import pytest
from test_browser import ARGS, CHROMIUM, LANDING_MS, check, serve
from web_helpers import PASSWORD, add_user, settings

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]
TITLE = "Diverse shortlisting panels"


@pytest.fixture(scope="module")
def base(tmp_path_factory, demo_workspace):
    from parity.web import create_app

    ws = tmp_path_factory.mktemp("actions-browser") / "ws"
    shutil.copytree(demo_workspace, ws)
    app = create_app(ws, settings())
    add_user(app, "analyst@example.org", role="analyst")
    server, thread, url = serve(app)
    yield url
    server.should_exit = True
    thread.join(timeout=10)


def test_action_from_indicator_to_report(base):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context(bypass_csp=True).new_page()  # bypass: only to inject axe-core
        page.goto(f"{base}/sign-in")
        page.fill("#email", "analyst@example.org")
        page.fill("#password", PASSWORD)
        page.click("button:has-text('Sign in')", timeout=LANDING_MS)

        page.goto(f"{base}/o/R0A/indicator/wres.2")
        page.click("a:has-text('Create an action')")
        assert page.input_value("#indicator") == "wres.2"
        page.click("button:has-text('Create action')")  # empty: every mistake in the error summary
        assert page.locator(".nhsuk-error-summary").is_visible()
        check(page, "actions-01-create-errors")
        page.fill("#title", TITLE)
        page.fill("#owner", "Director of People")
        page.fill("#start", "2024-06-01")
        page.fill("#due", "2027-03-31")
        page.fill("#target", "<=1.25")
        page.click("button:has-text('Create action')")
        assert page.inner_text("h1") == TITLE

        page.select_option("#status", "in_progress")
        page.fill("#on", "2025-01-15")
        page.fill("#note", "Panels trained in two divisions")
        page.click("button:has-text('Save update')")
        assert "Panels trained in two divisions" in page.inner_text("main")
        assert "In progress" in page.inner_text("main")
        check(page, "actions-02-action")

        page.goto(f"{base}/o/R0A/actions")
        row = page.locator("tr", has_text=TITLE)
        assert row.count() == 1 and "In progress" in row.inner_text()
        check(page, "actions-03-list")

        page.goto(f"{base}/o/R0A/indicator/wres.2")
        assert TITLE in page.inner_text("main")

        page.goto(f"{base}/o/R0A/meetings")
        page.fill("#date", "2025-01-15")
        page.fill("#decisions", "Extend the panels to every division")
        page.check(f"label:has-text('{TITLE}')")
        page.click("button:has-text('Record the meeting')")
        card = page.locator(".nhsuk-card", has_text="Extend the panels to every division")
        assert TITLE in card.inner_text()
        check(page, "actions-04-meetings")

        page.goto(f"{base}/o/R0A/reports")
        page.click("button:has-text('Generate report')")
        deadline = time.time() + 300
        while page.locator("a[download][href$='/html']").count() == 0 and time.time() < deadline:
            assert "failed" not in page.inner_text("main")
            time.sleep(3)
            page.goto(f"{base}/o/R0A/reports")
        href = page.locator("a[download][href$='/html']").first.get_attribute("href")
        report = page.request.get(base + href).text()
        section = report.split('id="action-plan"')[1].split("</section>")[0]
        assert TITLE in section and "In progress" in section
        assert page.locator("a[download][href$='/action_plan']").count() == 1
        browser.close()
