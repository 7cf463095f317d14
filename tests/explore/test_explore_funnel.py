"""Recruitment funnel on hand-built applications: every rate below is worked out by hand."""

from __future__ import annotations

import pytest

from parity.explore import funnel


def _applicants(trust, eth: str, *, rejected: int, shortlisted_only: int, interviewed_only: int,
                declined: int, appointed: int, stages: bool = True) -> None:
    opt = (lambda v: v) if stages else (lambda v: None)
    trust.add("applications", rejected, ethnic_category=eth, shortlisted=False, interviewed=opt(False), offered=opt(False))
    trust.add("applications", shortlisted_only, ethnic_category=eth, interviewed=opt(False), offered=opt(False))
    trust.add("applications", interviewed_only, ethnic_category=eth, interviewed=opt(True), offered=opt(False))
    trust.add("applications", declined, ethnic_category=eth, interviewed=opt(True), offered=opt(True),
              offer_declined=True)
    trust.add("applications", appointed, ethnic_category=eth, interviewed=opt(True), offered=opt(True), appointed=True)


@pytest.fixture
def funnel_trust(trust):
    # White: 100 applied, 50 shortlisted, 40 interviewed, 20 offered (2 declined), 18 appointed
    _applicants(trust, "A", rejected=50, shortlisted_only=10, interviewed_only=20, declined=2, appointed=18)
    # Black: 100 applied, 40 shortlisted, 30 interviewed, 10 offered (1 declined), 9 appointed
    _applicants(trust, "N", rejected=60, shortlisted_only=10, interviewed_only=20, declined=1, appointed=9)
    return trust


def _step(result, step: str, eth: str):
    f = result.frame
    return f[(f["step"] == step) & (f["ethnicity"] == eth)].iloc[0]


def test_conversion_at_each_stage(funnel_trust):
    result = funnel(funnel_trust.connect(), year=2025, by=("ethnicity",), min_cell=5)
    assert result.settings["stages"] == ["applied", "shortlisted", "interviewed", "offered", "appointed"]
    expected = {  # step: (White events/n, Black events/n, RL = White rate ÷ Black rate)
        "applied → shortlisted": ((50, 100), (40, 100), 0.5 / 0.4),
        "shortlisted → interviewed": ((40, 50), (30, 40), 0.8 / 0.75),
        "interviewed → offered": ((20, 40), (10, 30), 0.5 / (1 / 3)),
        "offered → appointed": ((18, 18), (9, 9), 1.0),  # declined offers left out
    }
    for step, (white, black, rl) in expected.items():
        row = _step(result, step, "Black")
        assert (row["ref_events"], row["ref_n"]) == white
        assert (row["events"], row["n"]) == black
        assert row["rl"] == pytest.approx(rl)
        assert row["orientation"].startswith("reference rate ÷ cell rate")
    stages = result.tables["stages"].set_index("ethnicity")
    assert stages.loc["White", "declined"] == 2 and stages.loc["Black", "declined"] == 1
    assert stages.loc["Black", "appointed"] == 9


def test_missing_stages_are_skipped(trust):
    _applicants(trust, "A", rejected=50, shortlisted_only=30, interviewed_only=0, declined=5, appointed=15, stages=False)
    _applicants(trust, "N", rejected=60, shortlisted_only=30, interviewed_only=0, declined=0, appointed=10, stages=False)
    result = funnel(trust.connect(), year=2025, by=("ethnicity",), min_cell=5)
    assert result.settings["stages"] == ["applied", "shortlisted", "appointed"]
    row = _step(result, "shortlisted → appointed", "Black")
    assert (row["ref_events"], row["ref_n"]) == (15, 45)  # 50 shortlisted minus 5 declined
    assert (row["events"], row["n"]) == (10, 40)
    assert any("interviewed, offered" in n for n in result.notes)
