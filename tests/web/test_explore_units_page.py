"""Issue 17: Explore › by division — the unit × group heat map and the drill-down to departments,
from one protected scan."""

from __future__ import annotations

import re
from html import unescape

import pytest
from web_helpers import ORG, sign_in

DIVISIONS = {"Surgery", "Medicine", "Women and Children", "Clinical Support", "Corporate"}


@pytest.fixture(scope="module")
def page_for(shared_app):
    client = sign_in(shared_app, "viewer@example.org")
    return lambda query="": unescape(client.get(f"/o/{ORG}/explore/units{query}").text)


def row_heads(html: str) -> list[str]:
    body = html[html.index('<tbody class="nhsuk-table__body">'):html.index("</tbody>")]
    return [re.sub(r"<.*", "", h, flags=re.S).strip()
            for h in re.findall(r'<th scope="row" class="nhsuk-table__header">(.*?)</th>', body, re.S)]


def test_heat_map_of_divisions_from_the_protected_scan(shared_app, page_for):
    html = page_for()
    assert "Explore by division" in html.replace(f"{ORG}: explore", "Explore")
    assert set(row_heads(html)) == DIVISIONS
    assert '<svg role="img"' in html and "Heat map of" in html  # the Vega-Lite chart, drawn on the server
    year = shared_app.state.results.years(ORG)[0]
    scan = shared_app.state.explore_units.get(ORG, year)
    assert scan["disclosure"]["protected"] is True and scan["settings"]["by"] == ["org_l3", "org_l5", "ethnicity"]
    assert scan["settings"]["pool_years"] == 3
    # every value shown is the protected scan's figure for that cell; withheld cells say so
    shown = {(f["group"]["org_l3"], f["group"]["ethnicity"]): f["relative_likelihood"] for f in scan["findings"]
             if f["outcome"] == "disciplinary" and set(f["group"]) == {"org_l3", "ethnicity"}}
    for (division, group), rl in shown.items():
        if rl is not None:
            assert f"{group} staff in {division} {rl:.2f}" in html
    assert "withheld" in html.lower()


def test_drill_down_to_a_divisions_departments(page_for):
    html = page_for("?division=Surgery&outcome=disciplinary")
    heads = set(row_heads(html))
    assert heads and heads <= {"Theatres", "Anaesthetics", "General Surgery", "Trauma and Orthopaedics", "Urology"}
    assert "Back to every division" in html
    # a division that does not exist falls back to the divisions
    assert set(row_heads(page_for("?division=Nowhere"))) == DIVISIONS
