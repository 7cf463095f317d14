"""The board report's "How we compare" (issue 18): one organisation of a region against the national
figure and the others, from the report's own protected release; none in an unsuppressed report."""

from __future__ import annotations

import pytest

from parity.report import build_report, write_report


@pytest.fixture(scope="module")
def region(tmp_path_factory, make_region):
    return make_region(tmp_path_factory.mktemp("report-region") / "ws", orgs=3, staff=2400, seed=8)


def test_how_we_compare_from_the_protected_release(region, tmp_path):
    report = build_report(region.path, year=2025, org="R0A", standards=["wres"])
    assert report.compare, "a region's organisation gets the section"
    by = {c["indicator"]: c for c in report.compare}
    assert {"wres.2", "wres.3", "wres.4"} <= set(by)
    mine = next(i for i in report.standards["WRES"]["indicators"] if i["id"] == "wres.2")["value"]
    assert mine is not None and by["wres.2"]["sentence"].startswith(f"R0A: {mine:.2f} against")
    assert by["wres.2"]["chart"] is not None and by["wres.2"]["organisations"] == 3
    html = (write_report(report, tmp_path, formats=["html"])["html"]).read_text(encoding="utf-8")
    section = html[html.index('id="how-we-compare"'):]
    section = section[:section.index("</section>")]
    assert "How we compare" in section and "R0B" not in section and "R0C" not in section


def test_no_section_unsuppressed_or_for_all_organisations(region):
    assert build_report(region.path, year=2025, org="R0A", standards=["wres"], unsuppressed=True).compare is None
    assert build_report(region.path, year=2025, standards=["wres"]).compare is None
