"""The release gate: `write_report` audits what it is about to write and refuses a leaky report."""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path

import pytest

from parity.disclosure import DisclosureRule
from parity.disclosure.audit import ReleaseRefused, audit_report
from parity.report import build_report, write_report

_spec = importlib.util.spec_from_file_location("_report_trust", Path(__file__).parents[1] / "report" / "conftest.py")
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)


@pytest.fixture(scope="module")
def report():
    return build_report(_mod.make_trust().connect(), year=2025, rule=DisclosureRule(), standards=("wres",))


def wres3(report) -> dict:
    return next(i for i in report.standards["WRES"]["indicators"] if i["id"] == "wres.3")


def test_a_protected_report_passes(report):
    assert audit_report(report) == []


def test_a_small_count_put_back_is_refused_and_named(report, tmp_path):
    leaky = copy.deepcopy(report)
    wres3(leaky)["groups"]["BME"]["numerator"] = 1  # the one BME case of the trust
    with pytest.raises(ReleaseRefused, match=r"WRES\.indicators\[2\]\.groups\.BME\.numerator shows 1"):
        write_report(leaky, tmp_path, formats=("csv",))
    assert not list(tmp_path.iterdir())  # nothing written


def test_a_sentence_quoting_a_small_count_is_refused(report, tmp_path):
    leaky = copy.deepcopy(report)
    wres3(leaky)["narrative"] = "1 of 40 BME staff entered the formal disciplinary process."
    with pytest.raises(ReleaseRefused, match=r"quotes \"1 of 40\""):
        write_report(leaky, tmp_path, formats=("html",))


def test_a_result_not_from_the_release_is_refused(report, tmp_path):
    leaky = copy.deepcopy(report)
    del leaky.standards["WRES"]["disclosure"]["protected"]
    with pytest.raises(ReleaseRefused, match="not from the protected release"):
        write_report(leaky, tmp_path, formats=("csv",))


def test_the_unsuppressed_analyst_report_is_not_gated(tmp_path):
    raw = build_report(_mod.make_trust().connect(), year=2025, rule=DisclosureRule(), standards=("wres",),
                       unsuppressed=True)
    assert audit_report(raw) == []
    assert write_report(raw, tmp_path, formats=("csv",))["csv"].exists()
