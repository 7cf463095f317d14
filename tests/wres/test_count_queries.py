"""The count queries behind WRES and WDES on hand-built tables (issue 19: leaner SQL, same counts).

People in post are carried with only the columns the counts read; the headcount is the
distribution summed; events among staff are a semi join; a person's attributes are looked up only
for the people with an event. Every expected number here is worked out by hand from the rows.
"""

from __future__ import annotations

from datetime import date

import ibis
import pandas as pd

from parity.indicators.populations import counted_staff, staff_in_post
from parity.standards.wdes.counts import by_disability, count_wdes
from parity.standards.wres.counts import by_ethnicity, count_wres

MARCH_2025, MARCH_2024 = date(2025, 3, 31), date(2024, 3, 31)


def _people(trust) -> None:
    # P1: two assignments at 31 March 2025: the primary one (band 7) places them; one record says
    # Disabled, so WDES counts them Disabled; White
    trust.staff(1, person_id="P1", pay_band="5", fte=1.0, primary_assignment=False, disability="no")
    trust.staff(1, person_id="P1", pay_band="7", fte=0.5, primary_assignment=True, disability="yes")
    # P2: bank only, not in post
    trust.staff(1, person_id="P2", assignment_category="bank", ethnic_category="D")
    # P3: BME band 5, two non-mandatory courses and two formal cases in 2024/25 (each counted once)
    trust.staff(1, person_id="P3", ethnic_category="D", disability="no")
    # P4: left before 31 March 2025; their latest record (31 March 2024) says BME, Disabled
    trust.staff(1, person_id="P4", snapshot_date=MARCH_2024, ethnic_category="H", disability="yes")
    # P5: White band 8a board member (voting executive), two records in 2025
    trust.staff(1, person_id="P5", pay_band="8a", board_member=True, board_role="executive", board_voting=True)
    trust.staff(1, person_id="P5", pay_band="8a", primary_assignment=False, fte=0.2)
    # P6: White band 5, in post both years, no events
    trust.staff(1, person_id="P6", snapshot_date=MARCH_2024)
    trust.staff(1, person_id="P6")
    trust.add("training", person_id="P3", course_date=date(2024, 5, 1))
    trust.add("training", person_id="P3", course_date=date(2025, 1, 9))
    trust.add("training", person_id="P1", course_date=date(2024, 3, 15))  # 2023/24: counted in 2024, not in post then
    trust.add("training", person_id="P6", course_date=date(2024, 9, 1), non_mandatory=False)  # mandatory
    trust.add("training", person_id="P9", course_date=date(2024, 9, 1))  # never in post
    trust.add("disciplinary", person_id="P3", case_start_date=date(2024, 4, 1))
    trust.add("disciplinary", person_id="P3", case_start_date=date(2025, 3, 31))
    trust.add("disciplinary", person_id="P4", case_start_date=date(2024, 6, 1))
    trust.add("disciplinary", person_id="P6", case_start_date=date(2024, 6, 1), formal=False)
    trust.add("disciplinary", person_id="P9", case_start_date=date(2024, 6, 1))  # no workforce record: Unknown
    trust.add("capability", person_id="P1", case_start_date=date(2024, 7, 1))
    trust.add("capability", person_id="P4", case_start_date=date(2024, 7, 1), ill_health=True)
    trust.add("applications", 1)


def _as_dict(frame: pd.DataFrame, keys: list[str], value: str) -> dict:
    return {tuple(r[:-1]): int(r[-1]) for r in frame[[*keys, value]].itertuples(index=False, name=None)}


def test_wres_counts_by_hand(trust):
    _people(trust)
    counts = count_wres(trust.connect())
    assert _as_dict(counts.distribution, ["year", "pay_band", "group"], "count") == {
        (2025, "7", "White"): 1, (2025, "5", "BME"): 1, (2025, "8a", "White"): 1, (2025, "5", "White"): 1,
        (2024, "5", "BME"): 1, (2024, "5", "White"): 1}
    assert _as_dict(counts.headcount, ["year", "group"], "denominator") == {
        (2025, "White"): 3, (2025, "BME"): 1, (2024, "BME"): 1, (2024, "White"): 1}
    training = counts.events["training"]
    assert _as_dict(training, ["year", "group"], "numerator") == {
        (2025, "White"): 0, (2025, "BME"): 1, (2024, "BME"): 0, (2024, "White"): 0}
    assert _as_dict(training, ["year", "group"], "denominator") == _as_dict(counts.headcount, ["year", "group"],
                                                                            "denominator")
    # P3 once (two cases), P4 by their last record (BME), P9 Unknown; P6's case was not formal
    assert _as_dict(counts.events["disciplinary"], ["year", "group"], "numerator") == {
        (2025, "BME"): 2, (2025, "Unknown"): 1}
    board = _as_dict(counts.board, ["year", "group", "breakdown"], "count")
    assert {k: v for k, v in board.items() if k[0] == 2025} == {
        (2025, "White", "all"): 1, (2025, "White", "voting"): 1, (2025, "White", "executive"): 1,
        (2025, "White", "workforce"): 3, (2025, "BME", "workforce"): 1}


def test_wdes_counts_by_hand(trust):
    _people(trust)
    counts = count_wdes(trust.connect())
    # P1 Disabled (one record says so) at band 7; P3, P5, P6 non-disabled; 2024: P4 Disabled, P6
    assert _as_dict(counts.distribution, ["year", "pay_band", "group"], "count") == {
        (2025, "7", "Disabled"): 1, (2025, "5", "Non-disabled"): 2, (2025, "8a", "Non-disabled"): 1,
        (2024, "5", "Disabled"): 1, (2024, "5", "Non-disabled"): 1}
    assert _as_dict(counts.events["capability"], ["year", "group"], "numerator") == {(2025, "Disabled"): 2}
    assert _as_dict(counts.events["capability_performance"], ["year", "group"], "numerator") == {
        (2025, "Disabled"): 1}
    assert counts.table_years == {"applications": [2025], "capability": [2025]}  # no training years asked


def test_counted_staff_is_staff_in_post_lean(trust):
    """The lean people in post are `staff_in_post`'s people, with their group and six columns only;
    WRES's query has no disability window (its group never reads disability)."""
    _people(trust)
    con = trust.connect()
    for group in (by_ethnicity, by_disability):
        full = staff_in_post(con)
        full = full.select("org_code", "year", "person_id", "pay_band", "clinical", group=group(full))
        lean = counted_staff(con, group)
        assert lean.columns == ("org_code", "year", "person_id", "pay_band", "clinical", "group")
        order = ["year", "person_id"]
        pd.testing.assert_frame_equal(lean.to_pandas().sort_values(order, ignore_index=True),
                                      full.to_pandas().sort_values(order, ignore_index=True))
    windows = {g: ibis.to_sql(counted_staff(con, g)).upper().count(" OVER (") for g in (by_ethnicity, by_disability)}
    assert windows == {by_ethnicity: 1, by_disability: 2}  # the primary assignment; and any Disabled record
