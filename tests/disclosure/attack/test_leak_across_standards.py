"""Found by the lead (session 25) after engineer scale noted that WRES and WDES are protected as
separate releases: the two standards count the same staff, shortlisted applicants, disciplinary
cases and board, so a total that one standard withholds (as a complementary cell) the other may
print, and subtracting gives back a withheld count. The attacker here knows only that such totals
are one number printed twice, and so is the sum over every group of the applicants shortlisted
(`attack_model._across_standards`; every `audit` uses it unless told not to).
Fixed (session 26): WRES and WDES of an organisation-year are two documents of ONE release, with the
totals they share linked (`parity.disclosure.across`, `parity.report.release.protected_standards`).
"""

from __future__ import annotations

from attack_audit import audit
from attack_release import build_release
from attack_trusts import OrgPlan, build


def test_a_total_printed_by_the_other_standard_gives_back_no_withheld_count():
    """RXR 2025: 3 White and 25 BME shortlisted, none appointed; 28 applicants in both standards."""
    plan = OrgPlan("RXR", appointed={2025: (0, 3, 0, 25)}, disciplinary=(0, 0), training=(10, 1))
    release = build_release(build([plan]).connect(), orgs=["RXR"], years=[2025], levels=False)
    result = audit(release, formats=False, across_standards=True)
    assert result.targets and [str(f) for f in result.findings] == []


def test_the_same_release_read_one_standard_at_a_time_recovers_nothing():
    """The attack machinery itself: without the cross-standard identities nothing is recovered, so the
    finding above comes from printing one total twice."""
    plan = OrgPlan("RXR", appointed={2025: (0, 3, 0, 25)}, disciplinary=(0, 0), training=(10, 1))
    release = build_release(build([plan]).connect(), orgs=["RXR"], years=[2025], levels=False)
    assert [str(f) for f in audit(release, formats=False, across_standards=False).findings] == []
