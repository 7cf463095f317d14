"""The real commands, as a user runs them: synth → import → wres / wdes / paygap → demo."""

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from parity.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    ws = tmp_path_factory.mktemp("ws")
    made = run("synth", "--out", data, "--staff", 700, "--years", 2, "--seed", 11, "--bias", "appointment=1.6")
    assert made.exit_code == 0, made.output
    imported = run("import", data / "esr" / "staff_in_post.csv", "--table", "workforce", "--workspace", ws,
                   "--preset", "esr-staff-in-post")
    assert imported.exit_code == 0, imported.output
    assert "Reconciliation" in imported.output or "read" in imported.output.lower()
    for table in ("applications", "disciplinary", "capability", "training", "survey_responses", "pay", "leavers"):
        result = run("import", data / f"{table}.csv", "--table", table, "--workspace", ws)
        assert result.exit_code == 0, (table, result.output)
    return ws


def test_wres_json_has_the_documented_shape(workspace):
    result = run("wres", "--workspace", workspace, "--year", 2025, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["standard"] == "WRES" and doc["year"] == 2025 and doc["organisation"]
    ids = [i["id"] for i in doc["indicators"]]
    assert ids == [f"wres.{n}" for n in range(1, 10)]
    for ind in doc["indicators"]:
        assert {"id", "kind", "value", "groups", "narrative"} <= set(ind)
        assert set(ind["groups"]) == {"White", "BME", "Unknown"}
        for g in ind["groups"].values():
            assert {"numerator", "denominator"} <= set(g)
        if ind["kind"] == "relative_likelihood":
            assert {"ci_low", "ci_high", "p_value", "test", "within_non_adverse_range", "assessment"} <= set(ind)
        if ind["kind"] == "percentages":
            assert all({"percent", "ci_low", "ci_high"} <= set(g) for g in ind["groups"].values())
    rows = doc["indicators"][0]["rows"]
    assert rows and {"band", "clinical", "groups"} <= set(rows[0])
    assert set(rows[0]["groups"]["BME"]) >= {"count", "percent"}
    assert "Infinity" not in result.stdout and "NaN" not in result.stdout


def test_wres_table_and_csv(workspace):
    table = run("wres", "--workspace", workspace, "--year", 2025)
    assert table.exit_code == 0 and "wres.2" in table.output and "times as likely" in table.output
    tidy = list(csv.DictReader(io.StringIO(run("wres", "-w", workspace, "-y", 2025, "-f", "csv").stdout)))
    assert {r["indicator"] for r in tidy} == {f"wres.{n}" for n in range(1, 10)}


def test_wdes_and_paygap(workspace):
    wdes = json.loads(run("wdes", "--workspace", workspace, "--year", 2025, "--format", "json").stdout)
    assert set(wdes["indicators"][1]["groups"]) == {"Disabled", "Non-disabled", "Unknown"}
    assert [i["id"] for i in wdes["indicators"]][-1] == "wdes.10"
    gov = run("paygap", "--by", "sex", "--workspace", workspace, "--year", 2025, "--format", "gov-uk",
              "--resamples", 100)
    assert gov.exit_code == 0, gov.output
    row = next(csv.DictReader(io.StringIO(gov.stdout)))
    assert list(row)[:2] == ["DiffMeanHourlyPercent", "DiffMedianHourlyPercent"]
    for q in ("LowerQuartile", "LowerMiddleQuartile", "UpperMiddleQuartile", "TopQuartile"):
        assert float(row[f"Male{q}"]) + float(row[f"Female{q}"]) == pytest.approx(100.0)


def test_bad_input_is_a_clear_error_not_a_traceback(tmp_path, workspace):
    missing = run("wres", "--workspace", tmp_path / "nowhere", "--year", 2025)
    assert missing.exit_code == 2 and "not a Parity workspace" in " ".join(missing.output.split())
    assert "Traceback" not in missing.output
    bad_year = run("paygap", "--workspace", workspace, "--year", 1999)
    assert bad_year.exit_code == 2 and "No pay rows" in " ".join(bad_year.output.split())


def test_narrative_round_trip(workspace):
    org = json.loads(run("wdes", "-w", workspace, "-y", 2025, "-f", "json").stdout)["organisation"]
    assert run("narrative", "-w", workspace, "-y", 2025, "--org", org, "--text", "Disability network formed").exit_code == 0
    doc = json.loads(run("wdes", "-w", workspace, "-y", 2025, "-f", "json").stdout)
    assert next(i for i in doc["indicators"] if i["id"] == "wdes.9b")["narrative"] == "Disability network formed"
