"""Found by the suite on a generated trust (parity.synth, 2 organisations, seed 11), reproduced here:
the pay gap's count of employees excluded for unknown disability status is withheld in RXA's report
(5) but published for all organisations (20) and for RXB (15): 20 - 15 = 5. (The generated trust
showed the same for the ethnicity "not disclosed" counts and within-band group sizes.)"""

from __future__ import annotations

import json

import pytest
from attack_audit import audit
from attack_release import build_release
from attack_trusts import OrgPlan, build

CELL = "RXA 2025 PAYGAP:disability results.disability:Disabled.excluded.unknown"


@pytest.fixture(scope="module")
def pay_region():
    plans = [OrgPlan("RXA", disability=(14, 5), pay_disabled=None),
             OrgPlan("RXB", disability=(14, 15), pay_disabled=None)]
    return build_release(build(plans).connect(), orgs=["RXA", "RXB"], years=[2025], formats=())


def test_the_scenario_withholds_the_count(pay_region):
    doc = next(d for d in pay_region.documents if d.name == "RXA 2025")
    assert doc.raw["PAYGAP:disability"]["results"][0]["excluded"]["unknown"] == 5
    assert doc.published["PAYGAP:disability"]["results"][0]["excluded"]["unknown"] is None


def test_pay_gap_counts_are_protected_across_levels(pay_region):
    found = [str(f) for f in audit(pay_region, formats=False).findings]
    assert found == [], json.dumps(found, indent=1)
