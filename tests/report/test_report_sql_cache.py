"""The report counts WRES and WDES from the compiled-SQL cache on a DuckDB workspace (issue 19), as
`parity wres` does, and its results are those of the Ibis path, including tables the workspace lacks
(the trust here has no survey or board: empty count frames)."""

from __future__ import annotations

import pytest

import parity.standards.wdes.api as wdes_api
import parity.standards.wres.api as wres_api
from parity.report.release import standard_results


@pytest.fixture
def workspace(trust, tmp_path):
    return trust.workspace(tmp_path / "ws")


def _dicts(name, path):
    results, orgs = standard_results(name, path, first=2021, last=2025)
    return {key: r.to_dict() for key, r in results.items()}, orgs, {
        key: getattr(r, "disclosure_one_year", None) for key, r in results.items()}


@pytest.mark.parametrize("name", ["wres", "wdes"])
def test_cached_counts_give_the_ibis_results(workspace, name, monkeypatch):
    monkeypatch.setenv("PARITY_SQL_CACHE", "0")
    ibis_path = _dicts(name, workspace)
    monkeypatch.setenv("PARITY_SQL_CACHE", "1")
    first = _dicts(name, workspace)  # compiles through Ibis and stores the SQL
    assert (workspace / "sql-cache").is_dir()

    def no_ibis(*args, **kwargs):
        raise AssertionError("counted through Ibis although the compiled SQL is cached")

    monkeypatch.setattr(wres_api, "count_wres", no_ibis)
    monkeypatch.setattr(wdes_api, "count_wdes", no_ibis)
    replayed = _dicts(name, workspace)
    assert ibis_path[0] and ibis_path == first == replayed
