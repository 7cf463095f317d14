"""Ethnicity and disability pay gaps: groups, merging, withholding and not-disclosed shares."""

from __future__ import annotations

import pytest

from parity.paygap import disability_pay_gap, ethnicity_pay_gap


def _people(make_frame, spec, column, *, rate_of=None):
    """spec: list of (code, n); group i paid £10 + i unless rate_of gives a rate per code."""
    codes, rates = [], []
    for i, (code, n) in enumerate(spec):
        codes += [code] * n
        rates += [(rate_of or {}).get(code, 10.0 + i)] * n
    return make_frame(rates, ["female"] * len(codes), **{column: codes})


def _by_group(results):
    return {r.comparison_group: r for r in results}


def test_broad_groups_against_white_british(make_frame):
    spec = [("A", 20), ("C", 10), ("H", 10), ("M", 10), ("D", 10), ("R", 10), ("Z", 5), ("99", 5)]
    rates = {"A": 20.0, "C": 20.0, "H": 18.0, "M": 16.0, "D": 20.0, "R": 25.0}
    results = ethnicity_pay_gap(_people(make_frame, spec, "ethnic_category", rate_of=rates))
    assert [r.comparison_group for r in results] == ["Asian", "Black", "Mixed", "Other", "White other", "All ethnic minority"]
    got = _by_group(results)
    assert got["Asian"].mean_hourly_gap == 10.0  # (20 − 18) / 20
    assert got["Black"].mean_hourly_gap == 20.0
    assert got["Other"].mean_hourly_gap == -25.0
    assert got["White other"].reference_group == "White British"
    # All ethnic minority (40: 10 × 18, 16, 20, 25 → mean 19.75) against White A–C (30 at £20)
    assert got["All ethnic minority"].reference_group == "White"
    assert got["All ethnic minority"].mean_hourly_gap == 1.3  # 1.25 → 1.3
    # 10 of 80 relevant employees not stated / not known
    assert all(r.not_disclosed_percent == 12.5 for r in results)
    assert got["Asian"].excluded == {"not_disclosed": 10}


def test_small_group_is_merged_into_other_with_the_reason(make_frame):
    spec = [("A", 20), ("H", 12), ("M", 12), ("D", 4), ("R", 8), ("B", 10)]
    results = ethnicity_pay_gap(_people(make_frame, spec, "ethnic_category"), min_group_size=10)
    mixed, other = results[2], results[3]
    assert mixed.withheld and mixed.mean_hourly_gap is None and mixed.counts == {}
    assert "merged into Other (incl. Mixed)" in mixed.notes[0] and "fewer than 10" in mixed.notes[0]
    assert not other.withheld and other.comparison_group == "Other (incl. Mixed)"
    assert other.counts["Other (incl. Mixed)"]["full_pay"] == 12
    assert "includes Mixed" in other.notes[0]
    # the shared quarter table shows the merged group, never Mixed on its own
    assert "Mixed" not in other.quarters[0]["counts"] and "Other (incl. Mixed)" in other.quarters[0]["counts"]


def test_group_still_small_after_merging_is_withheld(make_frame):
    spec = [("A", 20), ("H", 12), ("M", 12), ("D", 3), ("R", 3), ("C", 4)]
    got = _by_group(ethnicity_pay_gap(_people(make_frame, spec, "ethnic_category"), min_group_size=10))
    assert got["Mixed"].withheld and got["Other"].withheld
    assert "even merged with Other" in got["Mixed"].notes[0]
    assert got["White other"].withheld and "withheld" in got["White other"].notes[0]  # never merged
    assert not got["Asian"].withheld
    assert sum(got["Asian"].quarters[k]["size"] for k in range(4)) == 44  # 20 + 12 + 12, withheld left out


def test_small_reference_withholds_everything(make_frame):
    spec = [("A", 5), ("H", 12), ("M", 12), ("B", 6)]
    results = ethnicity_pay_gap(_people(make_frame, spec, "ethnic_category"), min_group_size=10)
    assert all(r.withheld for r in results[:-1])
    assert "reference group White British" in results[0].notes[0]
    assert not results[-1].withheld  # White (A–C) 11 vs ethnic minority 24


def test_white_reference_and_categories(make_frame):
    spec = [("A", 10), ("B", 10), ("H", 12), ("J", 3)]
    df = _people(make_frame, spec, "ethnic_category")
    white = ethnicity_pay_gap(df, reference="White", min_group_size=1)
    assert [r.comparison_group for r in white] == ["Asian", "Black", "Mixed", "Other", "All ethnic minority"]
    assert white[0].reference_group == "White"
    cats = _by_group(ethnicity_pay_gap(df, by="category", min_group_size=10))
    assert not cats["Asian or Asian British - Indian"].withheld
    assert cats["Asian or Asian British - Pakistani"].withheld
    with pytest.raises(ValueError):
        ethnicity_pay_gap(df, by="wres")
    with pytest.raises(ValueError, match="Unrecognised ethnic_category"):
        ethnicity_pay_gap(df.assign(ethnic_category="White British"))


def test_disability_gap_and_unknown_share(make_frame):
    spec = [("no", 12), ("yes", 10), ("unknown", 3)]
    rates = {"no": 20.0, "yes": 19.0}
    result = disability_pay_gap(_people(make_frame, spec, "disability", rate_of=rates))
    assert (result.reference_group, result.comparison_group) == ("Non-disabled", "Disabled")
    assert result.mean_hourly_gap == 5.0
    assert result.not_disclosed_percent == 12.0  # 3 of 25
    assert result.excluded == {"unknown": 3}


def test_small_disabled_group_is_withheld(make_frame):
    result = disability_pay_gap(_people(make_frame, [("no", 30), ("yes", 4)], "disability"), min_group_size=10)
    assert result.withheld and result.mean_hourly_gap is None
    assert "Disabled has fewer than 10" in result.notes[0]
    assert result.to_dict()["withheld"] is True
