"""Leak 1: year Y prints last year's ratio, computed from year Y-1 counts Y-1's own release withheld.

RXA had 8 BME appointments from shortlisting in 2023/24 (of 40; White 20 of 50). The 2024 release
withholds the 8; the 2025 release says "last year 2.00", and (20/50) / (n/40) = 2.00 gives n = 8.
"""

from __future__ import annotations

import pytest

from conftest import recovered

CELL = "RXA 2024 WRES indicators.wres.2.groups.BME.numerator"


def test_the_scenario_withholds_the_cell_in_its_own_year(org_release):
    y1 = next(d for d in org_release.documents if d.name == "RXA 2024")
    raw = next(i for i in y1.raw["WRES"]["indicators"] if i["id"] == "wres.2")
    shown = next(i for i in y1.published["WRES"]["indicators"] if i["id"] == "wres.2")
    assert raw["groups"]["BME"]["numerator"] == 8 and raw["groups"]["BME"]["denominator"] == 40
    assert shown["groups"]["BME"]["numerator"] is None and shown["value"] is None


def test_previous_value_in_the_result_json(org_audit):
    assert recovered(org_audit, CELL, method="differencing years", channel="json") == []


@pytest.mark.parametrize("channel", ["html", "pdf"])
def test_last_year_printed_in_the_report(org_audit, channel):
    assert recovered(org_audit, CELL, method="differencing years", channel=channel) == []


def test_last_year_on_the_viewer_pages(org_audit):
    assert recovered(org_audit, CELL, method="differencing years", channel="web") == []
