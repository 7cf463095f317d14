"""Analyst outputs stay honest (issue 10): `parity wres|wdes|paygap --format json|csv` say they are
unprotected, `--protected` gives the published view from the release model, and CSV text cells are
neutralised against formula injection."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from parity.commands import paygap as paygap_cmd
from parity.commands import standards

_spec = importlib.util.spec_from_file_location("_report_trust", Path(__file__).parents[1] / "report" / "conftest.py")
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """The report tests' trust (one BME person disciplined of 40), with an organisation code that a
    spreadsheet would run as a formula."""
    trust = _mod.make_trust(org=_mod.INJECTION)
    return trust.workspace(tmp_path_factory.mktemp("cli") / "ws")


@pytest.fixture(scope="module")
def app():
    app = typer.Typer()
    standards.register(app)
    paygap_cmd.register(app)
    return app


def run(app, *args) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def wres3(doc: dict) -> dict:
    return next(i for i in doc["indicators"] if i["id"] == "wres.3")


def test_analyst_json_says_it_is_unprotected(app, workspace):
    doc = json.loads(run(app, "wres", "-w", str(workspace), "--year", "2025", "--format", "json"))
    assert doc["disclosure"]["protected"] is False
    assert wres3(doc)["groups"]["BME"]["numerator"] == 1  # the analyst sees the small count


def test_protected_json_is_the_published_view(app, workspace):
    doc = json.loads(run(app, "wres", "-w", str(workspace), "--year", "2025", "--format", "json", "--protected"))
    assert doc["disclosure"]["protected"] is True
    assert wres3(doc)["groups"]["BME"]["numerator"] is None and wres3(doc)["value"] is None


def test_csv_has_a_protected_column_and_no_formula(app, workspace):
    for extra, flag in (((), "False"), (("--protected",), "True")):
        text = run(app, "wres", "-w", str(workspace), "--year", "2025", "--format", "csv", *extra)
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows and {r["protected"] for r in rows} == {flag}
        assert all(not r["organisation"].startswith("=") for r in rows)
        assert {r["organisation"] for r in rows} == {"'" + _mod.INJECTION}
        bme = next(r for r in rows if r["indicator"] == "wres.3" and r["group"] == "BME" and r["breakdown"] == "overall")
        assert bme["numerator"] == ("*" if extra else "1")


def test_paygap_json_and_csv_say_which_view(app, workspace):
    doc = json.loads(run(app, "paygap", "-w", str(workspace), "--year", "2025", "--by", "disability",
                         "--format", "json", "--resamples", "20"))
    assert doc["disclosure"]["protected"] is False
    safe = json.loads(run(app, "paygap", "-w", str(workspace), "--year", "2025", "--by", "disability",
                          "--format", "json", "--resamples", "20", "--protected"))
    assert "rule" in safe["disclosure"] and "protected" not in doc["results"][0]
    text = run(app, "paygap", "-w", str(workspace), "--year", "2025", "--by", "disability", "--format", "csv",
               "--resamples", "20", "--protected")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {r["protected"] for r in rows} == {"True"}
    assert all(not r["organisation"].startswith("=") for r in rows)
