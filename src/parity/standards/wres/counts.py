"""Every count the nine WRES indicators need, for every organisation and year, in one pass.

Each frame is the result of one grouped Ibis query over the canonical tables (no Python loop
over organisations or people); `parity.standards.wres.api` then narrows them to an organisation and year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import ibis
import pandas as pd

from parity.indicators import counts as c
from parity.indicators.groups import ethnicity_group
from parity.indicators.populations import board_members, person_attributes, staff_in_post
from parity.indicators.source import ALL_ORGANISATIONS
from parity.indicators.survey import load_question_map, survey_counts

SURVEY_IDS = ["wres.5", "wres.6", "wres.7", "wres.8"]


def by_ethnicity(t):
    return ethnicity_group(t.ethnic_category)


@dataclass
class WresCounts:
    distribution: pd.DataFrame
    headcount: pd.DataFrame
    recruitment: pd.DataFrame
    disciplinary: pd.DataFrame
    training: pd.DataFrame
    survey: pd.DataFrame
    board: pd.DataFrame
    missing_tables: set[str] = field(default_factory=set)

    def orgs(self) -> list[str]:
        frames = (self.headcount, self.recruitment, self.survey)
        return sorted({o for f in frames if not f.empty for o in f["org_code"].dropna().unique()})

    def years(self) -> list[int]:
        return sorted({int(y) for y in self.headcount["year"].unique()}) if not self.headcount.empty else []

    def label_all(self) -> str:
        orgs = self.orgs()
        return orgs[0] if len(orgs) == 1 else ALL_ORGANISATIONS


def _frame(expr, columns: list[str]) -> pd.DataFrame:
    df = expr.to_pandas()
    for col in ("numerator", "denominator", "count", "year"):
        if col in df:
            df[col] = df[col].astype("int64")
    return df if not df.empty else pd.DataFrame(columns=columns)


def count_wres(con: ibis.BaseBackend, *, workspace_dir: Path | None = None, exclude_declined: bool = True) -> WresCounts:
    tables = set(con.list_tables())
    missing = {t for t in ("workforce", "applications", "disciplinary", "training", "survey_responses", "survey_results")
               if t not in tables}
    keys = ["org_code", "year", "group"]
    empty_nd = pd.DataFrame(columns=keys + ["numerator", "denominator"])
    if "workforce" in tables:
        staff = staff_in_post(con)
        distribution = _frame(c.band_distribution(staff, by_ethnicity), ["org_code", "year", "pay_band", "clinical", "group", "count"])
        headcount = _frame(c.headcount(staff, by_ethnicity), keys + ["denominator"])
        board = _frame(c.board_and_workforce(board_members(con), staff, by_ethnicity), keys + ["breakdown", "count"])
    else:
        distribution = pd.DataFrame(columns=["org_code", "year", "pay_band", "clinical", "group", "count"])
        headcount = pd.DataFrame(columns=keys + ["denominator"])
        board = pd.DataFrame(columns=keys + ["breakdown", "count"])
    recruitment = (_frame(c.appointed_from_shortlisting(con, by_ethnicity, exclude_declined=exclude_declined),
                          keys + ["numerator", "denominator"]) if "applications" in tables else empty_nd)
    if "disciplinary" in tables and "workforce" in tables:
        d = con.table("disciplinary")
        formal = d.filter(d.formal.fill_null(False)).select("org_code", "person_id", event_date=d.case_start_date)
        disciplinary = _frame(c.people_with_events(formal, person_attributes(con), by_ethnicity), keys + ["numerator"])
    else:
        disciplinary = pd.DataFrame(columns=keys + ["numerator"])
    if "training" in tables and "workforce" in tables:
        t = con.table("training")
        nm = t.filter(t.non_mandatory.fill_null(False)).select("org_code", "person_id", event_date=t.course_date)
        training = _frame(c.staff_with_events(nm, staff, by_ethnicity), keys + ["numerator", "denominator"])
    else:
        training = empty_nd
    survey = survey_counts(con, by_ethnicity, load_question_map(workspace_dir), SURVEY_IDS)
    return WresCounts(distribution, headcount, recruitment, disciplinary, training, survey, board, missing)
