"""Protection on a second core (issue 18, "Scale"; `parity.disclosure.parallel`): a release solved by
this process and a helper process publishes exactly what one process publishes, whatever the helper
does (answers, dies, or cannot take a piece)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading

import pytest
from reference_checks import release_of

from parity.disclosure import DisclosureRule, parallel
from parity.report.release import standard_results
from parity.synth.api import build as synth
from parity.synth.stored import connect

RULE = DisclosureRule()


@pytest.fixture(scope="module")
def region():
    """WRES and WDES of four generated organisations and all organisations over two years: two
    components (a year each) of many blocks."""
    con = connect(synth(staff=400, years=2, orgs=4, seed=23, last_year=2025))
    return {name: standard_results(name, con, years=[2024, 2025])[0] for name in ("wres", "wdes")}


@pytest.fixture(scope="module")
def alone(region):
    """The release protected by one process."""
    saved = os.environ.get(parallel.PROCESSES_ENV)
    os.environ[parallel.PROCESSES_ENV] = "1"
    try:
        return protect(region)
    finally:
        os.environ.pop(parallel.PROCESSES_ENV)
        if saved is not None:
            os.environ[parallel.PROCESSES_ENV] = saved


def protect(results) -> dict:
    return release_of(results, RULE).protect()


@pytest.fixture
def helped(monkeypatch):
    """Every release gets a helper (however small), and the helpers started are kept to look at."""
    monkeypatch.setenv(parallel.PROCESSES_ENV, "2")
    monkeypatch.setattr(parallel, "MIN_RESULTS", 0)
    started: list[parallel.Helper] = []
    real = parallel.Helper.start.__func__

    def start(cls):
        helper = real(cls)
        started.append(helper)
        return helper

    monkeypatch.setattr(parallel.Helper, "start", classmethod(start))
    return started


def test_a_release_protected_with_a_helper_publishes_what_one_process_publishes(region, alone, helped):
    together = protect(region)
    assert len(helped) == 1 and helped[0].answered > 0  # the helper solved part of it
    assert together == alone
    assert sum(v is None for doc in alone.values() if doc for ind in doc["indicators"]
               for v in (ind.get("value"),)) > 0  # something was withheld: the decisions were exercised
    assert not helped[0].alive and helped[0]._proc.wait(timeout=30) == 0  # and it ends with the release


def test_a_helper_that_dies_loses_nothing(region, alone, helped, monkeypatch):
    def dying(cls):  # reads the first job's length, then exits without answering
        proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.buffer.read(8); sys.exit(3)"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        helped.append(cls(proc))
        return helped[-1]

    monkeypatch.setattr(parallel.Helper, "start", classmethod(dying))
    assert protect(region) == alone
    assert helped[-1].answered == 0 and not helped[-1].alive


def test_share_keeps_the_order_and_each_failure_in_its_place(helped):
    items = [4.0, -1.0, 9.0, 16.0, -4.0, 25.0, 36.0, 49.0]
    with parallel.helping(1) as helper:
        got = parallel.share(math.sqrt, items, costs=[1, 1, 30, 1, 50, 2, 1, 1])
        assert helper.answered > 0  # the heaviest (-4.0) went to the helper at once
    assert [v for failed, v in got if not failed] == [2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    assert [i for i, (failed, v) in enumerate(got) if failed] == [1, 4]
    assert all(isinstance(v, ValueError) for failed, v in got if failed)
    assert "protection helper process" in got[4][1].__notes__[0]  # where it was raised, for a bug report


def test_a_piece_that_cannot_be_sent_is_solved_here(helped):
    with parallel.helping(1):
        got = parallel.share(lambda x: x + 1, [1, 2, 3], costs=[3, 2, 1])  # a lambda does not pickle
    assert got == [(False, 2), (False, 3), (False, 4)]


def test_no_helper_for_a_small_release_one_core_or_when_turned_off(monkeypatch):
    monkeypatch.setenv(parallel.PROCESSES_ENV, "2")
    with parallel.helping(parallel.MIN_RESULTS - 1) as helper:
        assert helper is None
    monkeypatch.setenv(parallel.PROCESSES_ENV, "1")
    with parallel.helping(10 ** 6) as helper:
        assert helper is None
    monkeypatch.delenv(parallel.PROCESSES_ENV)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0})
    assert parallel.wanted_processes() == 1
    monkeypatch.setenv(parallel.PROCESSES_ENV, "two")
    with pytest.raises(ValueError, match="PARITY_PROTECT_PROCESSES='two'"):
        parallel.wanted_processes()


def test_each_thread_has_its_own_helper(helped):
    seen = {}

    def protect_in_thread(name):
        with parallel.helping(1) as helper:
            seen[name] = helper
            barrier.wait()

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=protect_in_thread, args=(n,)) for n in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen["a"] is not None and seen["b"] is not None and seen["a"] is not seen["b"]


def test_later_runs_on_the_helper_or_here(helped):
    with parallel.helping(1) as helper:
        value = parallel.later(math.sqrt, 16.0)  # sent at once: the helper holds nothing else
        failing = parallel.later(math.sqrt, -1.0)  # the helper's next, or here if asked for first
        assert value() == 4.0 and helper.answered >= 1  # the helper may have answered both by now
        with pytest.raises(ValueError):
            failing()
    assert parallel.later(math.sqrt, 9.0)() == 3.0  # no helper: run when asked
