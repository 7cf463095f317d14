"""The packaged staff survey question map: NHS Staff Survey question numbers by survey year, so a
local survey file with the real question columns maps without hand renaming (issue 13)."""

from __future__ import annotations

import pandas as pd
import pytest

import parity
from parity.indicators.survey import MAP_COLUMNS, load_question_map

NUMBERED = {"wres.5": "q14a", "wres.6": "q14b|q14c", "wres.7": "q15", "wres.8": "q16b",
            "wdes.4a.i": "q14a", "wdes.4a.ii": "q14b", "wdes.4a.iii": "q14c", "wdes.5": "q15"}


@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024])
def test_real_question_numbers_for_2021_to_2024(year):
    qmap = load_question_map()
    rows = qmap[qmap.survey_year == str(year)]
    assert dict(zip(rows.indicator, rows.question, strict=True)) == NUMBERED


def test_the_existing_map_format_still_loads_and_keeps_the_synthetic_names():
    qmap = load_question_map()
    assert list(qmap.columns) == MAP_COLUMNS
    star = qmap[qmap.survey_year == "*"]
    assert star.set_index("indicator").loc["wres.5", "question"] == "q_harassment_public"


def _responses() -> pd.DataFrame:
    # 2023 survey (reporting year 2024) as a survey provider gives it: one row per respondent,
    # columns headed with the questionnaire's numbers, in capitals
    rows = [
        # ethnicity, disability, Q14a, Q14b, Q14c, Q15, Q16b
        ("A", "No", "Never", "Never", "Never", "Yes", "No"),
        ("A", "No", "1-2", "Never", "3-5", "No", "No"),
        ("A", "Yes", "Never", "Never", "Never", "Don't know", "No"),
        ("A", "No", "More than 10", "Never", "Never", "Yes", "Yes"),
        ("N", "Yes", "3-5", "1-2", "Never", "No", "Yes"),
        ("N", "No", "Never", "Never", "Never", "Yes", "No"),
        ("H", "Yes", "6-10", "Never", "Never", "No", "Yes"),
    ]
    df = pd.DataFrame(rows, columns=["ethnic_category", "disability", "Q14a", "Q14b", "Q14c", "Q15", "Q16b"])
    return df.assign(response_id=[f"R{i}" for i in range(len(df))], survey_year="2023", sex="female")


def test_a_survey_file_with_real_question_columns_feeds_wres_and_wdes(ws, write_csv, sample):
    from parity.ingest import import_file

    assert import_file(ws, write_csv(_responses(), "survey.csv"), "survey_responses").imported
    assert import_file(ws, write_csv(sample("workforce"), "staff.csv"), "workforce").imported
    wres = parity.wres(ws.path, year=2024)
    # White (4): q14a harmed 2 → 50%; q14b or q14c 1 → 25%; q15 Yes 2 of 3 answering (Don't know out);
    # q16b 1 of 4. BME (3): q14a 2 of 3; q14b|c 1 of 3; q15 1 of 3; q16b 2 of 3.
    expect = {"wres.5": ((2, 4), (2, 3)), "wres.6": ((1, 4), (1, 3)), "wres.7": ((2, 3), (1, 3)),
              "wres.8": ((1, 4), (2, 3))}
    for ind, (white, bme) in expect.items():
        g = wres[ind].groups
        assert (g["White"].numerator, g["White"].denominator) == white, ind
        assert (g["BME"].numerator, g["BME"].denominator) == bme, ind
    wdes = parity.wdes(ws.path, year=2024)
    # Disabled (3): q14a harmed 2 (3-5, 6-10); non-disabled (4): 2 (1-2, More than 10)
    g = wdes["wdes.4a.i"].groups
    assert (g["Disabled"].numerator, g["Disabled"].denominator) == (2, 3)
    assert (g["Non-disabled"].numerator, g["Non-disabled"].denominator) == (2, 4)
