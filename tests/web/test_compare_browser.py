"""Issue 18: the comparison page and an indicator page's funnel plot in Chromium — axe-core finds
nothing, no sideways scrolling at 390 px (one lean test; the machine is small)."""

from __future__ import annotations

import pytest
from test_board_browser import check_page
from test_browser import ARGS, CHROMIUM, SHOTS, serve
from web_helpers import PASSWORD, add_user, import_demo, settings

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]


def test_compare_pages_accessible_and_narrow(tmp_path):
    from playwright.sync_api import sync_playwright

    from parity.synth import generate
    from parity.web import create_app
    from parity.web.models import Membership, User

    generate(tmp_path / "data", staff=1600, years=1, orgs=2, seed=31)
    import_demo(tmp_path / "ws", tmp_path / "data")
    app = create_app(tmp_path / "ws", settings())
    add_user(app, "region@example.org", role="viewer", org="R0A")
    with app.state.db.session() as db:
        user = db.query(User).filter_by(email="region@example.org").one()
        db.add(Membership(user_id=user.id, org_code="R0B", role="viewer"))
    server, thread, base = serve(app)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_context(bypass_csp=True).new_page()  # bypass: only to inject axe-core
            page.goto(f"{base}/sign-in")
            page.fill("#email", "region@example.org")
            page.fill("#password", PASSWORD)
            page.click("button:has-text('Sign in')")
            check_page(page, base, "/compare?indicator=wres.2")
            assert page.locator("figure.parity-chart svg[role=img]").count() == 1
            check_page(page, base, "/o/R0A/indicator/wres.2")
            assert page.locator("h2:has-text('How do we compare?')").count() == 1
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
