"""ESR "staff in post" headings and values seen in real extracts (ESR BI staff list; issue 13).

Each real spelling is kept in the lookup data (contract/data/*.csv, ingest/vocab.py or the preset)
and tested here, value by value.
"""

from __future__ import annotations

import pandas as pd
import pytest

from parity.contract.lookup import normalise_label, pay_band_lookup
from parity.ingest import import_file, validate_file
from parity.ingest.vocab import ethnicity_code, vocabulary

BI_COLUMNS = ["Org L3", "Org L4", "Org L5", "Org L6", "Org L7", "Employee Number", "Gender", "FTE", "Primary",
              "Pay Scale", "Staff Group", "Assignment Category", "Ethnic Origin", "Disability", "Age Band",
              "Job Role"]


def _bi_frame() -> pd.DataFrame:
    org = ["Trust", "Division", "Care Group", "Ward 1", "Team A"]
    rows = [
        (*org, "20001", "Female", "1.0", "Yes", "Agenda for Change Band 5", "Nursing and Midwifery Registered",
         "Permanent", "Unspecified", "Unspecified", "26-30", "Staff Nurse"),
        (*org, "20002", "Unspecified", "0.6", "Yes", "Band 8 - Range A", "Administrative and Clerical",
         "Fixed Term Temp", "X Not Known", "No", "41-45", "Manager"),
        (*org, "20003", "Male", "1", "Yes", "XR05", "Allied Health Professionals", "Permanent",
         "A White - British", "Yes", "31-35", "Physiotherapist"),
        (*org, "20004", "Male", "1", "Yes", "Speciality Registrar (StR)", "Medical and Dental", "Fixed Term Temp",
         "H Asian or Asian British - Indian", "No", "31-35", "Registrar"),
        (*org, "20005", "Female", "0.1", "Yes", "Non AfC Grade", "Medical and Dental", "Permanent",
         "N Black or Black British - African", "No", "51-55", "Doctor"),
        (*org, "20006", "Female", "0.2", "Yes", "VSM", "Administrative and Clerical", "Non-Exec Director/Chair",
         "White British", "No", "61-65", "Non-Executive Director"),
    ]
    return pd.DataFrame(rows, columns=BI_COLUMNS)


def test_bi_staff_list_imports_with_every_real_heading_and_value(ws, write_csv, read_table):
    result = import_file(ws, write_csv(_bi_frame()), "workforce", preset="esr-staff-in-post",
                         snapshot_date="31/03/2024")
    assert result.imported, result.errors
    # Job Role has no place in the contract: reported apart, never silently dropped
    assert result.unused_columns == ["Job Role"]
    assert result.dropped_columns == []
    got = read_table(ws, "workforce")
    got["raw"] = got["person_id"].map(dict(zip(ws.pseudonymise(pd.Series([f"2000{i}" for i in range(1, 7)])),
                                               [f"2000{i}" for i in range(1, 7)], strict=True)))
    got = got.sort_values("raw").reset_index(drop=True)
    assert got["pay_band"].tolist() == ["5", "8a", "5", "trainee", "medical_other", "VSM"]
    assert got["ethnic_category"].tolist() == ["99", "99", "A", "H", "N", "A"]
    assert got["disability"].tolist() == ["unknown", "no", "yes", "no", "no", "no"]
    assert got["sex"].tolist() == ["female", "unknown", "male", "male", "female", "female"]
    assert got["assignment_category"].tolist() == ["permanent", "fixed_term", "permanent", "fixed_term",
                                                   "permanent", "other"]
    assert got["primary_assignment"].tolist() == [True] * 6  # "Primary" is read, not dropped
    assert got["fte"].tolist() == [1.0, 0.6, 1.0, 1.0, 0.1, 0.2]
    assert str(got["snapshot_date"][0])[:10] == "2024-03-31"
    # the hierarchy is stored as given (issue 17)
    assert got[["org_l3", "org_l4", "org_l5", "org_l6", "org_l7"]].iloc[0].tolist() == [
        "Trust", "Division", "Care Group", "Ward 1", "Team A"]
    # the one grade we do not know in staff group 01 is said, not silently made "other medical"
    [fallback] = [p for p in result.warnings if p.code == "medical_grade_fallback"]
    assert "'Non AfC Grade' × 1" in fallback.message


def test_columns_the_preset_knows_but_the_file_lacks_are_reported(write_csv):
    report = validate_file(write_csv(_bi_frame()), "workforce", preset="esr-staff-in-post",
                           snapshot_date="2024-03-31")
    absent = {p.column for p in report.warnings if p.code == "mapped_column_absent"}
    assert absent == {"org_code", "assignment_id", "board_member", "board_role", "board_voting", "site",
                      "religion", "sexual_orientation", "marital_status", "date_of_birth"}


def test_non_afc_grade_falls_through_to_the_grade_column(write_csv):
    df = _bi_frame().rename(columns={"Pay Scale": "Pay Band"})
    df["Grade"] = ["", "", "", "", "Consultant", ""]
    report = validate_file(write_csv(df), "workforce", preset="esr-staff-in-post", snapshot_date="2024-03-31")
    assert report.ok and not [p for p in report.warnings if p.code == "medical_grade_fallback"]


def test_non_afc_grade_outside_medical_is_an_error_not_a_guess(write_csv):
    df = _bi_frame()
    df.loc[5, "Pay Scale"] = "Non AfC Grade"
    report = validate_file(write_csv(df), "workforce", preset="esr-staff-in-post", snapshot_date="2024-03-31")
    assert [(p.row, p.column, p.value, p.code) for p in report.errors] == [
        (7, "pay_band", "Non AfC Grade", "unknown_code")]


@pytest.mark.parametrize("value,band", [
    ("Band 8 - Range A", "8a"), ("Band 8 - Range B", "8b"), ("Band 8 - Range C", "8c"), ("Band 8 - Range D", "8d"),
    ("Agenda for Change Band 5", "5"), ("Agenda for Change Band 8 - Range A", "8a"), ("XR05", "5"), ("XR02", "2"),
    ("Band 8A", "8a"), ("AfC Band 7", "7"), ("Speciality Registrar (StR)", "trainee"),
    ("Specialty Registrar (StR)", "trainee"), ("Specialty Registrar", "trainee"), ("Consultant", "consultant"),
    ("Specialty Doctor", "career_grade"), ("Very Senior Manager", "VSM"),
])
def test_pay_band_spellings(value, band):
    assert pay_band_lookup()[normalise_label(value)] == band


@pytest.mark.parametrize("kind,value,code", [
    ("sex", "Unspecified", "unknown"), ("disability", "Unspecified", "unknown"),
    ("assignment_category", "Non-Exec Director/Chair", "other"),
])
def test_vocabulary_spellings(kind, value, code):
    assert vocabulary(kind)[normalise_label(value)] == code


@pytest.mark.parametrize("value", ["Unspecified", "X Not Known"])
def test_ethnicity_not_known_spellings(value):
    assert ethnicity_code(value) == "99"
