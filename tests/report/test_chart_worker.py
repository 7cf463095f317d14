"""Issue 19: charts drawn ahead in a worker process (`parity.report.chart_worker`) while the report is
computed. Every chart the report draws must come from the worker (none drawn again in process), and
each must be the same SVG the report draws without the worker; when the worker fails, the charts are
drawn in process, the same."""

from __future__ import annotations

import pytest
import vl_convert

from parity.report import charts
from parity.report.chart_worker import background_charts
from parity.report.pages import build_pages, chart_specs

from .conftest import report_for


def _svgs(pages) -> dict[str, str]:
    found = {c.key: c.svg for c in pages.summary_charts}
    found.update({c.key: c.svg for s in pages.all_sections for c in s.charts})
    return found


def test_the_worker_draws_every_chart_and_the_same_svg(trust, monkeypatch):
    with background_charts() as worker:
        assert worker is not None
        report = report_for(trust)  # build_report sends the specs as soon as it has them
        with monkeypatch.context() as m:  # nothing may be drawn in process now
            m.setattr(vl_convert, "vegalite_to_svg", lambda *_a, **_k: pytest.fail("drawn in process"))
            ahead = _svgs(build_pages(report))
    local = _svgs(build_pages(report))  # no worker: every chart drawn in process, as before
    assert len(local) >= 8  # distributions, trends, pay gap quarters and bands, the forest plot
    assert ahead == local
    assert all(svg.startswith("<svg role=\"img\"") for svg in ahead.values())


def test_chart_specs_are_the_specs_build_pages_draws(report):
    drawn = [c.spec for c in build_pages(report).summary_charts]
    drawn += [c.spec for s in build_pages(report).all_sections for c in s.charts]
    assert sorted(map(repr, chart_specs(report))) == sorted(map(repr, drawn))


def test_a_failed_worker_leaves_the_charts_to_the_report(report):
    local = _svgs(build_pages(report))
    with background_charts() as worker:
        worker._proc.kill()  # the worker dies before it draws anything
        for spec in chart_specs(report):
            worker.submit(spec)
        assert _svgs(build_pages(report)) == local


def test_specs_only_draws_nothing(monkeypatch):
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda *_a, **_k: pytest.fail("drawn"))
    with charts.specs_only() as specs:
        chart = charts.within_band_chart("b", [{"pay_band": "5", "mean_gap": 3.2}])
    assert chart.svg == "" and specs == [chart.spec]
    assert specs[0]["data"]["values"] == [{"band": "5", "gap": 3.2}]


def test_the_pdf_needs_only_the_forest_plot(report):
    """write_report sends the PDF off before the sections' charts are drawn: the board pack must be the
    same document without them, and the HTML report's charts the same once they are added."""
    from parity.report.pages import attach_section_charts
    from parity.report.pdf import pdf_document

    full, lean_pages = build_pages(report), build_pages(report, section_charts=False)
    assert lean_pages.summary_charts and not any(s.charts for s in lean_pages.all_sections)
    assert pdf_document(report, lean_pages) == pdf_document(report, full)
    assert _svgs(attach_section_charts(lean_pages)) == _svgs(full)


def test_the_forest_plot_is_sent_first(report):
    assert chart_specs(report)[0]["title"].startswith("Relative likelihoods")
