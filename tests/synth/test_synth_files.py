"""Written files: canonical names and values, ESR layout, question map, ground truth, determinism."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pandas as pd
import pytest

from parity.contract import codes
from parity.contract.schema import TABLES
from parity.synth import generate

SMALL = {"staff": 2000, "years": 2, "seed": 3}
CANONICAL = ["workforce", "applications", "disciplinary", "capability", "training", "survey_responses",
             "pay", "leavers"]
ESR_COLUMNS = ["Org Code", "Employee Number", "Assignment Number", "Snapshot Date", "Ethnic Origin", "Gender",
               "Disability", "Pay Band", "Grade", "Staff Group", "Assignment Category", "Primary Assignment",
               "Contracted FTE", "Age Band", "Board Member", "Board Role", "Board Voting",
               "Org L3", "Org L4", "Org L5", "Site", "Religious Belief", "Sexual Orientation", "Marital Status"]
QUESTIONS = ["q_harassment_public", "q_harassment_manager", "q_harassment_colleagues", "q_reported",
             "q_equal_opportunities", "q_discrimination", "q_pressure_work_unwell", "q_valued", "q_adjustments",
             *[f"q_eng_{i}" for i in range(1, 10)]]


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("synth")
    generate(d, **SMALL, orgs=2)
    return d


@pytest.mark.parametrize("name", CANONICAL)
def test_canonical_columns_and_keys(out, name):
    df = read(out / f"{name}.csv")
    schema = TABLES[name]
    contract = [c for c in df.columns if c in schema.names]
    assert contract == [c for c in schema.names if c in df.columns]  # schema order
    assert set(schema.required) <= set(df.columns) and "org_code" in df
    extra = set(df.columns) - set(schema.names)
    assert extra == (set(QUESTIONS) if name == "survey_responses" else set())
    assert not df.duplicated(list(schema.key)).any()
    assert set(df.org_code) == {"R0A", "R0B"}


def test_canonical_values(out):
    w = read(out / "workforce.csv")
    assert set(w.ethnic_category) <= set(codes.ETHNIC_CATEGORIES) | {""} and "" in set(w.ethnic_category)
    assert set(w.sex) == {"female", "male"} and set(w.disability) == set(codes.DISABILITY)
    assert set(w.pay_band) <= set(codes.PAY_BANDS) and set(w.staff_group) <= set(codes.STAFF_GROUPS)
    assert set(w.assignment_category) <= set(codes.ASSIGNMENT_CATEGORIES)
    assert set(w.primary_assignment) == {"true", "false"} and set(w.board_role) == {"", "executive", "non_executive"}
    assert w.snapshot_date.str.fullmatch(r"\d{4}-03-31").all()
    a = read(out / "applications.csv")
    assert a.application_date.str.fullmatch(r"\d{4}-\d\d-\d\d").all()
    dates = pd.to_datetime(a.application_date)
    assert dates.min() >= pd.Timestamp("2023-04-01") and dates.max() <= pd.Timestamp("2025-03-31")
    s = read(out / "survey_responses.csv")
    assert set(s.survey_year) == {"2023", "2024"} and set(s.q_eng_1) <= {"1", "2", "3", "4", "5", ""}


def test_esr_layout(out):
    e = read(out / "esr" / "staff_in_post.csv")
    assert list(e.columns) == ESR_COLUMNS
    assert set(e["Snapshot Date"]) == {"31/03/2024", "31/03/2025"}
    assert "A White - British" in set(e["Ethnic Origin"]) and "Z Not Stated" in set(e["Ethnic Origin"])
    assert set(e.Gender) == {"Female", "Male"} and set(e.Disability) == {"Yes", "No", "Not Declared"}
    assert {"Band 5", "Band 8A", "VSM", ""} <= set(e["Pay Band"])
    assert set(e.Grade) - {""} <= {"Consultant", "Specialty Doctor", "Associate Specialist", "Specialty Registrar",
                                   "Foundation Year 1", "Core Training", "Clinical Fellow"}
    assert ((e.Grade != "") == (e["Pay Band"] == "")).all()
    assert set(e["Assignment Category"]) <= {"Permanent", "Fixed Term Temp", "Bank", "Locum"}
    assert set(e["Board Role"]) == {"", "Executive", "Non-Executive"} and set(e["Board Voting"]) == {"", "Y", "N"}
    assert {"<=20 Years", "21-25", "66-70"} <= set(e["Age Band"])
    w = read(out / "workforce.csv")
    assert len(e) == len(w) and (e["Employee Number"] == w.person_id).all()


def test_question_map_and_truth(out):
    q = read(out / "survey_question_map.csv")
    assert list(q.columns) == ["survey_year", "indicator", "question", "positive", "exclude", "kind"]
    wanted = {"wres.5", "wres.6", "wres.7", "wres.8", "wdes.4a.i", "wdes.4a.ii", "wdes.4a.iii", "wdes.4b",
              "wdes.5", "wdes.6", "wdes.7", "wdes.8", "wdes.9a"}
    assert q.groupby("survey_year").indicator.apply(set).eq(wanted).all()
    assert set(q.question.str.split("|").explode()) <= set(QUESTIONS)
    truth = json.loads((out / "ground_truth.json").read_text())
    assert truth["seed"] == 3 and truth["sizes"]["orgs"] == 2
    assert set(truth["biases"]) >= {"appointment", "pay_gap_sex", "intersection"}
    assert not any(b["injected"] for b in truth["biases"].values())
    assert 0.2 <= truth["realised_group_shares"]["2025-03-31"]["bme"] <= 0.3


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_same_seed_same_bytes(tmp_path, fmt):
    size = SMALL if fmt != "xlsx" else {"staff": 300, "years": 1, "seed": 3}
    a = generate(tmp_path / "a", **size, fmt=fmt, messy=True)
    b = generate(tmp_path / "b", **size, fmt=fmt, messy=True)
    c = generate(tmp_path / "c", **{**size, "seed": 4}, fmt=fmt)
    for name, path in a.paths.items():
        other = b.paths[name]
        assert filecmp.cmp(path, other, shallow=False), f"{name} differs between identical runs"
    assert not filecmp.cmp(a.paths["workforce"], c.paths["workforce"], shallow=False)
