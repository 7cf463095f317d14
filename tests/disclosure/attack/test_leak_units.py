"""Issue 17: units as a linked margin. A small unit rolls up into "Other units in <org>", and the
organisation's published figures minus the other units' give nothing back.

RXU: Surgery 50 White (20 on non-mandatory training) and 30 BME (15); Medicine the same; Research
3 White (1) and 3 BME (1), under 30 people (two of each group in each division disciplined), so rolled up as "Other units in RXU". The attacker holds
the organisation's published WRES and WDES and every unit's (the BME staff are the Disabled staff:
WDES repeats WRES's small groups), knows the organisation = the sum of its units and that both
standards count the same staff (issue 10 leak 12: the units are protected with both standards), and tries every count of 1–9 people in the raw results (the rolled-up unit's BME 1 of 3, its 2
untrained, …) by reading, arithmetic and differencing levels.
"""

from __future__ import annotations

import json

import pytest
from attack_audit import audit
from attack_model import ALL, Document
from attack_release import Release
from attack_trusts import Trust

from parity.disclosure import DisclosureRule
from parity.indicators.by_unit import unit_release, unit_results
from parity.standards.wdes.api import WdesConfig
from parity.standards.wres.api import WresConfig

SINGLE = WresConfig(disciplinary_period="single_year")
SINGLE_WDES = WdesConfig(capability_period="single_year")
OTHER = "Other units in RXU"


@pytest.fixture(scope="module")
def unit_attack():
    trust = Trust()
    for division, w, wt, b, bt in (("Surgery", 50, 20, 30, 15), ("Medicine", 50, 20, 30, 15), ("Research", 3, 1, 3, 1)):
        white = trust.staff(w, org_code="RXU", org_l3=division)
        bme = trust.staff(b, org_code="RXU", org_l3=division, ethnic_category="N", disability="yes")
        for p in white[:wt] + bme[:bt]:
            trust.add("training", person_id=p, org_code="RXU")
        for p in white[-2:] + bme[-2:]:  # two formal disciplinary cases in each group of each division
            trust.add("disciplinary", person_id=p, org_code="RXU")
    con = trust.connect()
    _, raw = unit_results("wres", con, level="division", year=2025, config=SINGLE)
    _, raw_wdes = unit_results("wdes", con, level="division", year=2025, config=SINGLE_WDES)
    # both standards of the units and the organisation in one release (issue 10 leak 12)
    published = unit_release("wres", con, raw, year=2025, config=SINGLE, others=raw_wdes, others_config=SINGLE_WDES)
    published_wdes = unit_release("wdes", con, raw_wdes, year=2025, config=SINGLE_WDES, others=raw,
                                  others_config=SINGLE)
    import parity

    docs = [Document(ALL, 2025, {"WRES": published[("RXU",)], "WDES": published_wdes[("RXU",)]},
                     {"WRES": parity.wres(con, year=2025, org="RXU", config=SINGLE).to_dict(),
                      "WDES": parity.wdes(con, year=2025, org="RXU", config=SINGLE_WDES).to_dict()})]
    docs += [Document(label, 2025, {"WRES": published[("RXU", label)], "WDES": published_wdes[("RXU", label)]},
                      {"WRES": raw[("RXU", label)].to_dict(), "WDES": raw_wdes[("RXU", label)].to_dict()})
             for (_, label) in raw]
    release = Release(docs, DisclosureRule())
    return release, audit(release, formats=False)


def test_the_small_unit_is_rolled_up_not_dropped_nor_named(unit_attack):
    release, _ = unit_attack
    names = {d.org for d in release.documents}
    assert names == {ALL, "Surgery", "Medicine", OTHER}
    assert all("Research" not in json.dumps(d.published) for d in release.documents)
    other = next(d for d in release.documents if d.org == OTHER)
    raw = next(i for i in other.raw["WRES"]["indicators"] if i["id"] == "wres.4")["groups"]["BME"]
    shown = next(i for i in other.published["WRES"]["indicators"] if i["id"] == "wres.4")["groups"]["BME"]
    assert (raw["numerator"], raw["denominator"]) == (1, 3) and shown["numerator"] is None


def test_subtracting_units_from_the_organisation_recovers_nothing(unit_attack):
    _, result = unit_attack
    summary = result.summary()
    print(f"\nunit release: {summary}")
    assert summary["cells_tried"] > 0  # the roll-up's small counts were tried
    assert [str(f) for f in result.findings] == [], json.dumps([str(f) for f in result.findings], indent=1)


def test_wres3_without_a_disciplinary_table_withholds_small_headcounts():
    from parity.report.release import protected_release, standard_results

    trust = Trust()
    trust.staff(3, org_code="RXZ")
    trust.staff(3, org_code="RXZ", ethnic_category="N")
    results, _ = standard_results("wres", trust.connect(), years=[2025], config=SINGLE)
    doc = protected_release(results, DisclosureRule())[(("RXZ",), 2025)]
    wres3 = next(i for i in doc["indicators"] if i["id"] == "wres.3")
    assert wres3["groups"]["BME"]["denominator"] is None
