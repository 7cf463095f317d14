"""--messy: every defect is recorded with rows a user would see (header = row 1) and is really there."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from parity.contract.lookup import ethnicity_lookup, normalise_label
from parity.synth import build, generate


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> tuple[Path, list[dict]]:
    d = tmp_path_factory.mktemp("messy")
    generate(d, staff=2000, years=2, seed=5, messy=True)
    return d, json.loads((d / "messy_defects.json").read_text())["defects"]


def _row(df: pd.DataFrame, row: int) -> pd.Series:
    return df.iloc[row - 2]  # header is row 1


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_every_kind_recorded(messy):
    _, defects = messy
    kinds = {(d["file"], d["kind"]) for d in defects}
    assert {("esr/staff_in_post.csv", k) for k in ("ethnicity_label_variant", "ethnicity_unmapped",
                                                   "blank_required", "duplicate_rows", "total_row")} <= kinds
    assert {("workforce.csv", k) for k in ("uk_dates", "blank_required", "fte_zero", "duplicate_rows",
                                           "total_row")} <= kinds
    assert ("applications.csv", "appointed_without_shortlisted") in kinds
    assert all(d["count"] == len(d["rows"]) for d in defects if isinstance(d["rows"], list))


def test_defects_are_where_recorded(messy):
    out, defects = messy
    lookup = ethnicity_lookup()
    for d in defects:
        df = _read(out / d["file"])
        rows = d["rows"] if isinstance(d["rows"], list) else []
        for r in rows:
            row = _row(df, r)
            if d["kind"] == "blank_required":
                assert row[d["column"]] == ""
            elif d["kind"] == "fte_zero":
                assert float(row["fte"]) == 0
            elif d["kind"] == "total_row":
                assert row.iloc[0] == "Total" and r == len(df) + 1
            elif d["kind"] == "ethnicity_label_variant":
                assert row[d["column"]] == d["value"] and lookup[normalise_label(d["value"])] == d["code"]
            elif d["kind"] == "ethnicity_unmapped":
                assert row[d["column"]] == d["value"] and normalise_label(d["value"]) not in lookup
            elif d["kind"] == "appointed_without_shortlisted":
                assert row["appointed"] == "true" and row["shortlisted"] == "false"
        if d["kind"] == "duplicate_rows":
            for r, orig in zip(d["rows"], d["duplicates_of"], strict=True):
                assert _row(df, r).equals(_row(df, orig))
            assert df.duplicated().sum() == d["count"]
    w = _read(out / "workforce.csv")
    assert w.snapshot_date.iloc[:-1].str.fullmatch(r"31/03/\d{4}").all()


def test_build_is_never_messy():
    t = build(staff=500, years=1, seed=5)
    assert not t["workforce"].duplicated().any() and (t["workforce"].fte > 0).all()
