"""``parity import`` / ``parity validate`` through the real app: exit codes, JSON, no tracebacks."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from parity.cli import app

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_validate_clean_file_exits_0_with_json(sample, write_csv):
    result = run("validate", write_csv(sample("leavers")), "--table", "leavers", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] and data["rows_read"] == 30 == data["rows_accepted"]
    assert set(data) >= {"problems", "excluded_by_reason", "rows_excluded", "n_errors", "n_warnings"}


def test_validate_errors_exit_2_and_list_problems(sample, write_csv):
    df = sample("leavers", n=5)
    df.loc[1, "leave_date"] = "31/02/2024"
    path = write_csv(df)
    result = run("validate", path, "--table", "leavers", "--format", "json")
    assert result.exit_code == 2
    [problem] = json.loads(result.stdout)["problems"]
    assert problem == {"file": "extract.csv", "row": 3, "column": "leave_date", "value": "31/02/2024",
                       "message": problem["message"], "severity": "error", "code": "impossible_date"}
    screen = run("validate", path, "--table", "leavers")
    assert screen.exit_code == 2 and "31/02/2024" in screen.output and "Reconciliation" in screen.output


def test_import_strict_then_exclude_invalid(sample, write_csv, tmp_path):
    df = sample("workforce", n=6)
    df["Assignment Number"] = "X"
    df.loc[2, "fte"] = "9"
    path, ws = write_csv(df), tmp_path / "ws"
    strict = run("import", path, "--table", "workforce", "--workspace", ws)
    assert strict.exit_code == 2 and "Nothing imported" in strict.output
    ok = run("import", path, "--table", "workforce", "--workspace", ws, "--exclude-invalid", "--org", "RXX")
    assert ok.exit_code == 0, ok.output
    assert "Imported 5 of 6" in ok.output and "excluded: invalid value" in ok.output
    assert "Assignment Number" in ok.output  # dropped columns are named in the reconciliation
    data = json.loads(run("import", path, "-t", "workforce", "-w", ws, "--exclude-invalid",
                          "--format", "json").stdout)
    assert data["imported"] and data["rows_accepted"] == 5 and data["excluded_by_reason"] == {"invalid value": 1}
    assert data["dropped_columns"] == ["Assignment Number"]


def test_import_with_preset(esr_frame, write_csv, tmp_path):
    result = run("import", write_csv(esr_frame), "--table", "workforce", "--workspace", tmp_path / "ws",
                 "--preset", "esr-staff-in-post", "--year", "2024")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02\xff\xfe" * 200, b"PK\x03\x04garbage",
                                     b"PAR1nonsense", b"just some words\nand more\n"])
@pytest.mark.parametrize("command", ["validate", "import"])
def test_bad_files_never_show_a_traceback(tmp_path, content, command):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    extra = ["--workspace", tmp_path / "ws"] if command == "import" else []
    result = run(command, path, "--table", "workforce", *extra)
    assert result.exit_code == 2
    assert "bad.csv" in result.output


def test_unknown_table_preset_and_missing_file(tmp_path, sample, write_csv):
    path = write_csv(sample("leavers"))
    for args in (["--table", "nonsense"], ["--table", "leavers", "--preset", "nope"],
                 ["--table", "leavers", "--mapping", tmp_path / "missing.yaml"]):
        result = run("validate", path, *args)
        assert result.exit_code == 2, args
    missing = run("validate", tmp_path / "nothere.csv", "--table", "leavers")
    assert missing.exit_code == 2 and "nothere.csv" in missing.output


def test_bad_mapping_yaml(tmp_path, sample, write_csv):
    (tmp_path / "m.yaml").write_text("columns: [unclosed\n")
    result = run("validate", write_csv(sample("leavers")), "--table", "leavers", "--mapping", tmp_path / "m.yaml")
    assert result.exit_code == 2 and "m.yaml" in result.output
