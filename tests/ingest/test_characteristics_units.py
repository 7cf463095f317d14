"""Issue 17: the organisation hierarchy and the further protected characteristics on ingest.

Codes are checked against the NHS Data Dictionary lists written out by hand here (not read from
`parity.contract.codes`); age bands against ages worked out by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest

from parity.contract.units import UnitsError, level_names, parse_levels, save_levels, unit_column
from parity.ingest import import_file
from parity.ingest.vocab import vocabulary

WF = {"person_id": "1", "snapshot_date": "2024-03-31", "ethnic_category": "A", "sex": "F", "disability": "No",
      "pay_band": "5", "staff_group": "03", "assignment_category": "Permanent", "fte": "1"}


def _rows(**cols) -> pd.DataFrame:
    n = len(next(iter(cols.values()), [None]))
    base = pd.DataFrame([WF] * n)
    base["person_id"] = [str(i) for i in range(1, n + 1)]
    for k, v in cols.items():
        base[k] = v
    return base


@pytest.mark.parametrize(("kind", "spelling", "code"), [
    ("sexual_orientation", "Heterosexual or Straight", "1"), ("sexual_orientation", "Gay or Lesbian", "2"),
    ("sexual_orientation", "Bisexual", "3"), ("sexual_orientation", "I do not wish to disclose my sexual orientation", "Z"),
    ("sexual_orientation", "Prefer not to say", "Z"), ("sexual_orientation", "Not known", "9"),
    ("marital_status", "Married", "M"), ("marital_status", "Civil Partnership", "M"), ("marital_status", "Single", "S"),
    ("marital_status", "Divorced", "D"), ("marital_status", "Widowed", "W"), ("marital_status", "Separated", "P"),
    ("marital_status", "Prefer not to say", "N"),
    ("religion", "Christianity", "christian"), ("religion", "Islam", "muslim"), ("religion", "Atheism", "none"),
    ("religion", "I do not wish to disclose my religion/belief", "not_stated"), ("religion", "Jainism", "other"),
])
def test_nhs_spellings_map_to_codes(kind, spelling, code):
    from parity.contract.lookup import normalise_label

    assert vocabulary(kind)[normalise_label(spelling)] == code


def test_hierarchy_characteristics_and_age_band_from_date_of_birth(ws, write_csv, read_table):
    df = _rows(org_l3=["Surgery", "Medicine", ""], org_l4=["Theatres", "Acute", ""], site=["Main", "Main", "North"],
               religion=["Islam", "", "Christianity"], sexual_orientation=["Bisexual", "Prefer not to say", ""],
               marital_status=["Married", "Single", ""],
               # 20 on 30 March 2004 → 20 at the snapshot; 21 the day of; one born 1960-04-01 is 63
               date_of_birth=["2004-03-30", "2003-03-31", "1960-04-01"])
    result = import_file(ws, write_csv(df), "workforce")
    assert result.imported, result.errors
    got = read_table(ws, "workforce").sort_values("org_l3", na_position="last").reset_index(drop=True)
    assert "date_of_birth" not in got.columns  # read, never stored
    assert got["org_l3"].tolist()[:2] == ["Medicine", "Surgery"] and pd.isna(got["org_l3"][2])
    assert got["site"].tolist() == ["Main", "Main", "North"]
    by_person = read_table(ws, "workforce").set_index("org_l4", drop=False)
    assert by_person.loc["Theatres", "religion"] == "muslim"
    assert by_person.loc["Theatres", "sexual_orientation"] == "3"
    assert by_person.loc["Theatres", "age_band"] == "<=20 Years"
    assert by_person.loc["Acute", "religion"] == "unknown"  # blank is not known, as ethnicity's 99
    assert by_person.loc["Acute", "sexual_orientation"] == "Z" and by_person.loc["Acute", "marital_status"] == "S"
    assert by_person.loc["Acute", "age_band"] == "21-25"
    third = got.iloc[2]
    assert (third["sexual_orientation"], third["marital_status"], third["age_band"]) == ("9", "9", "61-65")


def test_supplied_age_band_wins_over_date_of_birth(ws, write_csv, read_table):
    import_file(ws, write_csv(_rows(age_band=["41-45"], date_of_birth=["2000-01-01"])), "workforce")
    assert read_table(ws, "workforce")["age_band"].tolist() == ["41-45"]


def test_unknown_characteristic_value_is_an_error_naming_the_column(ws, write_csv):
    result = import_file(ws, write_csv(_rows(sexual_orientation=["Purple"])), "workforce")
    assert not result.imported
    [err] = result.errors
    assert err.column == "sexual_orientation" and "Purple" in err.message


def test_a_workspace_stored_before_the_hierarchy_gains_its_columns(ws, write_csv, read_table):
    import_file(ws, write_csv(_rows()), "workforce")
    with ws.connect() as con:  # as an older Parity stored it: without the new columns
        for c in ("org_l3", "site", "religion"):
            con.execute(f'ALTER TABLE workforce DROP COLUMN "{c}"')
    result = import_file(ws, write_csv(_rows(org_l3=["Surgery"]).assign(snapshot_date="2025-03-31")), "workforce")
    assert result.imported, result.errors
    got = read_table(ws, "workforce").sort_values("snapshot_date")
    assert got["org_l3"].isna().tolist()[0] and got["org_l3"].tolist()[1] == "Surgery"


def test_organisation_yaml_names_levels(tmp_path):
    assert level_names(tmp_path)["org_l3"] == "division"
    save_levels(tmp_path, "levels: {org_l3: Care Group, org_l4: service}")
    assert (tmp_path / "organisation.yaml").stat().st_mode & 0o777 == 0o600
    names = level_names(tmp_path)
    assert names["org_l3"] == "care_group" and names["org_l4"] == "service" and names["org_l5"] == "department"
    assert unit_column("care_group", tmp_path) == "org_l3" and unit_column("org_l5", tmp_path) == "org_l5"
    with pytest.raises(UnitsError, match="choose one of"):
        unit_column("division", tmp_path)


@pytest.mark.parametrize("text", ["levels: {org_l9: division}", "levels: {org_l3: a, org_l4: a}", "[1, 2]",
                                  "levels: {org_l3: site}", "levels: {org_l3: 'two words!'}"])
def test_bad_organisation_yaml_is_refused(text):
    with pytest.raises(UnitsError, match="organisation.yaml"):
        parse_levels(text)


def test_cli_names_levels(tmp_path):
    from typer.testing import CliRunner

    from parity.cli import app
    from parity.workspace import Workspace

    Workspace.open(tmp_path / "ws")
    f = tmp_path / "org.yaml"
    f.write_text("levels: {org_l3: division, org_l4: care_group}\n")
    out = CliRunner().invoke(app, ["workspace", "units", str(f), "--workspace", str(tmp_path / "ws")])
    assert out.exit_code == 0, out.output
    assert "org_l4: care_group" in out.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("levels: {org_l3: sex!}\n")
    out = CliRunner().invoke(app, ["workspace", "units", str(bad), "--workspace", str(tmp_path / "ws")])
    assert out.exit_code == 2 and "bad.yaml" in out.output




def test_check_and_repair_an_older_workspace(ws, write_csv):
    from parity.workspace.check import check, repair

    import_file(ws, write_csv(_rows()), "workforce")
    with ws.connect() as con:
        con.execute('ALTER TABLE workforce DROP COLUMN "org_l3"')
    report = check(ws.path, ws.key_path)
    assert report.ok, report.findings  # an older workspace is not damaged
    assert any("org_l3" in msg for _, msg in report.findings)
    done = repair(ws.path, ws.key_path)
    assert any("workforce: org_l3" in step for step in done)
    with ws.connect() as con:
        assert "org_l3" in {r[0] for r in con.execute('DESCRIBE workforce').fetchall()}
