"""Issue 14 pages in Chromium: the overview (and pay gap pages) pass axe-core and do not scroll
sideways at 390 px. One lean test (the machine is small); screenshots at 1280 and 390 px."""

from __future__ import annotations

import shutil

import pytest
from test_browser import ARGS, AXE, CHROMIUM, LANDING_MS, SHOTS, serve
from web_helpers import PASSWORD, add_user, settings

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]

PAGES = ("/o/R0A/overview", "/o/R0A/paygaps", "/o/R0A/paygap/sex", "/o/R0A/paygap/ethnicity",
         "/o/R0A/explore",
         # every other page kind a viewer sees, for the 390 px check (issue 14: no page scrolls sideways)
         "/organisations", "/o/R0A/indicator/wres.1", "/o/R0A/indicator/wres.2", "/o/R0A/indicator/wres.9",
         "/o/R0A/reports",
         # the print view (issue 14)
         "/o/R0A/indicator/wres.2?print=1")
#: the page kinds only an administrator sees
ADMIN_PAGES = ("/o/R0A/data", "/o/R0A/data/history", "/o/R0A/users", "/o/R0A/audit", "/o/R0A/actions")


@pytest.fixture(scope="module")
def base(tmp_path_factory, demo_workspace):
    from parity.web import create_app

    ws = tmp_path_factory.mktemp("board-browser") / "ws"
    shutil.copytree(demo_workspace, ws)
    app = create_app(ws, settings())
    add_user(app, "viewer@example.org", role="viewer")
    add_user(app, "admin@example.org", role="admin")
    server, thread, url = serve(app)
    yield url
    server.should_exit = True
    thread.join(timeout=10)


def test_board_pages_accessible_and_narrow(base):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for email, pages in (("viewer@example.org", PAGES), ("admin@example.org", ADMIN_PAGES)):
            page = browser.new_context(bypass_csp=True).new_page()  # bypass: only to inject axe-core
            page.goto(f"{base}/sign-in")
            page.fill("#email", email)
            page.fill("#password", PASSWORD)
            page.click("button:has-text('Sign in')", timeout=LANDING_MS)
            for path in pages:
                check_page(page, base, path)
        browser.close()


def check_page(page, base: str, path: str) -> None:
    """Screenshots at 1280 and 390 px, no sideways scrolling at either, and axe-core finds nothing."""
    name = path.strip("/").replace("/", "-")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        page.screenshot(path=str(SHOTS / f"board-{name}-{width}.png"), full_page=True)
        sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert sideways <= 0, f"{path} scrolls sideways by {sideways}px at {width}px"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})""")
    assert not [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]], path
