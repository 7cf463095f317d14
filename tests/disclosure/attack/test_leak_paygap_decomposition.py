"""Leak 3: one Disabled employee in the pay extract; the comparison is withheld, but the band-mix
decomposition ("Total mean gap") and the bootstrap intervals are that one person's pay against the mean."""

from __future__ import annotations

import pytest

from conftest import recovered

TARGET = "RXA 2025 PAYGAP:disability results.Disabled pay of a withheld group"


def test_the_scenario_has_one_disabled_employee(org_release):
    doc = next(d for d in org_release.documents if d.name == "RXA 2025")
    raw = doc.raw["PAYGAP:disability"]
    assert raw["relevant_employees"] == 89  # 88 non-disabled + 1 Disabled
    assert raw["results"][0]["withheld"] is True
    assert raw["decomposition"]["comparison_group"] == "Disabled"


@pytest.mark.parametrize("channel", ["json", "html", "pdf"])
def test_withheld_pay_gap_shows_nowhere(org_audit, channel):
    assert recovered(org_audit, TARGET, method="figure", channel=channel) == []
