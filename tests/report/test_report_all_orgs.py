"""`parity report --all-orgs` (issue 19): one report per organisation from one counting pass, each the
same as `parity report --org ORG`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import parity.report.release as release
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
        # R0B: 13 cases of people in no workforce snapshot (a data-quality note in its report only)
        con.execute("INSERT INTO disciplinary SELECT * REPLACE ('GHOST' || case_id AS person_id, case_id || 'g' AS "
                    "case_id) FROM disciplinary WHERE org_code = 'R0B'")
    return ws


def test_every_report_is_the_single_report_and_each_standard_is_counted_once(region, tmp_path, monkeypatch):
    """One counting pass: each standard counted once, each pay gap comparison of every unit computed
    once, every organisation's "Change over time" from one grouped count per measure and each "How we
    compare" indicator scored once (issue 19); each report's figures, HTML, CSV and Excel the same as
    a report for that organisation alone (`--all-orgs` leaves out the bias explorer's scan, a run of
    its own per organisation)."""
    import importlib

    import openpyxl

    import parity.paygap.api as paygap_api
    import parity.spc.build as spc_build
    from parity.report import write_report
    from parity.spc.published import REPORT_SERIES

    benchmark_compare = importlib.import_module("parity.benchmark.compare")  # the package has a compare()
    calls, levels, counted = [], [], {"spc": 0, "every": 0, "score": 0, "protect": 0}
    real, real_paygap = release.standard_results, paygap_api.paygap
    monkeypatch.setattr(release, "standard_results", lambda name, *a, **k: calls.append(name) or real(name, *a, **k))
    monkeypatch.setattr(paygap_api, "paygap", lambda *a, **k: (levels.append(k["by"]) if k.get("n_resamples") == 1
                                                              else None) or real_paygap(*a, **k))

    def count(name, fn):
        def run(*a, **k):
            counted[name] += 1
            return fn(*a, **k)
        return run

    monkeypatch.setattr("parity.spc.spc", count("spc", spc_build.spc))
    monkeypatch.setattr("parity.spc.spc_every_org", count("every", spc_build.spc_every_org))
    monkeypatch.setattr(benchmark_compare, "score", count("score", benchmark_compare.score))
    import parity.disclosure.paygap as protect_module

    real_levels = protect_module.protect_paygap_levels

    def levels_counted(results, *a, **k):  # several units together (the gender pay gap is one unit's, statutory)
        counted["protect"] += len(results) > 1
        return real_levels(results, *a, **k)

    monkeypatch.setattr(protect_module, "protect_paygap_levels", levels_counted)
    monkeypatch.setattr("parity.report.explorer.report_scan", lambda *a, **k: None)  # not under --all-orgs
    shared: dict = {}
    # WRES and pay gaps: WDES's engagement score means vary in their last digits between two counts
    # on main too (DuckDB sums them in parallel), so they cannot be compared exactly across runs
    standards = ("wres", "paygap")
    together = {o: build_report(region.path, year=2025, org=o, standards=standards, release_cache=shared)
                for o in ORGS}
    # counted once for all three organisations; WDES too, as WRES is protected together with it
    assert calls == ["wres", "wdes"]
    # each pay gap comparison of every unit (all organisations and the three) computed once, not per report
    assert sorted(levels) == ["disability"] * 4 + ["ethnicity"] * 4
    assert counted["spc"] == 0 and counted["every"] == len(REPORT_SERIES)  # once per measure, not per report
    scored, protected = counted["score"], counted["protect"]
    # each comparison of every unit protected together once for all the reports, not once per report
    assert 0 < protected == sum(1 for key, (inputs, _out) in shared["paygap_protected"].items()
                                if key[0] == "results" and len(inputs) > 1)
    assert 0 < scored == sum(1 for d, _members, _origin in shared["compare"].values() if d is not None)
    for i, (org, report) in enumerate(together.items()):
        alone = build_report(region.path, year=2025, org=org, standards=standards)
        assert report.organisation == org and report.standards == alone.standards
        assert report.history == alone.history and report.trends == alone.trends
        assert report.paygap == alone.paygap and set(report.paygap) == {"sex", "ethnicity", "disability"}
        assert report.spc and report.spc == alone.spc
        assert report.compare and report.compare == alone.compare
        assert report.notes == alone.notes and any("GHOST" not in n and "13 disciplinary" in n
                                                   for n in report.notes) == (org == "R0B")
        if i == 2:
            continue  # two organisations' files are enough
        a = write_report(report, tmp_path / "together" / org, formats=["html", "csv", "xlsx"])
        b = write_report(alone, tmp_path / "alone" / org, formats=["html", "csv", "xlsx"])
        for fmt in ("html", "csv"):
            assert a[fmt].read_text(encoding="utf-8") == b[fmt].read_text(encoding="utf-8"), (org, fmt)
        books = [openpyxl.load_workbook(x["xlsx"]) for x in (a, b)]
        assert books[0].sheetnames == books[1].sheetnames
        for name in books[0].sheetnames:
            cells = [[tuple(c.value for c in row) for row in book[name].iter_rows()] for book in books]
            assert cells[0] == cells[1], (org, name)
    assert len(calls) == 2 * (1 + len(ORGS))  # WDES too: WRES is protected together with it
    assert counted["spc"] == len(ORGS) * len(REPORT_SERIES) and counted["score"] > scored  # alone: their own


def test_cli_writes_html_per_organisation_and_the_national_summary(region, tmp_path, monkeypatch):
    from datetime import date

    from parity.report import write_report
    from parity.report.chart_worker import ChartWorker

    forgotten: list[int] = []
    real_forget = ChartWorker.forget
    monkeypatch.setattr(ChartWorker, "forget", lambda self: forgotten.append(1) or real_forget(self))
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["report", "--all-orgs", "--workspace", str(region.path), "--year", "2025",
                                   "--out", str(out), "--standards", "wres,wdes"])
    assert res.exit_code == 0, res.output
    for org in ORGS:
        assert [p.name for p in (out / org).iterdir()] == [f"report-{org}-2025.html"]
        assert org in (out / org / f"report-{org}-2025.html").read_text(encoding="utf-8")
    # the charts were drawn in the worker process, each report's dropped once written (issue 19), and
    # the HTML is the same as a report drawn in process (the bias explorer's scan is not in --all-orgs)
    assert len(forgotten) == len(ORGS)
    monkeypatch.setattr("parity.report.explorer.report_scan", lambda *a, **k: None)
    alone = build_report(region.path, year=2025, org="R0A", standards=("wres", "wdes"),
                         generated_on=date.today().isoformat())
    html = write_report(alone, tmp_path / "alone", formats=["html"])["html"].read_text(encoding="utf-8")
    assert html == (out / "R0A" / "report-R0A-2025.html").read_text(encoding="utf-8")
    assert (out / "national" / "national-2025.html").exists()
    bad = CliRunner().invoke(app, ["report", "--all-orgs", "--org", "R0A", "--workspace", str(region.path),
                                   "--year", "2025", "--out", str(out)])
    assert bad.exit_code != 0 and "--all-orgs" in bad.output
