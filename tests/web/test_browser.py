"""The real flows in Chromium (Playwright): every page screenshotted and checked with axe-core.

Skipped only when /usr/bin/chromium is missing (CI installs Debian's chromium package).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from pathlib import Path

import pytest
from web_helpers import DEMO_FILES, PASSWORD, settings

CHROMIUM = Path("/usr/bin/chromium")
#: signing in waits for the landing page: a one-organisation user lands on the overview (issue 14),
#: whose first, uncached render can take well over Playwright's default 30 s on a loaded machine
LANDING_MS = 180_000
AXE = Path(__file__).parent / "axe.min.js"
SHOTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]


def serve(app):
    """Run `app` with uvicorn on 127.0.0.1 (a free port) in a thread; returns (server, thread, base URL)."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over an empty workspace, and its first-run link."""
    from parity.web import create_app
    from parity.web.views.auth import first_run_link

    app = create_app(tmp_path_factory.mktemp("browser") / "ws", settings())
    server, thread, base = serve(app)
    yield base, first_run_link(app, base)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, demo_workspace):
    """The app over a copy of the demo workspace, with an analyst."""
    import shutil

    from web_helpers import add_user

    from parity.web import create_app

    ws = tmp_path_factory.mktemp("browser-demo") / "ws"
    shutil.copytree(demo_workspace, ws)
    app = create_app(ws, settings())
    add_user(app, "analyst@example.org", role="analyst")
    server, thread, base = serve(app)
    yield base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def check(page, name: str) -> None:
    """Screenshot the page and assert axe-core finds no WCAG 2.x A/AA violation."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})""")
    problems = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert not problems, f"{name}: {json.dumps(problems, indent=1)}"


def upload(page, base, table, path, preset=""):
    page.goto(f"{base}/o/R0A/data")
    page.select_option("#table", table)
    page.select_option("#preset", preset)
    page.set_input_files("#file", str(path))
    page.click("button:has-text('Check the file')")
    finish_job(page)


def finish_job(page):
    """The upload's page refreshes itself while its job runs: wait for the job's end."""
    page.wait_for_selector("h1:has-text('Check of'), h1:has-text('Imported'), h1:has-text('Not imported'), "
                           ".parity-job-failed", timeout=120_000)
    page.wait_for_load_state()


def test_real_flows(server, browser, demo_data, messy_data, tmp_path):
    base, setup_link = server
    # bypass_csp: only so that axe-core can be injected; test_csp_holds_with_javascript checks the CSP itself
    ctx = browser.new_context(bypass_csp=True, accept_downloads=True)
    page = ctx.new_page()

    page.goto(f"{base}/sign-in")
    check(page, "01-sign-in")
    page.goto(setup_link)
    check(page, "02-set-up")
    page.fill("#email", "lead@example.org")
    page.fill("#name", "Regional Lead")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", "different password!")
    page.click("button:has-text('Create account')")
    check(page, "03-set-up-errors")
    assert page.locator(".nhsuk-error-summary").is_visible()
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("button:has-text('Create account')")
    check(page, "04-organisations-empty")

    page.fill("#code", "R0A")
    page.click("button:has-text('Go to upload')")
    check(page, "05-upload-form")
    upload(page, base, "workforce", messy_data / "esr" / "staff_in_post.csv", "esr-staff-in-post")
    check(page, "06-validation-messy")
    assert page.locator("table.parity-problems tbody tr").count() > 0

    upload(page, base, "workforce", demo_data / "esr" / "staff_in_post.csv", "esr-staff-in-post")
    check(page, "07-validation-clean")
    page.click("button:has-text('Import into the workspace')")
    finish_job(page)
    check(page, "08-imported")
    for table in DEMO_FILES:
        upload(page, base, table, demo_data / f"{table}.csv")
        page.click("button:has-text('Import into the workspace')")
        finish_job(page)
        assert "Imported" in page.content(), table
    page.goto(f"{base}/o/R0A/data/history")
    check(page, "09-import-history")

    page.goto(f"{base}/o/R0A/overview")
    check(page, "10-overview")
    links = sorted({h for h in page.eval_on_selector_all("a.nhsuk-card__link", "els => els.map(e => e.getAttribute('href'))")
                    if "/indicator/" in h})  # the pay gap pages: test_every_page
    assert len(links) >= 20
    for href in links:
        page.goto(base + href)
        name = re.search(r"indicator/([^?]+)", href).group(1)
        check(page, f"11-indicator-{name}")
    page.goto(f"{base}/o/R0A/overview?view=unsuppressed")
    check(page, "12-overview-unsuppressed")
    assert "Not for publication" in page.content()

    page.goto(f"{base}/o/R0A/users")
    page.fill("#email", "analyst@example.org")
    page.check("#role-new-analyst")
    page.click("button:has-text('Create invitation link')")
    check(page, "13-users-invited")
    invitation = page.inner_text("#invitation-link")

    page.goto(f"{base}/o/R0A/reports")
    page.click("button:has-text('Generate report')")
    deadline = time.time() + 180
    while page.locator("a[download]").count() < 4 and time.time() < deadline:
        assert "failed" not in page.inner_text("main")
        time.sleep(2)
        page.goto(f"{base}/o/R0A/reports")
    check(page, "14-reports")
    for link in page.locator("a[download]").all():
        with page.expect_download() as info:
            link.click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        assert target.stat().st_size > 100
    page.goto(f"{base}/o/R0A/audit")
    check(page, "15-audit")
    assert "download" in page.inner_text("main")

    other = browser.new_context(bypass_csp=True).new_page()
    other.goto(invitation)
    check(other, "16-invitation")
    other.fill("#name", "Ana Lyst")
    other.fill("#password", PASSWORD)
    other.fill("#confirm", PASSWORD)
    other.click("button:has-text('Create account')")
    assert "/o/R0A/overview" in other.content()
    other.goto(f"{base}/o/R0A/users")
    check(other, "17-forbidden")
    ctx.close()


def test_csp_holds_with_javascript(demo_server, browser):
    """With the real CSP enforced, pages and the interactive charts raise no CSP violation."""
    base = demo_server
    ctx = browser.new_context()
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/sign-in")
    page.fill("#email", "analyst@example.org")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')", timeout=LANDING_MS)
    page.goto(f"{base}/o/R0A/indicator/wres.2")
    page.wait_for_selector(".parity-chart__live svg", timeout=20000)
    page.screenshot(path=str(SHOTS / "20-indicator-with-javascript.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e], errors
    ctx.close()
