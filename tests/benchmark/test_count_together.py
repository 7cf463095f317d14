"""WRES and WDES counted at once, in two threads, on a large DuckDB workspace (issue 18, "Scale";
`parity.report.release.count_together`): the same results and protected figures as counting one
after the other, whichever of them has compiled SQL cached, and a standard without data still left
out (or its error raised when it is required)."""

from __future__ import annotations

import threading
import time

import pytest

import parity.report.release as release
from parity.disclosure import DisclosureRule, parallel
from parity.sqlcache import replay

RULE = DisclosureRule()


def counted(folder, **kwargs):
    """(results as dicts, organisations, protected docs) per standard, and the threads that counted."""
    seen: set[str] = set()
    real = release.standard_results

    def recording(name, *args, **kw):
        seen.add(threading.current_thread().name)
        out = real(name, *args, **kw)
        if name == "wres":  # WDES ends first: the release still adds WRES first
            time.sleep(0.5)
        return out

    release.standard_results = recording
    try:
        out = release.protected_standards(folder, RULE, years=[2025], restrict_years=True, **kwargs)
    finally:
        release.standard_results = real
    return {name: ({k: r.to_dict() for k, r in res.items()}, orgs, prot) for name, (res, orgs, prot) in out.items()}, seen


@pytest.fixture
def region(make_region, tmp_path):
    return make_region(tmp_path / "ws", orgs=3, staff=900, seed=5).path


@pytest.fixture
def large(monkeypatch):
    """Every workspace counts as large, on two cores."""
    monkeypatch.setattr(replay, "ONE_THREAD_ROWS", 0)
    monkeypatch.setenv(parallel.PROCESSES_ENV, "2")


def test_counting_together_gives_what_counting_in_turn_gives(region, large, monkeypatch):
    together, threads = counted(region)  # no SQL cached yet: both compile through Ibis at once
    assert threads == {"MainThread", "parity-count-wdes"}
    again, _ = counted(region)  # both replay their cached SQL at once
    (region / "sql-cache" / "wdes-years-2024-2025.sql.json").unlink()
    mixed, _ = counted(region)  # WRES replays while WDES compiles
    monkeypatch.setenv(parallel.PROCESSES_ENV, "1")  # one after the other
    alone, threads = counted(region)
    assert threads == {"MainThread"}
    assert together == alone and again == alone and mixed == alone
    assert list(together) == ["wres", "wdes"]
    assert any(v is None for doc in alone["wres"][2].values() for ind in doc["indicators"] for v in [ind["value"]])


def test_only_large_workspaces_on_two_cores_count_together(region, monkeypatch):
    assert release.count_together(region, "duckdb") is None  # a few thousand rows: in turn
    monkeypatch.setattr(replay, "ONE_THREAD_ROWS", 0)
    held = release.count_together(region, "duckdb")
    assert held is not None
    held.close()
    assert release.count_together(region, "spark") is None
    monkeypatch.setenv(parallel.PROCESSES_ENV, "1")
    assert release.count_together(region, "duckdb") is None


def test_a_standard_without_data_is_left_out_or_raised_when_required(region, large, monkeypatch):
    real = release.standard_results

    def no_wdes(name, *args, **kw):
        if name == "wdes":
            raise ValueError("no WDES data here")
        return real(name, *args, **kw)

    monkeypatch.setattr(release, "standard_results", no_wdes)
    out = release.protected_standards(region, RULE, years=[2025], restrict_years=True)
    assert list(out) == ["wres"]
    with pytest.raises(ValueError, match="no WDES data here"):
        release.protected_standards(region, RULE, years=[2025], restrict_years=True, required=("wdes",))

    def broken(name, *args, **kw):
        if name == "wdes":
            raise RuntimeError("a bug in counting")
        return real(name, *args, **kw)

    monkeypatch.setattr(release, "standard_results", broken)
    with pytest.raises(RuntimeError, match="a bug in counting"):
        release.protected_standards(region, RULE, years=[2025], restrict_years=True)
