"""Found by the suite on a generated trust (parity.synth, 2 organisations, seed 11), reproduced here:
the band table withholds the Disabled total (4) and, as its complement, the Unknown total (10) —
but the data-quality figures still show "unknown_count": 10 (and 9.1% unknown of 110), so
110 - 96 non-disabled - 10 unknown = 4 Disabled."""

from __future__ import annotations

import json

import pytest
from attack_audit import audit
from attack_release import build_release
from attack_trusts import OrgPlan, build

CELL = "RXD 2025 WDES indicators.wdes.1.groups.Disabled.numerator"


@pytest.fixture(scope="module")
def unknown_release():
    plan = OrgPlan("RXD", disability=(4, 10), capability=(0, 30))
    return build_release(build([plan]).connect(), orgs=["RXD"], years=[2025], formats=(), levels=False)


def test_the_scenario_withholds_the_disabled_total(unknown_release):
    (doc,) = unknown_release.documents
    raw = next(i for i in doc.raw["WDES"]["indicators"] if i["id"] == "wdes.1")
    shown = next(i for i in doc.published["WDES"]["indicators"] if i["id"] == "wdes.1")
    assert raw["groups"]["Disabled"]["numerator"] == 4 and raw["groups"]["Unknown"]["numerator"] == 10
    assert shown["groups"]["Disabled"]["numerator"] is None


def test_unknown_count_does_not_give_back_the_disabled_total(unknown_release):
    found = [str(f) for f in audit(unknown_release, formats=False).findings]
    assert found == [], json.dumps(found, indent=1)
