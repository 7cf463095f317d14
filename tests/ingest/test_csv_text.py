"""CSV text read as written (issue 12 items 3 and 6): unclosed quotes that swallow lines, and files
mixing UTF-8 with a stray Windows-1252 byte. Expected counts are worked from the files built here."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from parity.cli import app
from parity.ingest import validate_file
from parity.ingest.prepare import prepare


def _leavers_lines(n, notes=None):
    lines = ["person_id,leave_date,reason,Notes"]
    for i in range(n):
        lines.append(f"E{i},2023-07-31,Retirement,{(notes or {}).get(i, 'ok')}")
    return lines


def test_unclosed_quote_swallowing_lines_is_reported(tmp_path):
    """Issue 12.3: an unclosed quote in a column outside the contract swallowed 10 lines (490 of 500)."""
    lines = _leavers_lines(50, {11: '"starts a quote but never closes it', 21: 'ends it here"'})
    path = tmp_path / "q.csv"
    path.write_text("\n".join(lines) + "\n")
    report = validate_file(path, "leavers")
    assert report.lines == 51  # physical lines, header included
    assert report.rows_read == 40  # records: lines 13 to 23 are one record (50 - 11 + 1)
    [err] = [p for p in report.errors if p.code == "swallowed_lines"]
    assert err.row == 13 and "lines 13 to 23" in err.message and "Notes" in err.message
    assert report.rows_accepted == 39 and report.rows_read == report.rows_accepted + report.rows_excluded
    [note] = [p for p in report.warnings if p.code == "multiline_rows"]
    assert "51 lines = 1 header line + 50 lines of data in 40 rows" in note.message


def test_ordinary_multiline_field_is_not_an_error(tmp_path):
    lines = _leavers_lines(5)
    lines[3] = 'E2,2023-07-31,Retirement,"Flat 2\n10 High Street"'
    path = tmp_path / "m.csv"
    path.write_text("\n".join(lines) + "\n")
    report = validate_file(path, "leavers")
    assert report.ok, report.errors
    assert report.rows_read == 5 and report.lines == 7
    assert [p.code for p in report.warnings] == ["multiline_rows"]


def test_quote_never_closed_is_a_file_error_naming_the_line(tmp_path):
    lines = _leavers_lines(5, {3: '"never closed'})
    path = tmp_path / "e.csv"
    path.write_text("\n".join(lines) + "\n")
    report = validate_file(path, "leavers")
    [err] = report.errors
    assert err.code == "unclosed_quote" and "line 5" in err.message


def test_one_cp1252_byte_does_not_make_the_file_cp1252(tmp_path):
    """Issue 12.6: one cp1252 byte decoded the whole UTF-8 file as cp1252 ("CafÃ©")."""
    lines = _leavers_lines(30, {i: "Café" for i in range(30)})
    data = ("\n".join(lines) + "\n").encode("utf-8")
    stray = "E7,2023-07-31,Retirement,Café".encode()
    data = data.replace(stray, "E7,2023-07-31,Retirement,Caf\u00e9!".encode("cp1252"))
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    prep = prepare(path, "leavers", mapping=None)
    assert prep.report.ok, prep.report.errors
    [note] = [p for p in prep.report.warnings if p.code == "mixed_encoding"]
    assert "line 9" in note.message and "UTF-8" in note.message and "Windows-1252" in note.message
    from parity.ingest.readers import read_raw

    raw = read_raw(path)
    assert set(raw.data["Notes"]) == {"Café", "Café!"} and raw.encoding == "utf-8"


def test_cp1252_majority_with_a_utf8_line(tmp_path):
    lines = _leavers_lines(10, {i: "£5 Café" for i in range(10)})
    data = "\n".join(lines).encode("cp1252") + b"\n"
    data = data.replace("E3,2023-07-31,Retirement,£5 Café".encode("cp1252"),
                        "E3,2023-07-31,Retirement,£5 Café".encode())
    path = tmp_path / "mostly1252.csv"
    path.write_bytes(data)
    from parity.ingest.readers import read_raw

    raw = read_raw(path)
    assert raw.encoding == "cp1252" and set(raw.data["Notes"]) == {"£5 Café"}
    assert [p.code for p in raw.notes] == ["mixed_encoding"] and "line 5" in raw.notes[0].message


def test_json_reports_lines(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("\n".join(_leavers_lines(3)) + "\n")
    out = CliRunner().invoke(app, ["validate", str(path), "--table", "leavers", "--format", "json"])
    assert json.loads(out.stdout)["lines"] == 4
