"""Every page kind of the dashboard (issue 14), the list derived from the app's routes
(`page_kinds`): each has a title in words, and in Chromium (one browser, one session per user) it is
screenshotted at 1280 and 390 px, does not scroll sideways at 390 px, and axe-core finds nothing."""

from __future__ import annotations

import html
import re
import shutil

import pytest
from page_kinds import ERROR_PAGES, EXPECT, NOT_PAGES, ORG_NAME, PAGES, addresses, get_routes, prepare
from test_browser import ARGS, AXE, CHROMIUM, LANDING_MS, SHOTS, serve
from web_helpers import PASSWORD, settings, sign_in

#: what a code looks like in a title: an indicator id (wres.2), an organisation code, snake_case
CODES = re.compile(r"\b(?:wres|wdes)\.\d|\bR0[A-Z]\b|\b[a-z]+_[a-z0-9_]+\b|\bexplore \d{4}\b")


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_workspace, demo_data):
    """The app over a copy of the demo workspace, its organisation named, one of everything."""
    from parity.web import create_app

    ws = tmp_path_factory.mktemp("every-page") / "ws"
    shutil.copytree(demo_workspace, ws)
    app = create_app(ws, settings())
    fill = prepare(app, demo_data)
    return app, addresses(fill)


def test_every_route_is_a_page_kind_with_an_example_or_is_not_a_page(site):
    app, _ = site
    routes = get_routes(app)
    untested = routes - set(PAGES) - set(NOT_PAGES)
    assert not untested, f"page kinds with no example in tests/web/page_kinds.py: {sorted(untested)}"
    assert not (set(PAGES) | set(NOT_PAGES)) - routes, "page_kinds lists routes the app no longer has"


def test_every_page_title_is_in_words(site):
    """"Appointment from shortlisting — WRES 2 — Northmoor Hospitals — Parity": the page, the
    organisation's name (never its code), the service."""
    app, pages = site
    clients = {}
    for route, who, address in pages:
        client = clients.get(who) or clients.setdefault(who, sign_in(app, who) if who else _anonymous(app))
        got = client.get(address)
        assert got.status_code == 200, (address, got.status_code, got.text[:300])
        title = html.unescape(re.search(r"<title>(.*?)</title>", got.text, re.S).group(1))
        parts = title.split(" — ")
        assert parts[-1] == "Parity" and len(parts) >= 2 and parts[0].strip(), (address, title)
        if "{org}" in route and not route.startswith("/pulse"):
            assert parts[-2] == ORG_NAME, (address, title)
        assert not CODES.search(title), (address, title)
    wres2 = html.unescape(re.search(r"<title>(.*?)</title>", clients["viewer@example.org"].get(
        "/o/R0A/indicator/wres.2").text).group(1))
    assert wres2 == f"Appointment from shortlisting — WRES 2 — {ORG_NAME} — Parity"
    wdes = html.unescape(re.search(r"<title>(.*?)</title>", clients["viewer@example.org"].get(
        "/o/R0A/indicator/wdes.4a.i").text).group(1))
    assert wdes.startswith("Harassment, bullying or abuse from patients or the public — WDES 4a(i) — ")


def _anonymous(app):
    from fastapi.testclient import TestClient

    return TestClient(app)


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_every_page_in_chromium_narrow_and_accessible(site):
    """One browser, one context per user; each page loaded once at 1280 px (screenshot), then the same
    page at 390 px (screenshot, no sideways scrolling), then axe-core (WCAG 2.2 A/AA): 0 violations."""
    from playwright.sync_api import sync_playwright

    app, pages = site
    visits = [(who, address, 200) for _route, who, address in pages] + ERROR_PAGES
    by_user: dict[str | None, list[tuple[str, int]]] = {}
    for who, address, status in visits:
        by_user.setdefault(who, []).append((address, status))
    SHOTS.mkdir(parents=True, exist_ok=True)
    server, thread, base = serve(app)
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            for who, shown in by_user.items():
                ctx = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})  # bypass: axe only
                page = ctx.new_page()
                page.set_default_timeout(LANDING_MS)  # a page's first, uncached render on a loaded machine
                if who:
                    page.goto(f"{base}/sign-in")
                    page.fill("#email", who)
                    page.fill("#password", PASSWORD)
                    page.click("button:has-text('Sign in')", timeout=LANDING_MS)
                for address, status in shown:
                    written += visit(page, base, address, status)
                ctx.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert len(written) == 2 * len(visits)
    for shot in written:  # written, and not blank: a page has text on a background
        from PIL import Image

        with Image.open(shot) as image:
            low, high = image.convert("L").getextrema()
            assert high - low > 100 and len(image.getcolors(1 << 16) or range(1 << 16)) > 8, shot


def visit(page, base: str, address: str, status: int) -> list:
    """The page at 1280 then 390 px: screenshots, one <h1>, no sideways scrolling, axe-core clean."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", address.strip("/")).strip("-") or "home"
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(base + address)
    assert response.status == status, (address, response.status)
    assert page.locator("h1").count() == 1, address
    if address in EXPECT:
        assert page.locator(EXPECT[address]).count() >= 1, (address, EXPECT[address])
    wide, narrow = SHOTS / f"page-{name}-1280.png", SHOTS / f"page-{name}-390.png"
    page.screenshot(path=str(wide), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert sideways <= 0, f"{address} scrolls sideways by {sideways}px at 390 px"
    page.screenshot(path=str(narrow), full_page=True)
    page.add_script_tag(path=str(AXE))
    # resultTypes: only violations are described in full (passing nodes are not collected): faster, same verdict
    result = page.evaluate("""async () => await axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})""")
    problems = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert not problems, f"{address}: {problems}"
    return [wide, narrow]
