"""Nothing in any release pins a small count: by any method, through any format.

(The four leaks of issue 10 have their own tests; these check everything else, and since the fix
the leak releases as a whole.)
"""

from __future__ import annotations


def test_org_release(org_audit):
    assert org_audit.summary()["cells_tried"] >= 10
    assert [str(f) for f in org_audit.findings] == []


def test_region_release(region_audit):
    assert region_audit.summary()["cells_tried"] >= 1
    assert [str(f) for f in region_audit.findings] == []


def test_crowded_release(crowded_audit):
    """Small counts in disciplinary, appointments (both years), capability with ill-health cases,
    the board, pay gap quarters and bands: none is pinned by any method or format."""
    assert crowded_audit.summary()["cells_tried"] >= 50
    assert [str(f) for f in crowded_audit.findings] == []
