"""Every page kind of the dashboard (issue 14), the list derived from the app's routes
(`page_kinds`): each has a title in words, and in Chromium (one browser, one session per user) it is
screenshotted at 1280 and 390 px, does not scroll sideways at 390 px, and axe-core finds nothing."""

from __future__ import annotations

import html
import re
import shutil

import pytest
from page_kinds import NOT_PAGES, ORG_NAME, PAGES, addresses, get_routes, prepare
from web_helpers import settings, sign_in

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
