"""Leak 4: the all-organisations release minus RXB's gives back RXA's withheld count.

RXA: 3 of 40 BME staff on non-mandatory training (withheld); RXB: 15 of 40 (published); all
organisations: 18 of 80 (published). 18 - 15 = 3.
"""

from __future__ import annotations

from conftest import recovered

CELL = "RXA 2025 WRES indicators.wres.4.groups.BME.numerator"


def test_the_scenario_withholds_the_cell(region_release):
    doc = next(d for d in region_release.documents if d.name == "RXA 2025")
    assert next(i for i in doc.raw["WRES"]["indicators"] if i["id"] == "wres.4")["groups"]["BME"]["numerator"] == 3
    assert next(i for i in doc.published["WRES"]["indicators"]
                if i["id"] == "wres.4")["groups"]["BME"]["numerator"] is None


def test_each_level_alone_does_not_give_it_away(region_audit):
    assert recovered(region_audit, CELL, method="arithmetic") == []


def test_all_organisations_minus_the_others(region_audit):
    assert recovered(region_audit, CELL, method="differencing levels") == []
