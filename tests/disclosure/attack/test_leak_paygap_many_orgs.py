"""Issue 19: the pay gap comparisons of many organisations, protected block by block.

Six constructed organisations with a pay extract, each forcing small pay gap cells (1, 3 or 7
Disabled employees in the extract, 5 of unknown disability status, 2 Disabled employees in the
lowest quarter, ...), and all organisations: seven units, so the comparison and the within-band
table of every unit are solved by `parity.disclosure.modular` (at least `MIN_BLOCKS` blocks), not the
joint engine. The reports are built as ``parity report --all-orgs`` builds them (one shared
``release_cache``: each comparison of every unit protected once). The attacker holds every published
pay gap JSON and knows all organisations = the sum of the organisations, figure by figure; the
`linprog` attack must pin no count of 1 to 9 people.
"""

from __future__ import annotations

import json

import pytest
from attack_audit import audit
from attack_model import ALL, Document
from attack_release import RESAMPLES, Release
from attack_trusts import OrgPlan, build

from parity.disclosure import DisclosureRule
from parity.disclosure.modular import MIN_BLOCKS
from parity.paygap.api import paygap
from parity.report import build_report

PLANS = [OrgPlan("RP01", pay_disabled=1), OrgPlan("RP02", pay_disabled=3),
         OrgPlan("RP03", disability=(14, 5), pay_disabled=None), OrgPlan("RP04", pay_disabled=None),
         OrgPlan("RP05", pay_disabled=7), OrgPlan("RP06", disability=(14, 15), pay_disabled=None)]


@pytest.fixture(scope="module")
def pay_release():
    con = build(PLANS).connect()
    rule, cache, docs = DisclosureRule(), {}, []
    for org in [None, *(p.code for p in PLANS)]:
        report = build_report(con, year=2025, org=org, standards=("paygap",), rule=rule,
                              paygap_resamples=RESAMPLES, release_cache=cache)
        raw = {f"PAYGAP:{by}": paygap(con, year=2025, by=by, org=org, n_resamples=RESAMPLES).to_dict()
               for by in ("ethnicity", "disability")}
        docs.append(Document(org or ALL, 2025, {f"PAYGAP:{by}": pg for by, pg in report.paygap.items()}, raw))
    return Release(docs, rule)


def test_the_release_is_solved_block_by_block_and_withholds_small_cells(pay_release):
    assert len(PLANS) + 1 >= MIN_BLOCKS
    doc = {d.org: d for d in pay_release.documents}
    rp01, rp03 = doc["RP01"], doc["RP03"]
    assert rp01.raw["PAYGAP:disability"]["within_band"][0]["n_comparison"] == 1
    assert rp01.published["PAYGAP:disability"]["within_band"][0]["n_comparison"] is None
    assert rp03.raw["PAYGAP:disability"]["results"][0]["excluded"]["unknown"] == 5
    assert rp03.published["PAYGAP:disability"]["results"][0]["excluded"]["unknown"] is None


def test_many_organisations_pay_gaps_give_nothing_away(pay_release):
    result = audit(pay_release, formats=False)
    summary = result.summary()
    print(f"\nmany organisations' pay gaps: {summary}")
    assert summary["cells_tried"] >= 20  # the forced small cells were tried
    assert [str(f) for f in result.findings] == [], json.dumps([str(f) for f in result.findings], indent=1)
