"""Issue 17: the generated hierarchy, the further characteristics and unit-level biases."""

from __future__ import annotations

import numpy as np
import pytest
from synth_helpers import group, headcount, rl_within

from parity.synth import build, generate
from parity.synth.bias import BiasError, resolve

DIVISIONS = {"Surgery", "Medicine", "Women and Children", "Clinical Support", "Corporate"}


@pytest.fixture(scope="module")
def tables():
    return build(staff=20000, years=2, seed=11, bias={"disciplinary@Surgery": 2.0})


def test_every_staff_table_carries_a_consistent_hierarchy(tables):
    for name in ("workforce", "disciplinary", "capability", "training", "leavers", "applications"):
        t = tables[name]
        assert set(t.org_l3) == DIVISIONS, name
        assert t[["org_l3", "org_l4", "org_l5", "site"]].notna().all().all(), name
        # a department sits in one directorate and a directorate in one division
        assert (t.groupby("org_l5").org_l4.nunique() == 1).all() and (t.groupby("org_l4").org_l3.nunique() == 1).all()
    wf = tables["workforce"]
    # a person's unit is the same in every table (casework rows carry the person's department)
    dept = wf.drop_duplicates("person_id").set_index("person_id").org_l5
    dis = tables["disciplinary"]
    assert (dis.org_l5.to_numpy() == dept.loc[dis.person_id].to_numpy()).all()
    # staff groups sit where they work: estates staff (09) are in Corporate or Clinical Support only
    assert set(wf[wf.staff_group == "09"].org_l3) <= {"Corporate", "Clinical Support"}


def test_characteristic_shares_follow_the_stated_assumptions(tables):
    wf = tables["workforce"]
    people = wf[wf.primary_assignment].drop_duplicates("person_id")
    g = group(people.ethnic_category)
    # docs/synth.md: among White staff 50% Christian, 30% no religion; among BME staff 20% Muslim
    white, bme = people[g == "White"], people[g == "BME"]
    assert abs((white.religion == "christian").mean() - .50) < .02
    assert abs((white.religion == "none").mean() - .30) < .02
    assert abs((bme.religion == "muslim").mean() - .20) < .02
    assert abs((people.sexual_orientation == "1").mean() - .78) < .015
    assert abs((people.sexual_orientation == "Z").mean() - .14) < .015
    assert abs((people.marital_status == "M").mean() - .47) < .015


def test_division_bias_is_recovered_in_that_division_only(tables):
    hc = headcount(tables["workforce"])
    hc = hc.assign(fy=hc.snapshot_date.dt.year, g=group(hc.ethnic_category))
    cases = tables["disciplinary"][tables["disciplinary"].formal]
    cases = cases.assign(fy=cases.case_start_date.dt.year + (cases.case_start_date.dt.month > 3))
    m = cases.merge(hc[["person_id", "fy", "g", "org_l3"]], on=["person_id", "fy"], suffixes=("_case", ""))
    for division, expected in (("Surgery", 2.0), ("Medicine", 1.0), ("Corporate", 1.0)):
        at = hc[hc.org_l3 == division]
        ev = m[m.org_l3 == division]
        counts = ((ev.g == "BME").sum(), (at.g == "BME").sum(), (ev.g == "White").sum(), (at.g == "White").sum())
        rl, k = rl_within(*counts, expected)
        assert k < 3, (division, rl, counts)


def test_division_bias_is_parsed_recorded_and_refused_when_unknown(tmp_path):
    b = resolve({"disciplinary@Surgery": "2.0", "appointment@R0C": "1.5"})
    assert b.by_unit == {("disciplinary", "Surgery"): 2.0} and b.by_org == {("appointment", "R0C"): 1.5}
    with pytest.raises(BiasError, match="NAME@DIVISION with NAME one of disciplinary, capability"):
        resolve({"capability@": "2"})
    with pytest.raises(BiasError, match="NAME@ORG"):
        resolve({"training@Surgery": "2"})  # not a unit bias: read as an organisation's, refused
    with pytest.raises(BiasError, match="No division 'Cardiology'.*Surgery, Medicine"):
        build(staff=300, years=1, seed=1, bias={"disciplinary@Cardiology": 2.0})
    res = generate(tmp_path, staff=300, years=1, seed=1, esr=False, bias={"disciplinary@women and children": 2.0})
    truth = res.ground_truth
    assert truth["biases"]["disciplinary"]["by_division"] == {"Women and Children": 2.0}
    assert set(truth["hierarchy"]["people_in_post_by_division"]) == DIVISIONS
    assert sum(truth["hierarchy"]["people_in_post_by_division"].values()) == truth["sizes"]["people_in_post_by_org"]["R0A"]


def test_generated_esr_extract_imports_with_its_hierarchy_and_characteristics(tmp_path):
    from parity.ingest import import_file
    from parity.workspace import Workspace

    generate(tmp_path / "d", staff=300, years=1, seed=3)
    ws = Workspace.open(tmp_path / "ws", key_file=tmp_path / "k.key")
    result = import_file(ws, tmp_path / "d" / "esr" / "staff_in_post.csv", "workforce", preset="esr-staff-in-post")
    assert result.imported, result.errors
    with ws.connect() as con:
        got = con.execute("SELECT org_l3, religion, sexual_orientation, marital_status FROM workforce").df()
    assert set(got.org_l3) <= DIVISIONS and got.org_l3.notna().all()
    assert set(got.religion) <= {"none", "christian", "buddhist", "hindu", "jewish", "muslim", "sikh", "other",
                                 "not_stated", "unknown"}
    assert set(got.sexual_orientation) <= {"1", "2", "3", "4", "U", "Z", "9"}
    assert np.isin(got.marital_status, list("SMDWPN89")).all()
