"""The Arrow CSV fast path (issue 19) reads exactly what the pandas reader reads, or steps aside."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from parity.ingest import readers
from parity.ingest.readers import read_raw

HEAD = "person_id,leave_date,reason\n"
CASES = {
    "plain": HEAD + "E1,2023-07-31,Retirement\nE2,2024-01-05,Relocation\n",
    "title rows": "Leavers report\nRun 31/03/2024,,\n" + HEAD + "E1,2023-07-31,Retirement\n",
    "bom": "\ufeff" + HEAD + "E1,2023-07-31,Retirement\n",
    "crlf": (HEAD + "E1,2023-07-31,Retirement\nE2,2024-01-05,x\n").replace("\n", "\r\n"),
    "crlf title": "Title\r\n" + HEAD.replace("\n", "\r\n") + "E1,2023-07-31,Retirement\r\n",
    "cr title": "Title\r" + HEAD.replace("\n", "\r") + "E1,2023-07-31,Retirement\r",
    "quoted newline": HEAD + 'E1,2023-07-31,"Moved\nabroad"\nE2,2024-01-05,"a ""quoted"" word"\n',
    "blank rows": HEAD + "E1,2023-07-31,Retirement\n\n,,\nE2,2024-01-05,x\n\n",
    "spaces": HEAD + " E1 , 2023-07-31 ,Retirement \n",
    "no final newline": HEAD + "E1,2023-07-31,Retirement",
    "mid-field quote": HEAD + 'E1,2023-07-31,5\'10" tall\n',
    "unicode": HEAD + "E1,2023-07-31,Café – relocation\n",
}


def pandas_read(text: str, header: int) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), skiprows=header, header=0, dtype=str, keep_default_na=False,
                       skip_blank_lines=False, na_filter=False).fillna("")


@pytest.mark.parametrize("name", CASES)
def test_the_fast_path_reads_what_pandas_reads(tmp_path, name, monkeypatch):
    path = tmp_path / "leavers.csv"
    path.write_bytes(CASES[name].encode("utf-8"))
    got = read_raw(path, expected={"personid", "leavedate", "reason"})
    text = CASES[name].removeprefix("\ufeff")
    header = {"title rows": 2, "crlf title": 1, "cr title": 1}.get(name, 0)
    want = pandas_read(text, header)
    assert list(got.data.columns) == list(want.columns)
    assert got.data.astype(str).values.tolist() == want.astype(str).values.tolist()
    calls = []
    real = readers.fast_csv
    monkeypatch.setattr(readers, "fast_csv", lambda *a: calls.append(r := real(*a)) or r)
    read_raw(path, expected={"personid", "leavedate", "reason"})
    # only the odd quote (which could be an unclosed one) is left to the pandas reader
    assert (calls[0] is None) == (name in ("mid-field quote", "cr title"))


@pytest.mark.parametrize("content", [
    HEAD + "E1,2023-07-31\n",  # a short row: pandas fills it
    HEAD + 'E1,2023-07-31,"never closed\nE2,2024-01-05,x\n',
    "person_id,person_id,reason\nE1,E2,x\n",  # duplicate names: pandas renames them
    "person_id,,reason\nE1,x,y\n",  # a blank name
])
def test_files_it_cannot_read_exactly_go_to_the_pandas_reader(tmp_path, content):
    path = tmp_path / "leavers.csv"
    path.write_text(content)
    lines = content.splitlines()
    assert readers.fast_csv(content.encode(), content, lines, 0) is None


def test_cp1252_file_is_read_through_the_decoded_text(tmp_path):
    path = tmp_path / "leavers.csv"
    path.write_bytes((HEAD + "E1,2023-07-31,Café\n").encode("cp1252"))
    got = read_raw(path, expected={"personid", "leavedate", "reason"})
    assert got.data["reason"].tolist() == ["Café"] and got.encoding == "cp1252"
