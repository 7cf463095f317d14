"""Found by the 12-organisation attack (issue 18), single organisation, present on main before it:
a workforce composition's "everyone else" is published by subtraction.

RXK: 110 staff, 5 Disabled, 3 of unknown disability status, 102 Non-disabled. WDES 1 (and the
workforce rows of WDES 10's breakdowns) withhold the 5 and the 3 but publish the 102 and the 110,
so 110 - 102 = 8 people are Disabled or of unknown status: a count of 1-9 the attack suite treats as a
target ("denominator not counted", as for rates and board members). Decided (lead, session 25): a
workforce's staff not in a known group are protected like a board's members not in a group and the
people a rate did not count (docs/disclosure-control.md, "Board members"); this test was a strict xfail
until `model_tables._not_in_group`.
"""

from __future__ import annotations

from attack_audit import audit
from attack_release import json_release
from attack_trusts import OrgPlan, build


def test_the_rest_of_a_composition_is_not_recovered():
    plan = OrgPlan("RXK", disability=(5, 3), capability=(2, 30))
    result = audit(json_release(build([plan]).connect(), [2025]), formats=False)
    assert [str(f) for f in result.findings if "not counted" in str(f)] == []
