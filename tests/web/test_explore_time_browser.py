"""Issue 17: the time-to-promotion page in Chromium — axe-core finds nothing, no sideways scrolling at
390 px (one lean test; the machine is small)."""

from __future__ import annotations

import shutil

import pytest
from test_board_browser import check_page
from test_browser import ARGS, CHROMIUM, LANDING_MS, SHOTS, serve
from web_helpers import PASSWORD, add_user, settings

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]


def test_time_page_accessible_and_narrow(tmp_path, demo_workspace):
    from playwright.sync_api import sync_playwright

    from parity.web import create_app

    ws = tmp_path / "ws"
    shutil.copytree(demo_workspace, ws)
    app = create_app(ws, settings())
    add_user(app, "viewer@example.org", role="viewer")
    server, thread, base = serve(app)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_context(bypass_csp=True).new_page()  # bypass: only to inject axe-core
            page.goto(f"{base}/sign-in")
            page.fill("#email", "viewer@example.org")
            page.fill("#password", PASSWORD)
            page.click("button:has-text('Sign in')", timeout=LANDING_MS)
            check_page(page, base, "/o/R0A/explore/time")
            assert page.locator("figure.parity-chart svg[role=img]").count() >= 1
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
