"""Shared fixtures: small realistic extracts for every canonical table, built here (not by the
synthetic generator) so these tests do not depend on it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parity.workspace import Workspace

ETHNIC = ["A", "White British", "B", "C", "D", "H", "J", "M", "N", "R", "S", "Z", ""]
BANDS = ["2", "3", "4", "5", "6", "7", "8a", "8b", "VSM"]
GROUPS = ["03", "04", "07", "08", "09"]


def make_sample(table: str, n: int = 30, seed: int = 0) -> pd.DataFrame:
    """A realistic extract for `table` with canonical column names (all values as text)."""
    rng = np.random.default_rng(seed)
    pick = lambda values: rng.choice(values, n)  # noqa: E731
    ids = [f"E{100000 + i}" for i in range(n)]
    if table == "workforce":
        return pd.DataFrame({
            "person_id": ids, "snapshot_date": "2024-03-31", "ethnic_category": pick(ETHNIC[:11]),
            "sex": pick(["female", "male", "F", "M"]), "disability": pick(["yes", "no", "unknown"]),
            "pay_band": pick(BANDS), "staff_group": pick(GROUPS),
            "assignment_category": pick(["permanent", "fixed_term", "bank"]), "fte": pick(["1", "0.8", "0.5"]),
            "primary_assignment": "Y"})
    if table == "applications":
        shortlisted = pick(["Yes", "No"])
        appointed = np.where(shortlisted == "Yes", pick(["Yes", "No"]), "No")
        return pd.DataFrame({
            "application_id": [f"APP{i}" for i in range(n)], "vacancy_id": pick(["V1", "V2", "V3"]),
            "applicant_id": ids, "application_date": pick(["2023-05-01", "12/10/2023", "2024-02-29"]),
            "ethnic_category": pick(ETHNIC[:11]), "sex": pick(["female", "male"]), "disability": pick(["yes", "no"]),
            "shortlisted": shortlisted, "interviewed": shortlisted, "offered": appointed, "appointed": appointed})
    if table in ("disciplinary", "capability"):
        df = pd.DataFrame({"case_id": [f"C{i}" for i in range(n)], "person_id": ids,
                           "case_start_date": pick(["2023-06-01", "2024-01-15"]), "formal": pick(["Y", "N"])})
        if table == "capability":
            df["ill_health"] = pick(["Y", "N"])
        return df
    if table == "training":
        return pd.DataFrame({"person_id": ids, "course_date": pick(["2023-09-01", "2023-11-20"]),
                             "non_mandatory": pick(["true", "false"]), "course": [f"Course {i}" for i in range(n)]})
    if table == "survey_responses":
        return pd.DataFrame({"response_id": [f"R{i}" for i in range(n)], "survey_year": "2023",
                             "ethnic_category": pick(ETHNIC[:11]), "disability": pick(["yes", "no"]),
                             "sex": pick(["female", "male"]), "Q14a": pick(["Never", "1-2", ""]),
                             "Q15": pick(["Yes", "No"])})
    if table == "survey_results":
        groups = ["White", "BME", "Unknown"]
        return pd.DataFrame({"survey_year": "2023", "indicator": [f"wres.{5 + i // 3}" for i in range(9)],
                             "group": groups * 3, "responses": "120", "positive": "30"})
    if table == "pay":
        return pd.DataFrame({"person_id": ids, "snapshot_date": "2024-03-31", "ordinary_pay": pick(["2100.50", "3400"]),
                             "pay_period_days": "30.44", "weekly_hours": pick(["37.5", "20"]),
                             "bonus_12m": pick(["0", "150"]), "full_pay": "Y", "sex": pick(["female", "male"])})
    if table == "leavers":
        return pd.DataFrame({"person_id": ids, "leave_date": pick(["2023-07-31", "2024-01-05"]),
                             "reason": pick(["Retirement", "Relocation"])})
    if table == "benchmarks":  # issue 18
        return pd.DataFrame({"org_code": [f"R{i:02d}" for i in range(n)], "year": "2025", "indicator": "wres.2",
                             "org_type": pick(["acute", "community"]), "value": pick(["1.2", "0.9"]),
                             "numerator_a": "30", "denominator_a": "100", "numerator_b": "25",
                             "denominator_b": "100"})
    raise KeyError(table)


@pytest.fixture
def sample():
    """sample(table, n=30, seed=0) -> DataFrame of text with canonical column names."""
    return make_sample


@pytest.fixture
def ws(tmp_path) -> Workspace:
    return Workspace.open(tmp_path / "ws")


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(df, name="x.csv", encoding="utf-8") -> path"""

    def write(df: pd.DataFrame, name: str = "extract.csv", encoding: str = "utf-8") -> str:
        path = tmp_path / name
        df.to_csv(path, index=False, encoding=encoding)
        return str(path)

    return write


@pytest.fixture
def esr_frame() -> pd.DataFrame:
    """An ESR staff-in-post extract in the exact layout the synthetic generator writes."""
    rows = [
        ("RXX", "10001", "10001-1", "31/03/2024", "A White - British", "Female", "No", "Band 5", "",
         "Nursing and Midwifery Registered", "Permanent", "Y", "1.0", "26-30", "N", "", ""),
        ("RXX", "10002", "10002-1", "31/03/2024", "N Black or Black British - African", "Male", "Not Declared", "",
         "Consultant", "Medical and Dental", "Permanent", "Y", "0.8", "41-45", "N", "", ""),
        ("RXX", "10002", "10002-2", "31/03/2024", "N Black or Black British - African", "Male", "Not Declared", "",
         "Clinical Fellow", "Medical and Dental", "Locum", "N", "0.2", "41-45", "N", "", ""),
        ("RXX", "10003", "10003-1", "31/03/2024", "C3 White - Any other White background", "Female",
         "Prefer Not To Answer", "Band 8A", "", "Add Prof Scientific and Technic", "Fixed Term Temp", "Y", "1",
         "<=20 Years", "Y", "Executive", "Y"),
        ("RXX", "10004", "10004-1", "31/03/2024", "Not Stated", "Male", "", "", "Foundation Year 1",
         "Medical and Dental", "Honorary", "Y", "1", "21-25", "N", "", ""),
        ("RXX", "10005", "10005-1", "31/03/2024", "White British", "Female", "Yes", "VSM", "",
         "Administrative and Clerical", "Bank", "Y", "0.5", ">=71 Years", "Y", "Non-Executive", "N"),
        ("RXX", "10006", "10006-1", "31/03/2024", "Undefined", "Female", "No", "", "Some Odd Grade",
         "Medical and Dental", "Permanent", "Y", "1", "31-35", "N", "", ""),
        ("RXX", "10007", "10007-1", "31/03/2024", "", "Male", "No", "Band 2", "", "Estates and Ancillary",
         "Permanent", "Y", "1", "56-60", "N", "", ""),
    ]
    cols = ["Org Code", "Employee Number", "Assignment Number", "Snapshot Date", "Ethnic Origin", "Gender",
            "Disability", "Pay Band", "Grade", "Staff Group", "Assignment Category", "Primary Assignment",
            "Contracted FTE", "Age Band", "Board Member", "Board Role", "Board Voting"]
    return pd.DataFrame(rows, columns=cols)


def stored(ws: Workspace, table: str) -> pd.DataFrame:
    with ws.connect(read_only=False) as con:
        return con.execute(f'SELECT * FROM "{table}"').df()


@pytest.fixture
def read_table():
    return stored
