"""Issue 12, item 10: the report does not fail whole when some figures cannot be protected.

Disciplinary cases of people with no workforce record (counted in Unknown, more cases than Unknown
staff) once stopped the report with "cannot protect indicators[2].groups.Unknown.numerator"; a
workspace with no workforce table with "HiGHS ... Infeasible". Now: what can be produced is
produced, an indicator that cannot be protected is withheld with a reason, and unmatched cases are
a data-quality note with their count.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from parity.disclosure import DisclosureRule
from parity.disclosure.audit import audit_report
from parity.report import build_report
from parity.synth.api import build
from parity.synth.stored import connect

_spec = importlib.util.spec_from_file_location("_shared_trust", Path(__file__).parents[1] / "conftest.py")
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
RULE = DisclosureRule()


def indicator(doc: dict, ind_id: str) -> dict:
    return next(i for i in doc["indicators"] if i["id"] == ind_id)


def trust_with_ghost_cases(ghosts: int):
    """40 BME staff (12 disciplined), 100 White (15 disciplined), and `ghosts` cases of people who
    are in no workforce snapshot."""
    t = _mod.Trust()
    ids = t.staff(40, ethnic_category="H") + t.staff(100, ethnic_category="A", pay_band="6")
    for pid in ids[:12] + ids[40:55]:
        t.add("disciplinary", person_id=pid)
    for i in range(ghosts):
        t.add("disciplinary", person_id=f"GHOST{i}")
    return t.connect()


def test_cases_without_a_workforce_record_do_not_stop_the_report():
    report = build_report(trust_with_ghost_cases(3), year=2025, rule=RULE, standards=("wres",))
    wres3 = indicator(report.standards["WRES"], "wres.3")
    # the two compared groups are publishable: 12 of 40 BME, 15 of 100 White
    assert wres3["groups"]["BME"]["numerator"] == 12 and wres3["groups"]["White"]["numerator"] == 15
    assert wres3["value"] is not None
    assert wres3["groups"]["Unknown"]["numerator"] is None  # 3 cases: withheld
    notes = [n for n in report.notes if "no workforce record" in n]
    assert len(notes) == 1 and "Fewer than 10" in notes[0] and "disciplinary" in notes[0]
    assert audit_report(report) == []


def test_many_unmatched_cases_are_counted_in_the_note():
    report = build_report(trust_with_ghost_cases(25), year=2025, rule=RULE, standards=("wres",))
    notes = [n for n in report.notes if "no workforce record" in n]
    assert len(notes) == 1 and "25 disciplinary" in notes[0]


def test_no_workforce_table_withholds_what_cannot_be_protected():
    """A generated trust without its workforce table (once: "HiGHS ... Infeasible", exit 2)."""
    tables = build(staff=800, years=2, orgs=1, seed=3, last_year=2025)
    tables.pop("workforce")
    report = build_report(connect(tables), year=2025, rule=RULE, standards=("wres", "wdes"))
    wres = report.standards["WRES"]
    assert indicator(wres, "wres.2")["value"] is not None  # recruitment does not need the workforce
    assert indicator(wres, "wres.1")["value"] is None       # no staff in post: nothing to show
    for doc in report.standards.values():
        for ind in doc["indicators"]:
            if ind.get("disclosure"):
                assert ind["disclosure"]["reason"]
    assert any("disciplinary cases" in n and "no workforce record" in n for n in report.notes)
    assert audit_report(report) == []
