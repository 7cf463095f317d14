"""Board figures (WRES 9, WDES 10): members *not* in a group are protected like any small count.

Rule (docs/disclosure-control.md, "Board members"): a board's group counts are counts of named
public office holders' ethnicity or disability, special-category data, so the members not in a group
(members - group count) are protected when 1 to 9, like the people a rate did not count. RXO's board
of 13 has 10 White, 2 BME and 1 member of unknown ethnicity: the 2 and the 1 are withheld, and
publishing both the 10 and the 13 would give back the 3 members who are not White.
"""

from __future__ import annotations

from conftest import recovered

NOT_WHITE = "RXO 2025 WRES indicators.wres.9.breakdowns"


def test_the_board(board_release):
    doc = board_release.documents[0]
    ind = next(i for i in doc.raw["WRES"]["indicators"] if i["id"] == "wres.9")
    groups = {g: f["numerator"] for g, f in ind["groups"].items()}
    assert groups == {"White": 10, "BME": 2, "Unknown": 1}
    assert {f["denominator"] for f in ind["groups"].values()} == {13}


def test_members_not_in_a_group_are_targets(board_audit):
    names = {t.name for t in board_audit.targets if t.what == "not counted"}
    assert any("wres.9" in n and ".White." in n for n in names), sorted(names)


def test_members_not_in_a_group_are_not_recovered(board_audit):
    assert recovered(board_audit, "wres.9") == []
    assert recovered(board_audit, "wdes.10") == []
