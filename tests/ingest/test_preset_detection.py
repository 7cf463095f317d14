"""Preset detection: a known layout is recognised from its headings, said, and can be turned off."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from parity.cli import app
from parity.contract.schema import table
from parity.ingest import load_preset, preset_names, validate_file
from parity.ingest.detect import detect_preset
from parity.ingest.prepare import prepare

RECRUITMENT = pd.DataFrame({
    "Application ID": ["A1", "A2"], "Vacancy ID": ["V1", "V1"], "Applicant ID": ["P1", "P2"],
    "Application Date": ["01/06/2023", "02/06/2023"], "Ethnicity": ["White British", "Indian"],
    "Gender": ["Female", "Male"], "Disability": ["No", "Yes"], "Shortlisted": ["Yes", "No"],
    "Appointed": ["Yes", "No"]})
GPG = pd.DataFrame({"Employee Number": ["1", "2"], "Gender": ["Male", "Female"], "Hourly Rate": ["15", "14"],
                    "Bonus": ["0", "0"], "Snapshot Date": ["31/03/2024", "31/03/2024"]})


def _detected(report) -> list[str]:
    return [p.message for p in report.problems if p.code == "preset_detected"]


def test_esr_staff_in_post_is_recognised_and_said(esr_frame, write_csv):
    report = validate_file(write_csv(esr_frame), "workforce")
    assert report.ok, report.errors
    assert report.detected_preset == "esr-staff-in-post"
    [msg] = _detected(report)
    assert msg.startswith("This looks like an ESR staff-in-post extract; using preset esr-staff-in-post")
    assert "--no-detect" in msg


def test_esr_without_snapshot_date_names_only_what_is_missing(esr_frame, write_csv):
    path = write_csv(esr_frame.drop(columns="Snapshot Date"))
    report = validate_file(path, "workforce")
    assert report.detected_preset == "esr-staff-in-post"
    [err] = report.errors
    assert err.code == "missing_columns" and "missing for table workforce: snapshot_date." in err.message
    assert validate_file(path, "workforce", snapshot_date="2024-03-31").ok


def test_recruitment_layout_is_recognised(write_csv):
    report = validate_file(write_csv(RECRUITMENT), "applications")
    assert report.ok, report.errors
    assert report.detected_preset == "recruitment-generic"
    assert "a generic recruitment (applicant tracking) extract" in _detected(report)[0]


def test_gender_pay_gap_layout_is_recognised(write_csv):
    report = validate_file(write_csv(GPG), "pay")
    assert report.ok, report.errors
    assert report.detected_preset == "esr-gender-pay-gap"


def test_canonical_names_need_no_preset(sample, write_csv):
    for name in ("workforce", "applications", "pay"):
        report = validate_file(write_csv(sample(name)), name)
        assert report.detected_preset is None and not _detected(report)


def test_a_file_matching_no_layout_lists_the_missing_columns(write_csv):
    df = pd.DataFrame({"Name": ["x"], "Colour": ["blue"], "Gender": ["Female"]})
    report = validate_file(write_csv(df), "workforce")
    assert report.detected_preset is None and not _detected(report)
    assert [p.code for p in report.errors] == ["missing_columns"]
    assert detect_preset(list(df.columns), table("workforce")) is None


def test_no_detect_and_an_explicit_preset_turn_detection_off(esr_frame, write_csv):
    path = write_csv(esr_frame)
    off = validate_file(path, "workforce", detect=False)
    assert off.detected_preset is None and "missing_columns" in {p.code for p in off.errors}
    chosen = validate_file(path, "workforce", preset="esr-staff-in-post")
    assert chosen.ok and chosen.detected_preset is None and not _detected(chosen)


def test_another_tables_layout_is_not_taken_for_this_one(write_csv):
    report = validate_file(write_csv(RECRUITMENT), "workforce")
    assert report.detected_preset is None
    assert {p.code for p in report.errors} >= {"missing_columns", "wrong_table"}


def test_prepare_detects_by_default_for_the_web_upload(esr_frame, write_csv):
    assert prepare(write_csv(esr_frame), "workforce", org="RXX").report.detected_preset == "esr-staff-in-post"


@pytest.mark.parametrize("flag,detected", [([], "esr-staff-in-post"), (["--no-detect"], None)])
def test_cli_validate_detects_and_no_detect(esr_frame, write_csv, flag, detected):
    out = CliRunner().invoke(app, ["validate", write_csv(esr_frame), "--table", "workforce", "--format", "json", *flag])
    assert json.loads(out.stdout)["detected_preset"] == detected
    assert out.exit_code == (0 if detected else 2)


@pytest.mark.parametrize("name", preset_names())
def test_every_shipped_layout_is_recognised_from_its_own_headings(name):
    m = load_preset(name)
    headings = [sources[0] for sources in m.columns.values()]
    found = detect_preset(headings, table(m.table))
    assert found is not None and found.preset == name
    assert found.message.startswith(f"This looks like {m.detect['name']}; using preset {name}")
