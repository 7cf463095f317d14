"""Issue 19: `parity report` computes its pay gaps in a forked child (`parity.report.paygap_worker`)
while it computes the other sections. The report must be the same — the protected pay gaps, their
notes, the bootstrap intervals to the bit — and must come from the child (not computed again); if the
child dies, the report computes them itself, the same."""

from __future__ import annotations

import json

import duckdb
import pytest

import parity.report.build as build
from parity.disclosure import DisclosureRule
from parity.report.paygap_worker import paygap_in_parallel
from parity.workspace import Workspace

from .conftest import YEAR, make_trust


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    trust = make_trust()
    ws = Workspace.open(tmp_path_factory.mktemp("paygap-worker") / "ws")
    con = duckdb.connect(str(ws.db_path))
    for table in trust.rows:
        frame = trust.frame(table)  # noqa: F841 (read by DuckDB by name)
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM frame")
    con.close()
    return ws.path


def _report(workspace):
    return build.build_report(workspace, year=YEAR, rule=DisclosureRule(), paygap_resamples=200)


def _same(report) -> str:
    return json.dumps({"paygap": report.paygap, "notes": report.notes}, sort_keys=True, default=repr)


@pytest.fixture(scope="module")
def in_process(workspace):
    report = _report(workspace)
    assert report.paygap["sex"]["bootstrap_intervals"]  # the bootstrap ran: its bits are compared too
    return _same(report)


def test_the_child_computes_the_same_pay_gaps(workspace, in_process, monkeypatch):
    with paygap_in_parallel() as child:
        assert child is not None
        # forked above, so the child still has the real one; this process must not compute them
        monkeypatch.setattr(build, "_add_paygap", lambda *_a, **_k: pytest.fail("pay gaps computed in process"))
        report = _report(workspace)
        assert child.sent
    assert _same(report) == in_process
    assert set(report.paygap) == {"sex", "ethnicity", "disability"}
    assert not child._proc.is_alive()


def test_a_dead_child_leaves_the_pay_gaps_to_the_report(workspace, in_process):
    with paygap_in_parallel() as child:
        child._proc.kill()
        child._proc.join()
        report = _report(workspace)
    assert _same(report) == in_process


def test_an_unused_child_ends_with_the_block():
    with paygap_in_parallel() as child:
        pass
    assert not child._proc.is_alive()


def test_a_connection_is_not_sent_across_the_fork(trust, monkeypatch):
    with paygap_in_parallel() as child:
        report = build.build_report(trust.connect(), year=YEAR, rule=DisclosureRule(), paygap_resamples=50)
        assert not child.sent and report.paygap
