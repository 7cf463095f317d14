"""WRES and WDES as one release (issue 10 leak 12, `parity.disclosure.across`): which figures are linked,
that the leak's subtraction is closed (checked by hand here; the LP attack is
`tests/disclosure/attack/test_leak_across_standards.py`), and that every channel publishes the same cells."""

from __future__ import annotations

from datetime import date

import pytest

from parity.disclosure import DisclosureRule
from parity.disclosure.release import Release
from parity.report.release import protect_standards, protected_release, protected_standards, standard_results

YEAR = 2025


def _trust(trust):
    """RXR: 70 staff (20 White and 10 BME Disabled); 3 White and 25 BME shortlisted, none appointed."""
    for i, (eth, n) in enumerate((("A", 40), ("H", 30))):
        for year in (2024, 2025):
            for j in range(n):
                trust.add("workforce", person_id=f"P{i}-{j}", org_code="RXR", snapshot_date=date(year, 3, 31),
                          ethnic_category=eth, disability="yes" if j < (20 if i == 0 else 10) else "no",
                          pay_band="5" if j < 25 else "6")
    trust.add("applications", 3, org_code="RXR", application_date=date(2024, 6, 1), ethnic_category="A",
              disability="no", appointed=False)
    trust.add("applications", 25, org_code="RXR", application_date=date(2024, 6, 1), ethnic_category="M",
              disability="no", appointed=False)
    return trust


@pytest.fixture(scope="module")
def counted():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("across_trust", Path(__file__).parents[1] / "conftest.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    trust = _trust(mod.Trust())
    con = trust.connect()
    return con, {name: standard_results(name, con, years=[YEAR])[0] for name in ("wres", "wdes")}, trust


def _indicator(doc, ind_id):
    return next(i for i in doc["indicators"] if i["id"] == ind_id)


def _links(results: dict) -> set[str]:
    release = Release(DisclosureRule())
    for name, found in results.items():
        for (unit, year), r in found.items():
            release.add(r if isinstance(r, dict) else r.to_dict(), year=year, unit=unit, standard=name)
    joint, _ = release._system(list(release.results))
    return {s.name.split(":", 2)[2] for s in joint.specs if s.name.endswith("=WDES")}


def test_the_shared_totals_are_linked_and_nothing_else(counted):
    _con, results, _trust = counted
    links = _links(results)
    assert {"indicators.wres.1.rows.5/True.total=WDES", "indicators.wres.1.rows.6/True.total=WDES",
            "indicators.wres.2.data_quality.total=WDES", "indicators.wres.2.groups.*.denominator=WDES",
            "indicators.wres.2.groups.*.numerator=WDES", "indicators.wres.1.groups.*.numerator=WDES",
            "indicators.wres.3.groups.*.denominator=WDES"} <= links
    # WRES 3 counts disciplinary cases and WDES 3 capability cases: their sums are never linked
    assert not any(name.startswith("indicators.wres.3.groups.*.numerator") for name in links)
    # only WRES / WDES pairs counting the same people: no training (WRES 4), no unknown counts
    assert not any("wres.4" in name or "unknown_count" in name for name in links)


def test_figures_that_differ_are_not_linked(counted):
    _con, results, _trust = counted
    wdes = {key: r.to_dict() for key, r in results["wdes"].items()}
    doc = wdes[(("RXR",), YEAR)]
    two = _indicator(doc, "wdes.2")  # another definition: one more applicant in WDES 2
    two["data_quality"]["total"] += 1
    two["groups"]["Non-disabled"]["denominator"] += 1
    links = _links({"wres": results["wres"], "wdes": wdes})
    assert "indicators.wres.2.data_quality.total=WDES" not in links
    assert "indicators.wres.2.groups.*.denominator=WDES" not in links
    assert "indicators.wres.2.groups.*.numerator=WDES" in links  # still 0 appointed in both


def test_the_subtraction_of_the_leak_is_closed(counted):
    """Hand check of leak 12: White shortlisted = (WDES 2's total, or its groups summed) − WRES 2's BME
    − WRES 2's Unknown. With White's 3 withheld, no such difference may be printed whole."""
    _con, results, _trust = counted
    for name, docs in ((n, d[(("RXR",), YEAR)]) for n, d in protect_standards(results, DisclosureRule()).items()):
        assert docs["disclosure"]["protected"] is True, name
    both = protect_standards(results, DisclosureRule())
    wres, wdes = (_indicator(both[n][(("RXR",), YEAR)], i) for n, i in (("wres", "wres.2"), ("wdes", "wdes.2")))
    raw = _indicator(results["wres"][(("RXR",), YEAR)].to_dict(), "wres.2")
    assert raw["groups"]["White"]["denominator"] == 3 and wres["groups"]["White"]["denominator"] is None
    wdes_total = [wdes["data_quality"]["total"]]
    if all(g["denominator"] is not None for g in wdes["groups"].values()):
        wdes_total.append(sum(g["denominator"] for g in wdes["groups"].values()))
    rest = [wres["groups"][g]["denominator"] for g in ("BME", "Unknown")]
    assert all(t is None for t in wdes_total) or None in rest, (wdes_total, rest)
    # protected apart (before the fix), WDES printed the 28 and WRES its BME 25 and Unknown 0
    apart = {n: protected_release(results[n], DisclosureRule())[(("RXR",), YEAR)] for n in ("wres", "wdes")}
    w, d = _indicator(apart["wres"], "wres.2"), _indicator(apart["wdes"], "wdes.2")
    assert d["data_quality"]["total"] - w["groups"]["BME"]["denominator"] - w["groups"]["Unknown"]["denominator"] == 3


def test_one_standard_alone_is_protected_as_before(counted):
    _con, results, _trust = counted
    assert protect_standards({"wres": results["wres"]}, DisclosureRule())["wres"] == protected_release(
        results["wres"], DisclosureRule())


def test_every_channel_publishes_the_same_cells(counted, tmp_path):
    """The report, `parity wres|wdes --protected`, the dashboard's release and the meeting agenda's."""
    from parity.actions.agenda import both_standards
    from parity.commands.standards import published
    from parity.report.build import TREND_YEARS, build_report
    from parity.web.results import Results

    _con, _results, trust = counted
    path = trust.workspace(tmp_path / "ws")
    joint = protected_standards(path, DisclosureRule(), first=YEAR - TREND_YEARS + 1, last=YEAR)
    report = build_report(path, year=YEAR, org="RXR", standards=("wres", "wdes"), paygap_resamples=1)
    web = Results(path, DisclosureRule())
    agenda = both_standards(path, DisclosureRule())
    assert _indicator(joint["wres"][2][(("RXR",), YEAR)], "wres.2")["groups"]["White"]["denominator"] is None
    for name in ("wres", "wdes"):
        doc = joint[name][2][(("RXR",), YEAR)]
        assert report.standards[name.upper()] == doc
        assert published(name, path, YEAR, "RXR", None) == doc
        assert web.standard("RXR", YEAR, name.upper()) == doc
        assert agenda(name.upper())[0][(("RXR",), YEAR)] == doc
