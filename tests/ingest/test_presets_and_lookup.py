"""The shipped presets and the ethnicity / staff group lookups."""

from __future__ import annotations

import pandas as pd
import pytest

from parity.contract.codes import ETHNIC_CATEGORIES, STAFF_GROUPS
from parity.contract.lookup import ethnicity_lookup, normalise_label, staff_group_lookup
from parity.ingest import import_file, preset_names, validate_file
from parity.ingest.vocab import ethnicity_code


def test_presets_shipped():
    assert {"esr-staff-in-post", "recruitment-generic"} <= set(preset_names())


def test_esr_preset(ws, esr_frame, write_csv, read_table):
    result = import_file(ws, write_csv(esr_frame, "esr.csv"), "workforce", preset="esr-staff-in-post")
    assert result.imported, result.problems
    assert result.dropped_columns == []
    got = read_table(ws, "workforce")
    # assignment numbers are kept to tell a person's assignments apart, pseudonymised like every id
    assert set(got["assignment_id"]) == set(ws.pseudonymise(esr_frame["Assignment Number"]))
    got["raw"] = got["person_id"].map(dict(zip(ws.pseudonymise(esr_frame["Employee Number"]),
                                               esr_frame["Employee Number"], strict=True)))
    got = got.sort_values(["raw", "fte"], ascending=[True, False]).reset_index(drop=True)
    assert got["pay_band"].tolist() == ["5", "consultant", "medical_other", "8a", "trainee", "VSM",
                                        "medical_other", "2"]
    assert got["ethnic_category"].tolist() == ["A", "N", "N", "C", "Z", "A", "99", "99"]
    assert got["staff_group"].tolist() == ["03", "01", "01", "05", "01", "08", "01", "09"]
    assert got["assignment_category"].tolist() == ["permanent", "permanent", "locum", "fixed_term", "other",
                                                   "bank", "permanent", "permanent"]
    assert got["disability"].tolist() == ["no", "unknown", "unknown", "unknown", "unknown", "yes", "no", "no"]
    assert got["sex"].tolist()[:2] == ["female", "male"]
    assert got["board_role"].tolist()[3] == "executive" and got["board_role"].tolist()[5] == "non_executive"
    assert got["board_member"].tolist() == [False, False, False, True, False, True, False, False]
    assert got["primary_assignment"].tolist()[:3] == [True, True, False]
    assert set(got["org_code"]) == {"RXX"}
    assert str(got["snapshot_date"][0])[:10] == "2024-03-31"


def test_esr_unmapped_grade_outside_medical_is_an_error(esr_frame, write_csv):
    esr_frame.loc[0, "Pay Band"] = "Band 99"
    report = validate_file(write_csv(esr_frame), "workforce", preset="esr-staff-in-post")
    assert [(p.row, p.column, p.value) for p in report.errors] == [(2, "pay_band", "Band 99")]


def test_recruitment_generic_preset(ws, write_csv, read_table):
    df = pd.DataFrame({
        "Application ID": ["A1", "A2", "A3"], "Vacancy ID": ["V1", "V1", "V2"],
        "Applicant ID": ["P1", "P2", "P1"], "Application Date": ["01/06/2023", "2023-06-02", "15/01/2024"],
        "Ethnicity": ["White: Roma", "Asian or Asian British: Chinese", "Prefer not to say"],
        "Gender": ["Female", "Male", "Prefer not to say"], "Disability": ["No", "Yes", "Prefer not to say"],
        "Shortlisted": ["Yes", "Yes", "No"], "Interviewed": ["Yes", "No", "No"], "Offered": ["Yes", "No", "No"],
        "Appointed": ["Yes", "No", "No"], "Offer Declined": ["No", "", ""], "Internal Applicant": ["Yes", "No", "No"]})
    result = import_file(ws, write_csv(df), "applications", preset="recruitment-generic", year=2024)
    assert result.imported, result.problems
    got = read_table(ws, "applications").sort_values("application_date")
    assert got["ethnic_category"].tolist() == ["C", "R", "Z"]
    assert got["sex"].tolist() == ["female", "male", "unknown"]
    assert got["internal"].tolist() == [True, False, False]
    assert got["offer_declined"].isna().tolist() == [False, True, True]


def test_lookup_covers_every_national_code_and_label():
    lookup = ethnicity_lookup()
    for code, (label, _) in ETHNIC_CATEGORIES.items():
        assert lookup[normalise_label(code)] == code
        assert lookup[normalise_label(label)] == code
        assert lookup[normalise_label(f"{code} - {label}")] == code
    assert lookup["9"] == "99"
    for code, (label, _) in STAFF_GROUPS.items():
        assert staff_group_lookup()[normalise_label(label)] == code


@pytest.mark.parametrize("value,code", [
    ("A White - British", "A"), ("a - white - british", "A"), ("White British", "A"), ("White Irish", "B"),
    ("White - Any other White background", "C"), ("Not Stated", "Z"), ("Not Specified", "Z"),
    ("Prefer not to say", "Z"), ("Undefined", "99"), ("9", "99"), ("C2", "C"), ("C3", "C"), ("CA", "C"),
    ("C3 White - Any other White background", "C"), ("LH Asian British", "L"),
    ("White: English, Welsh, Scottish, Northern Irish or British", "A"), ("White: Irish", "B"),
    ("White: Gypsy or Irish Traveller", "C"), ("White: Roma", "C"), ("White: Other White", "C"),
    ("Mixed or Multiple: White and Black Caribbean", "D"), ("Asian or Asian British: Chinese", "R"),
    ("Black, Black British, Black Welsh, Caribbean or African: African", "N"), ("Other ethnic group: Arab", "S"),
    ("  WHITE   british ", "A")])
def test_ethnicity_labels(value, code):
    assert ethnicity_code(value) == code


@pytest.mark.parametrize("value", ["Martian", "No", "A White - Irish", "Q", "X1", "White"])
def test_ethnicity_never_guesses(value):
    assert ethnicity_code(value) is None


def test_user_mapping_extends_lookup():
    assert ethnicity_code("Cornish", {normalise_label("Cornish"): "A"}) == "A"
    assert ethnicity_code("Kurdish", {normalise_label("Kurdish"): "Any other ethnic group"}) == "S"
