"""`parity explore progression|retention --method survival`: JSON, table, protected view, errors."""

from __future__ import annotations

import json

import ibis
import pytest
import typer
from typer.testing import CliRunner

from parity.commands.explore import register

from .test_survival import _career


@pytest.fixture
def workspace(trust, tmp_path):
    for eth in ("A", "N"):
        _career(trust, eth, ["5", "6", "6", "6"], 10)
        _career(trust, eth, ["5", "5"], 10)
        _career(trust, eth, ["5", "5", "5", "6"], 10 if eth == "A" else 5)
        _career(trust, eth, ["5", "5", "5", "5"], 10 if eth == "A" else 15)
    _career(trust, "H", ["5", "6", "6", "6"], 3)  # Asian: 6 spells, below the threshold of 10
    _career(trust, "H", ["5", "5", "5", "5"], 3)
    con = ibis.duckdb.connect(str(tmp_path / "parity.duckdb"))
    for table in trust.rows:
        con.create_table(table, trust.frame(table))
    con.disconnect()
    return tmp_path


@pytest.fixture
def app():
    app = typer.Typer()
    register(app)
    return app


ARGS = ["explore", "progression", "--method", "survival", "--year", "2024", "--by", "ethnicity", "--band", "5",
        "--adjust", "none", "--min-cell", "5"]


def _run(app, workspace, *extra):
    result = CliRunner().invoke(app, [*ARGS, "-w", str(workspace), *extra])
    assert result.exit_code == 0, result.output
    return result


def test_json_fields(app, workspace):
    doc = json.loads(_run(app, workspace, "--format", "json").stdout)
    assert doc["kind"] == "progression" and doc["settings"]["method"] == "survival"
    assert doc["settings"]["adjust"] == [] and doc["settings"]["band"] == "5"
    assert doc["disclosure"]["protected"] is False
    black = next(f for f in doc["findings"] if f["group"] == {"ethnicity": "Black"})
    # Black: 40 spells, 10 promoted at 1 and 5 at 3; White: 40 spells, 10 at 1 and 10 at 3
    assert black["counts"] == {"events": 15, "n": 40, "reference_events": 20, "reference_n": 40}
    for key in ("median_years", "median_ci_low", "median_ci_high", "reference_median_years", "logrank_chi2",
                "logrank_p", "hazard_ratio", "ci_low", "ci_high", "p_value", "p_adjusted", "significant",
                "narrative", "follow_up_years"):
        assert key in black
    assert black["median_years"] is None and black["reference_median_years"] == 3
    assert black["hazard_ratio"] < 1 and black["ci_low"] < black["hazard_ratio"] < black["ci_high"]
    assert black["narrative"].startswith("Among band 5 staff, Black staff had not reached a median wait for "
                                         "promotion to band 6 within 3.0 years")
    assert "Black staff were promoted at" in black["narrative"]
    assert set(doc["tables"]) == {"groups", "curves", "logrank"}


def test_table(app, workspace):
    out = _run(app, workspace).stdout
    assert "Median years in band before promotion" in out and "White (reference)" in out
    assert "Among" in out and "Hazard ratios against the reference, adjusted for nothing" in " ".join(out.split())


def test_protected_view_withholds_small_groups_and_their_curves(app, workspace):
    doc = json.loads(_run(app, workspace, "--format", "json", "--protected").stdout)
    assert doc["disclosure"]["protected"] is True
    asian = next(f for f in doc["findings"] if f["group"] == {"ethnicity": "Asian"})
    assert asian["counts"]["n"] is None and asian["hazard_ratio"] is None and asian["median_years"] is None
    assert asian["narrative"].startswith("Too few to report")
    medians = {g["group"]: g["median"] for g in doc["tables"]["groups"]}
    assert medians["Asian"] is None and medians["White"] == 3
    curves = doc["tables"]["curves"]
    assert {r["group"] for r in curves} == {"White", "Black"}
    assert all(set(r) == {"attribute", "group", "time", "survival"} for r in curves)
    white = {r["time"]: r["survival"] for r in curves if r["group"] == "White"}
    assert white == {0: 1.0, 1: 0.75, 2: 0.75, 3: 0.38}
    # Black: 5 promoted in year 3 (1 to 9 events): the published curve stops before it
    assert max(r["time"] for r in curves if r["group"] == "Black") == 2


def test_retention_survival(app, workspace):
    result = CliRunner().invoke(app, ["explore", "retention", "--method", "survival", "-w", str(workspace),
                                      "--year", "2024", "--by", "ethnicity", "--adjust", "band", "--min-cell", "5",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["settings"]["outcome"] == "leaving"
    assert any("No leavers table" in n for n in doc["notes"])


def test_errors(app, workspace):
    runner = CliRunner()
    scan = runner.invoke(app, ["explore", "scan", "-w", str(workspace), "--year", "2024", "--method", "survival"])
    assert scan.exit_code != 0 and "Unknown method 'survival' for scan" in scan.output
    bad = runner.invoke(app, [*ARGS[:-4], "--adjust", "colour", "-w", str(workspace)])
    assert bad.exit_code != 0 and "--adjust 'colour'" in bad.output
    rest = runner.invoke(app, [*ARGS, "--reference", "rest", "-w", str(workspace)])
    assert rest.exit_code != 0 and "--reference rest is not available" in rest.output
    band = runner.invoke(app, [*ARGS[:-6], "--band", "11", "-w", str(workspace)])
    assert band.exit_code != 0 and "not an Agenda for Change band" in band.output


def test_csv_and_protected_table(app, workspace):
    csv = _run(app, workspace, "--format", "csv").stdout.splitlines()
    header = csv[0].split(",")
    assert {"hazard_ratio", "median_years", "counts.n", "narrative", "protected"} <= set(header)
    assert len(csv) == 3  # Black and Asian against White
    table = _run(app, workspace, "--protected").stdout
    assert "Too few" in table and "Published time-to-event figures" in " ".join(table.split())


def test_staff_group_by_code_or_label(app, workspace):
    from parity.contract.codes import STAFF_GROUPS

    label = STAFF_GROUPS["03"][0]
    by_code = json.loads(_run(app, workspace, "--format", "json", "--staff-group", "03").stdout)
    by_label = json.loads(_run(app, workspace, "--format", "json", "--staff-group", label.upper()).stdout)
    assert by_code["settings"]["staff_group"] == label
    assert [f["counts"] for f in by_code["findings"]] == [f["counts"] for f in by_label["findings"]]
    assert by_code["findings"][0]["narrative"].startswith(f"Among band 5 staff in the {label} staff group, ")
    other = json.loads(_run(app, workspace, "--format", "json", "--staff-group", "01").stdout)
    assert other["findings"] == [] and other["tables"]["groups"] == []
