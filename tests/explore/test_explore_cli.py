"""`parity explore ...` through typer's CliRunner, on an app holding only this command."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from parity.commands.explore import parse_reference, register

from .conftest import plan_workspace


@pytest.fixture
def workspace(trust, tmp_path):
    plan = (("A", "female", 300, 3), ("A", "male", 300, 3), ("N", "female", 200, 12), ("N", "male", 200, 2))
    return plan_workspace(trust, tmp_path, plan)


@pytest.fixture
def app():
    app = typer.Typer()
    register(app)
    return app


def test_json_shape(app, workspace):
    result = CliRunner().invoke(app, ["explore", "scan", "--workspace", str(workspace), "--year", "2025",
                                      "--outcome", "disciplinary", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) >= {"findings", "comparisons", "not_tested", "settings"}
    top = payload["findings"][0]
    assert top["group"] == {"ethnicity": "Black", "sex": "female"}
    for key in ("outcome", "counts", "relative_likelihood", "ci_low", "ci_high", "p_value", "p_adjusted",
                "narrative", "orientation", "significant", "test"):
        assert key in top
    assert payload["comparisons"] == len(payload["findings"])
    assert payload["settings"]["reference"] == {"ethnicity": "White", "ethnicity_wres": "White", "sex": "male",
                                                "disability": "Non-disabled", "sexual_orientation": "Heterosexual",
                                                "religion": "Christian", "marital_status": "Married or civil partner"}


def test_table_and_csv(app, workspace):
    runner = CliRunner()
    table = runner.invoke(app, ["explore", "scan", "-w", str(workspace), "--year", "2025", "--outcome",
                                "disciplinary", "--by", "ethnicity,sex", "--reference", "rest"])
    assert table.exit_code == 0, table.output
    assert "comparisons" in table.stdout
    csv = runner.invoke(app, ["explore", "funnel", "-w", str(workspace), "--year", "2025", "--format", "csv"])
    assert csv.exit_code == 0  # no applications table: an empty frame and a note, not a crash


def test_errors_are_friendly(app, workspace, tmp_path):
    runner = CliRunner()
    bad = runner.invoke(app, ["explore", "scan", "-w", str(workspace), "--year", "2025", "--by", "colour"])
    assert bad.exit_code == 2 and "Unknown attribute" in bad.output
    missing = runner.invoke(app, ["explore", "scan", "-w", str(tmp_path / "nowhere"), "--year", "2025"])
    assert missing.exit_code == 2 and "not a Parity workspace" in " ".join(missing.output.split())


def test_parse_reference():
    assert parse_reference("rest") == "rest"
    assert parse_reference("ethnicity=White, sex=male") == {"ethnicity": "White", "sex": "male"}
    assert parse_reference(None) is None
    with pytest.raises(ValueError, match="attribute=value"):
        parse_reference("White")
