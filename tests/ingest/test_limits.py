"""Upload bombs (issue 11): each must fail fast, in small memory, with a message naming the limit.

The bombs are read in a child process capped at 1.5 GB of address space and 60 s, so that before
the limits existed these tests failed (MemoryError or timeout) instead of taking the machine down.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

import parity
from parity.cli import app
from parity.ingest.limits import DEFAULT, LimitExceeded, Limits, cli_flag, web_setting
from parity.ingest.mapping import load_mapping, parse_yaml
from parity.ingest.readers import read_raw

CHILD = """
import json, resource, sys, time
from parity.ingest.limits import LimitExceeded
from parity.ingest.mapping import load_mapping
from parity.ingest.readers import read_raw
path, kind = sys.argv[1], sys.argv[2]
t = time.process_time()  # CPU time: the shared machine's load must not make the test flaky
try:
    load_mapping(path) if kind == "yaml" else read_raw(path, expected={"person_id"})
    out = {"limit": None}
except LimitExceeded as exc:
    out = {"limit": exc.limit, "message": str(exc)}
out["seconds"] = time.process_time() - t
out["peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
"""
CAP_BYTES = 1536 * 1024 * 1024


def _capped():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))


def read_in_child(path: Path, kind: str = "data") -> dict:
    env = {**os.environ, "PYTHONPATH": str(Path(parity.__file__).parents[1])}
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD, str(path), kind], capture_output=True, text=True,
                              timeout=60, env=env, preexec_fn=_capped)
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading {path.name} took over 60 s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _xlsx(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def _rewrite_member(path: Path, member: str, edit) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts[member] = edit(parts[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _replaced(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data
    return data.replace(old, new)


def dimension_bomb(path: Path, ref: str = "A1:XFD8000") -> Path:
    """Like the 4.7 KB workbook of issue 11: 8,000 one-cell rows declaring 16,384 columns each (46 KB)."""
    _xlsx(path, [["person_id"]] + [[1]] * 7999)
    _rewrite_member(path, "xl/worksheets/sheet1.xml",
                    lambda x: _replaced(x, b'<dimension ref="A1:A8000" />', f'<dimension ref="{ref}"/>'.encode()))
    return path


def zip_bomb(path: Path, mb: int = 160) -> Path:
    """A workbook whose sheet inflates from under 1 MB to `mb` MB of cells (its dimension is true)."""
    _xlsx(path, [["person_id"]])
    row = b"<row>" + b"<c><v>1</v></c>" * 100 + b"</row>"
    n = mb * 1024 * 1024 // len(row)
    body = row * n
    _rewrite_member(path, "xl/worksheets/sheet1.xml", lambda x: _replaced(
        x, b"</sheetData>", body + b"</sheetData>").replace(b'<dimension ref="A1:A1" />',
                                                            f'<dimension ref="A1:CV{n + 1}"/>'.encode()))
    return path


ALIAS_BOMB = """table: leavers
description:
  - &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  - &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  - &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  - &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  - &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  - &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  - &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  - &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  - &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
columns: {person_id: *i}
"""


def wide_csv(path: Path, columns: int = 1_000_000) -> Path:
    path.write_bytes(b",".join([b"x"] * columns) + b"\n" + b",".join([b"1"] * columns) + b"\n")
    return path


def test_declared_dimension_bomb_fails_fast(tmp_path):
    path = dimension_bomb(tmp_path / "dim.xlsx")
    assert path.stat().st_size < 60_000
    out = read_in_child(path)
    assert out["limit"] == "max_xlsx_dimension_cells", out
    assert out["seconds"] < 1.0 and out["peak_kb"] < 400_000
    assert "131,072,000" in out["message"] and "A1:XFD8000" in out["message"]


def test_zip_bomb_fails_fast(tmp_path):
    path = zip_bomb(tmp_path / "zip.xlsx")
    packed = path.stat().st_size
    with zipfile.ZipFile(path) as z:
        inflated = sum(i.file_size for i in z.infolist())
    assert inflated / packed > 200  # the bomb really is one
    out = read_in_child(path)
    assert out["limit"] == "max_compression_ratio", out
    assert out["seconds"] < 1.0 and out["peak_kb"] < 400_000


def test_yaml_alias_bomb_fails_fast(tmp_path):
    path = tmp_path / "map.yaml"
    path.write_text(ALIAS_BOMB)
    assert path.stat().st_size < 700
    out = read_in_child(path, "yaml")
    assert out["limit"] == "max_yaml_aliases", out
    assert out["seconds"] < 1.0 and out["peak_kb"] < 400_000


def test_million_column_csv_fails_fast(tmp_path):
    path = wide_csv(tmp_path / "wide.csv")
    out = read_in_child(path)
    assert out["limit"] == "max_columns", out
    assert out["seconds"] < 1.0 and out["peak_kb"] < 400_000
    assert "1,000,000" in out["message"] and "2,048" in out["message"]


def test_message_names_limit_value_allowed_and_how_to_change(tmp_path):
    path = wide_csv(tmp_path / "wide.csv", columns=30)
    with pytest.raises(LimitExceeded) as err:
        read_raw(path, limits=Limits(max_columns=20))
    e = err.value
    assert (e.limit, e.value, e.allowed, e.file) == ("max_columns", 30, 20, "wide.csv")
    msg = str(e)
    assert "wide.csv" in msg and "number of columns is 30" in msg and "limit of 20 (max_columns)" in msg
    assert "--max-columns" in msg and "limit_max_columns" in msg and e.how_to_change in msg
    assert (cli_flag("max_xlsx_dimension_cells"), web_setting("wall_seconds")) == (
        "--max-xlsx-dimension-cells", "limit_wall_seconds")


def test_long_line_is_stopped_while_streaming(tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(b"person_id,leave_date\nE1,2024-01-05\n" + b"E2," + b"y" * 5000 + b"\nE3,2024-01-06\n")
    with pytest.raises(LimitExceeded) as err:
        read_raw(path, limits=Limits(max_line_bytes=1000))
    assert err.value.limit == "max_line_bytes" and err.value.value == 5003
    assert "(bytes) is 5,003 (line 3), above the limit of 1,000" in str(err.value)
    with pytest.raises(LimitExceeded):  # also when the long line straddles read blocks
        from parity.ingest.readers import scan_lines
        scan_lines(path, Limits(max_line_bytes=1000), chunk=64)
    assert len(read_raw(path, limits=Limits(max_line_bytes=6000)).data) == 3


def test_scan_lines_counts_physical_lines(tmp_path):
    from parity.ingest.readers import scan_lines

    path = tmp_path / "x.csv"
    for content, n in ((b"a\nb\nc\n", 3), (b"a\nb\nc", 3), (b"", 0), (b"\n\n", 2), (b"ab" * 100 + b"\nx", 2)):
        path.write_bytes(content)
        assert scan_lines(path, DEFAULT, chunk=7) == n, content


def test_cells_and_file_size(tmp_path):
    path = tmp_path / "x.csv"
    pd.DataFrame({"person_id": [f"E{i}" for i in range(100)], "b": 1, "c": 2}).to_csv(path, index=False)
    with pytest.raises(LimitExceeded) as err:
        read_raw(path, limits=Limits(max_cells=200))
    assert err.value.limit == "max_cells" and err.value.value == 101 * 3
    with pytest.raises(LimitExceeded) as err:
        read_raw(path, limits=Limits(max_file_bytes=100))
    assert err.value.limit == "max_file_bytes" and err.value.value == path.stat().st_size


def test_xlsx_cells_and_columns_counted_while_streaming(tmp_path):
    path = _xlsx(tmp_path / "x.xlsx", [["person_id", "b", "c"]] + [[f"E{i}", 1, 2] for i in range(50)])
    with pytest.raises(LimitExceeded) as err:
        read_raw(path, limits=Limits(max_cells=100))
    assert err.value.limit == "max_cells"
    with pytest.raises(LimitExceeded) as err:
        read_raw(path, limits=Limits(max_columns=2))
    assert err.value.limit == "max_columns" and err.value.value == 3
    assert len(read_raw(path).data) == 50


def test_wrong_small_dimension_does_not_truncate(tmp_path):
    """Sheets whose <dimension> is wrong (some exporters write A1) are read in full."""
    path = _xlsx(tmp_path / "x.xlsx", [["person_id", "leave_date"], ["E1", "2024-01-05"], ["E2", "2024-01-06"]])
    _rewrite_member(path, "xl/worksheets/sheet1.xml", lambda x: _replaced(x, b'<dimension ref="A1:B3"', b'<dimension ref="A1"'))
    raw = read_raw(path)
    assert list(raw.data.columns) == ["person_id", "leave_date"] and list(raw.data["person_id"]) == ["E1", "E2"]


def test_zip_limits_raisable(tmp_path):
    path = zip_bomb(tmp_path / "zip.xlsx", mb=2)
    with pytest.raises(LimitExceeded) as err:
        read_raw(path, limits=Limits(max_decompressed_bytes=1024 * 1024))
    assert err.value.limit == "max_decompressed_bytes"
    with pytest.raises(LimitExceeded) as err:
        read_raw(path)
    assert err.value.limit == "max_compression_ratio"


def test_parquet_columns_from_metadata(tmp_path):
    path = tmp_path / "x.parquet"
    pd.DataFrame({f"c{i}": [1] for i in range(40)}).to_parquet(path)
    with pytest.raises(LimitExceeded) as err:
        read_raw(path, limits=Limits(max_columns=30))
    assert err.value.limit == "max_columns" and err.value.value == 40


def test_yaml_limits(tmp_path):
    ok = "table: leavers\nbase: &m {Retired: Retirement}\nvalues: {reason: *m}\n"
    assert parse_yaml(ok, "m.yaml")["values"] == {"reason": {"Retired": "Retirement"}}
    with pytest.raises(LimitExceeded) as err:
        parse_yaml(ok, "m.yaml", Limits(max_yaml_aliases=2))
    assert err.value.limit == "max_yaml_aliases" and err.value.value == 3  # mapping + key + value
    path = tmp_path / "big.yaml"
    path.write_text("table: leavers\n" + "# padding\n" * 200)
    with pytest.raises(LimitExceeded) as err:
        load_mapping(path, Limits(max_yaml_bytes=1000))
    assert err.value.limit == "max_yaml_bytes"


def test_limits_replace_and_settings():
    assert DEFAULT.replace(max_columns=None) == DEFAULT
    assert Limits.from_settings({"limit_max_cells": 10, "other": 1}).max_cells == 10
    with pytest.raises(ValueError, match="unknown limit"):
        DEFAULT.replace(max_colums=3)
    with pytest.raises(ValueError, match="positive"):
        DEFAULT.replace(max_columns=0)


def test_cli_reports_limit_and_flag_raises_it(tmp_path):
    runner = CliRunner()
    path = wide_csv(tmp_path / "wide.csv", columns=3000)
    result = runner.invoke(app, ["validate", str(path), "--table", "leavers", "--format", "json"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    [problem] = json.loads(result.stdout)["problems"]
    assert problem["code"] == "limit_exceeded" and problem["column"] == "max_columns"
    assert "--max-columns" in problem["message"]
    raised = runner.invoke(app, ["validate", str(path), "--table", "leavers", "--format", "json",
                                 "--max-columns", "5000"])
    codes = {p["code"] for p in json.loads(raised.stdout)["problems"]}
    assert "limit_exceeded" not in codes and "missing_columns" in codes


def test_cli_yaml_bomb_on_import(tmp_path, sample, write_csv):
    runner = CliRunner()
    bomb = tmp_path / "map.yaml"
    bomb.write_text(ALIAS_BOMB)
    result = runner.invoke(app, ["import", write_csv(sample("leavers")), "--table", "leavers", "--workspace",
                                 str(tmp_path / "ws"), "--mapping", str(bomb), "--format", "json"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    data = json.loads(result.stdout)
    assert data["imported"] is False and data["problems"][0]["column"] == "max_yaml_aliases"


def test_cli_wall_seconds(tmp_path):
    """--wall-seconds stops a slow read with the limit's message (the read is made slow on purpose)."""
    script = (
        "import sys, time\n"
        "import parity.ingest.readers as r\n"
        "orig = r._read_csv\n"
        "r._read_csv = lambda *a: (time.sleep(5), orig(*a))[1]\n"
        "from parity.cli import app\n"
        "sys.argv = ['parity', 'validate', sys.argv[1], '--table', 'leavers', '--format', 'json',"
        " '--wall-seconds', '1']\n"
        "app()\n")
    path = tmp_path / "x.csv"
    path.write_text("person_id,leave_date\nE1,2024-01-05\n")
    env = {**os.environ, "PYTHONPATH": str(Path(parity.__file__).parents[1])}
    proc = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, env=env,
                          timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    [problem] = json.loads(proc.stdout)["problems"]
    assert problem["column"] == "wall_seconds" and "--wall-seconds" in problem["message"]


def test_crc_of_zip_bomb_member_is_real(tmp_path):
    """Guard for the bomb builder: zipfile's declared sizes are the real inflated sizes."""
    path = zip_bomb(tmp_path / "zip.xlsx", mb=2)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        assert len(z.read(info)) == info.file_size
        assert zlib.crc32(z.read(info)) == info.CRC
