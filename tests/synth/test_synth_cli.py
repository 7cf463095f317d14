"""`parity synth` through the real CLI app."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from parity.cli import app

runner = CliRunner()


def test_synth_writes_files(tmp_path):
    res = runner.invoke(app, ["synth", "--out", str(tmp_path), "--staff", "400", "--years", "1", "--orgs", "2",
                              "--seed", "9", "--bias", "appointment=1.6", "--bias", "intersection_group=asian_women",
                              "--format", "parquet", "--no-esr"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "workforce.parquet").exists() and not (tmp_path / "esr").exists()
    truth = json.loads((tmp_path / "ground_truth.json").read_text())
    assert truth["seed"] == 9 and truth["biases"]["appointment"]["value"] == 1.6
    assert truth["biases"]["appointment"]["parameters"]["bme"] == truth["biases"]["appointment"]["parameters"]["white"] / 1.6
    assert truth["intersection_group"] == "asian_women"


def test_unknown_bias_is_a_clear_error(tmp_path):
    res = runner.invoke(app, ["synth", "--out", str(tmp_path / "x"), "--bias", "nepotism=2"])
    assert res.exit_code == 2
    text = " ".join(res.output.split())
    assert "Unknown bias 'nepotism'" in text and "appointment" in text and "pay_gap_sex" in text
    assert "Traceback" not in res.output and not (tmp_path / "x").exists()


def test_bad_bias_values(tmp_path):
    for item in ("appointment=0", "appointment=abc", "pay_gap_sex=1.2", "appointment", "intersection_group=cats"):
        res = runner.invoke(app, ["synth", "--out", str(tmp_path), "--bias", item])
        assert res.exit_code == 2, item
        assert "Traceback" not in res.output


def test_bad_format(tmp_path):
    res = runner.invoke(app, ["synth", "--out", str(tmp_path), "--format", "json"])
    assert res.exit_code == 2 and "csv" in res.output
