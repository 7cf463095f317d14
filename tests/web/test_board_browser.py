"""`check_page`, used by `test_compare_browser`: screenshots at 1280 and 390 px, no sideways scrolling,
axe-core clean. Every page kind of the dashboard (issue 14) is checked in `test_every_page.py`, with
one browser for them all."""

from __future__ import annotations

import pytest
from test_browser import AXE, CHROMIUM, SHOTS

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]


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
