"""Issue 19: `parity report` computes its pay gaps and its scan's counts in a forked child
(`parity.report.ahead`) while it counts WRES and WDES. The report must be the same — the protected
pay gaps, their notes, the bootstrap intervals to the bit, the protected scan — and those parts must
come from the child (not computed again); if the child dies, or was started for another report, the
report computes them itself, the same."""

from __future__ import annotations

import json

import pytest

import parity.explore
import parity.report.ahead as ahead
import parity.report.build as build
import parity.report.pdf as pdf
from parity.disclosure import DisclosureRule
from parity.report.ahead import report_ahead
from parity.report.write import write_report

from .conftest import YEAR, make_trust


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    trust = make_trust()
    return trust.workspace(tmp_path_factory.mktemp("report-ahead") / "ws")


def _report(workspace, **kwargs):
    return build.build_report(workspace, year=YEAR, rule=DisclosureRule(), paygap_resamples=200, **kwargs)


def _ahead(workspace, **kwargs):
    return report_ahead(workspace, year=YEAR, org=kwargs.get("org"), rule=DisclosureRule(), resamples=200,
                        pdf=kwargs.get("pdf", False))


def _same(report) -> str:
    return json.dumps({"paygap": report.paygap, "notes": report.notes, "explore": report.explore},
                      sort_keys=True, default=repr)


@pytest.fixture(scope="module")
def in_process(workspace):
    report = _report(workspace)
    assert report.paygap["sex"]["bootstrap_intervals"]  # the bootstrap ran: its bits are compared too
    assert (report.explore or {}).get("findings")  # the scan ran and was protected
    return _same(report)


def _nothing_here(monkeypatch):
    """After the fork: this process must not compute the pay gaps, count the scan or the unmatched cases."""
    monkeypatch.setattr(build, "_add_paygap", lambda *_a, **_k: pytest.fail("pay gaps computed in process"))
    monkeypatch.setattr(build, "unmatched_case_notes", lambda *_a, **_k: pytest.fail("notes counted in process"))
    monkeypatch.setattr(parity.explore, "explore", lambda *_a, **_k: pytest.fail("scan counted in process"))


@pytest.mark.parametrize("org", [None, "RXX"])
def test_the_child_computes_the_same_pay_gaps_and_scan(workspace, in_process, monkeypatch, org):
    expected = in_process if org is None else _same(_report(workspace, org=org))
    with _ahead(workspace, org=org) as child:
        assert child is not None
        _nothing_here(monkeypatch)  # the child was forked above and still has the real ones
        report = _report(workspace, org=org)
        assert child.used
    assert _same(report) == expected
    assert set(report.paygap) == {"sex", "ethnicity", "disability"}
    assert report.explore["disclosure"]["protected"]  # protected in this process, as before
    assert not child._proc.is_alive()


def test_a_dead_child_leaves_everything_to_the_report(workspace, in_process):
    with _ahead(workspace) as child:
        child._proc.kill()
        child._proc.join()
        report = _report(workspace)
    assert _same(report) == in_process


def test_a_child_for_another_report_is_not_used(workspace, monkeypatch):
    with report_ahead(workspace, year=YEAR - 1, org=None, rule=DisclosureRule(), resamples=200) as child:
        report = _report(workspace)
        assert not child.used and report.paygap
    assert not child._proc.is_alive()


def test_a_connection_is_not_sent_across_the_fork(trust, workspace):
    with _ahead(workspace) as child:
        report = build.build_report(trust.connect(), year=YEAR, rule=DisclosureRule(), paygap_resamples=200)
        assert not child.used and report.paygap


def test_a_failed_part_is_computed_in_process(workspace, in_process, monkeypatch):
    def fails(_source):
        raise RuntimeError("the child cannot read the organisations")

    monkeypatch.setattr(ahead, "_only_organisation", fails)  # before the fork: the child fails
    with _ahead(workspace) as child:
        report = _report(workspace)
        assert child.used
    assert _same(report) == in_process


@pytest.fixture(scope="module")
def pdf_in_process(workspace, tmp_path_factory):
    path = write_report(_report(workspace), tmp_path_factory.mktemp("pdf-here"), formats=["pdf"])["pdf"]
    return path.read_bytes()


def test_the_child_writes_the_same_pdf(workspace, pdf_in_process, tmp_path, monkeypatch):
    with _ahead(workspace, pdf=True) as child:
        report = _report(workspace)
        monkeypatch.setattr(pdf, "render_pdf", lambda *_a, **_k: pytest.fail("PDF laid out in process"))
        paths = write_report(report, tmp_path, formats=["html", "pdf", "xlsx", "csv"])
        assert child.pdf_sent
    assert list(paths)[:3] == ["html", "pdf", "xlsx"]  # the order the formats were always returned in
    assert paths["pdf"].read_bytes() == pdf_in_process


def test_a_dead_child_leaves_the_pdf_to_the_report(workspace, pdf_in_process, tmp_path):
    with _ahead(workspace, pdf=True) as child:
        report = _report(workspace)
        child._proc.kill()
        child._proc.join()
        paths = write_report(report, tmp_path, formats=["pdf"])
    assert paths["pdf"].read_bytes() == pdf_in_process
