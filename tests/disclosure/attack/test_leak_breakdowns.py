"""Leak 2: the WDES 3 breakdown on the other basis repeats the withheld capability count.

RXA: 4 Disabled staff entered the formal capability process, none on ill-health grounds, so the
breakdown's count (the "including ill health" basis, since the headline is on performance grounds
only) is the main table's withheld 4 — and a count of 4 in its own right. The issue found it with
the bases the other way round; the leak and its protection are the same.
"""

from __future__ import annotations

import pytest

from conftest import recovered

BREAKDOWN = "RXA 2025 WDES indicators.wdes.3.breakdowns.including_ill_health.groups.Disabled.numerator"
MAIN = "RXA 2025 WDES indicators.wdes.3.groups.Disabled.numerator"


def test_the_scenario_withholds_the_main_cell(org_release):
    doc = next(d for d in org_release.documents if d.name == "RXA 2025")
    raw = next(i for i in doc.raw["WDES"]["indicators"] if i["id"] == "wdes.3")
    shown = next(i for i in doc.published["WDES"]["indicators"] if i["id"] == "wdes.3")
    assert raw["groups"]["Disabled"]["numerator"] == 4
    assert raw["breakdowns"][0]["groups"]["Disabled"]["numerator"] == 4
    assert shown["groups"]["Disabled"]["numerator"] is None


@pytest.mark.parametrize("channel", [
    "json",
    "csv",
    "xlsx",
    "web",
    "html",
    "pdf",
])
def test_breakdown_count_is_not_readable(org_audit, channel):
    assert recovered(org_audit, BREAKDOWN, channel=channel) == []


@pytest.mark.parametrize("channel", ["web", "html", "pdf", "csv", "xlsx"])
def test_main_count_is_not_readable_through_the_breakdown(org_audit, channel):
    assert recovered(org_audit, MAIN, method="read", channel=channel) == []
