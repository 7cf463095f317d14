"""Issue 17: the further protected characteristics and the units as explorer attributes."""

from __future__ import annotations

from parity.explore import explore


def test_sexual_orientation_is_scanned_against_heterosexual_staff(trust):
    # 200 heterosexual staff, 10 in formal disciplinary (5%); 100 bisexual staff, 15 (15%) → RL 3.0
    het = trust.staff(200, sexual_orientation="1")
    bi = trust.staff(100, sexual_orientation="3")
    trust.staff(50, sexual_orientation="Z")  # not stated: counted, never compared
    for p in het[:10] + bi[:15]:
        trust.add("disciplinary", person_id=p)
    res = explore(trust.connect(), kind="scan", year=2025, by=("sexual_orientation",), outcomes=["disciplinary"])
    f = res.frame
    bis = f[(f.sexual_orientation == "Bisexual")].iloc[0]
    assert (bis.n, bis.events, bis.ref_n, bis.ref_events) == (100, 15, 200, 10)
    assert abs(bis.rl - 3.0) < 1e-9
    unknown = f[f.sexual_orientation == "Unknown"].iloc[0]
    assert not unknown.tested and unknown.reason == "unknown"
    assert "Bisexual" in res.findings[0]["narrative"]


def test_division_by_ethnicity_compares_within_the_division(trust):
    # Surgery: White 8 of 200 (4%), Black 16 of 100 (16%) → 4.0; Medicine: 8/200 and 4/100 → 1.0
    for div, white_cases, black_cases in (("Surgery", 8, 16), ("Medicine", 8, 4)):
        w = trust.staff(200, org_l3=div, ethnic_category="A")
        b = trust.staff(100, org_l3=div, ethnic_category="N")
        for p in w[:white_cases] + b[:black_cases]:
            trust.add("disciplinary", person_id=p)
    res = explore(trust.connect(), kind="scan", year=2025, by=("division", "ethnicity"), outcomes=["disciplinary"])
    f = res.frame
    cell = f[(f.attributes == "division+ethnicity") & (f.division == "Surgery") & (f.ethnicity == "Black")].iloc[0]
    assert (cell.events, cell.n, cell.ref_events, cell.ref_n) == (16, 100, 8, 200)
    assert abs(cell.rl - 4.0) < 1e-9
    med = f[(f.attributes == "division+ethnicity") & (f.division == "Medicine") & (f.ethnicity == "Black")].iloc[0]
    assert abs(med.rl - 1.0) < 1e-9
    top = res.findings[0]
    assert top["group"] == {"division": "Surgery", "ethnicity": "Black"}
    assert "in Surgery" in top["narrative"] and "in the same division" in top["narrative"]
