"""`parity report --all-orgs` (issue 19): one report per organisation from one counting pass, each the
same as `parity report --org ORG`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import parity.report.build as build
from parity.cli import app
from parity.report import build_report
from parity.synth import build as synth
from parity.synth.stored import stored_tables
from parity.workspace import Workspace

ORGS = ["R0A", "R0B", "R0C"]


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    ws = Workspace.open(tmp_path_factory.mktemp("region") / "ws", create=True)
    with ws.connect() as con:
        for name, frame in stored_tables(synth(staff=1500, years=2, orgs=3, seed=11)).items():
            con.register("t", frame)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM t')
            con.unregister("t")
    return ws


def test_every_report_is_the_single_report_and_each_standard_is_counted_once(region, monkeypatch):
    import parity.paygap.api as paygap_api

    calls, levels = [], []
    real, real_paygap = build.standard_results, paygap_api.paygap
    monkeypatch.setattr(build, "standard_results", lambda name, *a, **k: calls.append(name) or real(name, *a, **k))
    monkeypatch.setattr(paygap_api, "paygap", lambda *a, **k: (levels.append(k["by"]) if k.get("n_resamples") == 1
                                                              else None) or real_paygap(*a, **k))
    shared: dict = {}
    # WRES and pay gaps: WDES's engagement score means vary in their last digits between two counts
    # on main too (DuckDB sums them in parallel), so they cannot be compared exactly across runs
    together = {o: build_report(region.path, year=2025, org=o, standards=("wres", "paygap"), release_cache=shared)
                for o in ORGS}
    assert calls == ["wres"]  # counted once for all three organisations
    # each pay gap comparison of every unit (all organisations and the three) computed once, not per report
    assert sorted(levels) == ["disability"] * 4 + ["ethnicity"] * 4
    for org, report in together.items():
        alone = build_report(region.path, year=2025, org=org, standards=("wres", "paygap"))
        assert report.organisation == org and report.standards == alone.standards
        assert report.history == alone.history and report.trends == alone.trends
        assert report.paygap == alone.paygap and set(report.paygap) == {"sex", "ethnicity", "disability"}
    assert len(calls) == 1 + len(ORGS)


def test_cli_writes_html_per_organisation_and_the_national_summary(region, tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["report", "--all-orgs", "--workspace", str(region.path), "--year", "2025",
                                   "--out", str(out), "--standards", "wres,wdes"])
    assert res.exit_code == 0, res.output
    for org in ORGS:
        assert [p.name for p in (out / org).iterdir()] == [f"report-{org}-2025.html"]
        assert org in (out / org / f"report-{org}-2025.html").read_text(encoding="utf-8")
    assert (out / "national" / "national-2025.html").exists()
    bad = CliRunner().invoke(app, ["report", "--all-orgs", "--org", "R0A", "--workspace", str(region.path),
                                   "--year", "2025", "--out", str(out)])
    assert bad.exit_code != 0 and "--all-orgs" in bad.output
