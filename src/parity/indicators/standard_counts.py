"""Every count a standard's indicators need, for every organisation and year, in one pass.

Each frame is the result of one grouped Ibis query over the canonical tables (no Python loop
over organisations or people); the standard's ``api`` then narrows them to an organisation and
year. WRES and WDES differ only in the group function, the event tables and the survey ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd

from parity.indicators import counts as c
from parity.indicators.counts import GroupFn
from parity.indicators.periods import financial_year_of
from parity.indicators.populations import board_members, person_attributes, staff_in_post
from parity.indicators.source import ALL_ORGANISATIONS
from parity.indicators.survey import load_question_map, survey_counts

KEYS = ["org_code", "year", "group"]
NO_DATA = "the workspace holds no data for any year: import the workforce (and other) tables first"
NO_DATA_FOR_YEAR = ("no data for reporting year {year} (the financial year ending 31 March {year}); "
                    "the workspace holds data for {years}")
EVENT_TABLES = ("applications", "disciplinary", "capability", "training")
#: the date that puts a record of each event table in a reporting year
DATE_COLUMNS = {"applications": "application_date", "disciplinary": "case_start_date",
                "capability": "case_start_date", "training": "course_date"}


@dataclass(frozen=True)
class EventSpec:
    """Events counted as people per financial year.

    ``select`` turns the event table into ``org_code, person_id, event_date`` rows (filtering as the
    guidance says); ``among_staff`` restricts to people in post at 31 March (rate = share of the
    headcount) rather than every person with an event, classified by their latest record.
    """

    name: str
    table: str
    select: Callable[[ir.Table], ir.Table]
    among_staff: bool = False


@dataclass
class StandardCounts:
    distribution: pd.DataFrame
    headcount: pd.DataFrame
    recruitment: pd.DataFrame
    events: dict[str, pd.DataFrame]
    survey: pd.DataFrame
    board: pd.DataFrame
    missing_tables: set[str] = field(default_factory=set)
    #: reporting years each imported event table holds any record in (a year absent is not zero events)
    table_years: dict[str, list[int]] = field(default_factory=dict)

    def orgs(self) -> list[str]:
        frames = (self.headcount, self.recruitment, self.survey)
        return sorted({o for f in frames if not f.empty for o in f["org_code"].dropna().unique()})

    def years(self) -> list[int]:
        return sorted({int(y) for y in self.headcount["year"].unique()}) if not self.headcount.empty else []

    def data_years(self) -> list[int]:
        """Reporting years with any data: a 31 March snapshot, recruitment, events, or the staff
        survey of the previous calendar year."""
        found: set[int] = set()
        for frame in (self.headcount, self.recruitment, *self.events.values()):
            if not frame.empty:
                found |= {int(y) for y in frame["year"].unique()}
        if not self.survey.empty and "survey_year" in self.survey:
            found |= {int(y) + 1 for y in self.survey["survey_year"].unique()}
        return sorted(found)

    def check_year(self, year: int) -> None:
        """A year with no data at all is an error naming the years that exist (issue 12 item 9),
        never a page of empty results."""
        years = self.data_years()
        if year in years:
            return
        if not years:
            raise ValueError(NO_DATA)
        raise ValueError(NO_DATA_FOR_YEAR.format(year=year, years=", ".join(str(y) for y in years)))

    def label_all(self) -> str:
        orgs = self.orgs()
        return orgs[0] if len(orgs) == 1 else ALL_ORGANISATIONS


def _frame(expr: ir.Table | None, columns: list[str]) -> pd.DataFrame:
    if expr is None:
        return pd.DataFrame(columns=columns)
    df = expr.to_pandas()
    for col in ("numerator", "denominator", "count", "year"):
        if col in df:
            df[col] = df[col].astype("int64")
    return df if not df.empty else pd.DataFrame(columns=columns)


def count_standard(con: ibis.BaseBackend, *, group: GroupFn, events: tuple[EventSpec, ...],
                   survey_ids: list[str], workspace_dir: Path | None = None,
                   exclude_declined: bool = True) -> StandardCounts:
    tables = set(con.list_tables())
    wanted = ("workforce", *{e.table for e in events}, "applications", "survey_responses", "survey_results")
    # a workspace creates its tables empty: an empty table is as missing as an absent one
    missing = {t for t in wanted if t not in tables or int(con.table(t).count().execute()) == 0}
    table_years = {t: _years_held(con.table(t), DATE_COLUMNS[t]) for t in DATE_COLUMNS
                   if t in tables and t not in missing}
    has_workforce = "workforce" in tables
    # materialised once: several indicators count over the same people in post
    staff = staff_in_post(con).cache() if has_workforce else None
    try:
        distribution = _frame(c.band_distribution(staff, group) if staff is not None else None,
                              ["org_code", "year", "pay_band", "clinical", "group", "count"])
        headcount = _frame(c.headcount(staff, group) if staff is not None else None, KEYS + ["denominator"])
        board = _frame(c.board_and_workforce(board_members(con), staff, group) if staff is not None else None,
                       KEYS + ["breakdown", "count"])
        recruitment = _frame(
            c.appointed_from_shortlisting(con, group, exclude_declined=exclude_declined)
            if "applications" in tables else None, KEYS + ["numerator", "denominator"])
        counted = {}
        attributes = person_attributes(con) if has_workforce else None
        for spec in events:
            expr = None
            if spec.table in tables and has_workforce:
                rows = spec.select(con.table(spec.table))
                expr = (c.staff_with_events(rows, staff, group) if spec.among_staff
                        else c.people_with_events(rows, attributes, group))
            counted[spec.name] = _frame(expr, KEYS + ["numerator", "denominator"])
        survey = survey_counts(con, group, load_question_map(workspace_dir), survey_ids)
    finally:
        if staff is not None:
            staff.release()
    return StandardCounts(distribution, headcount, recruitment, counted, survey, board, missing, table_years)


def _years_held(table: ir.Table, column: str) -> list[int]:
    years = table.select(year=financial_year_of(table[column])).distinct().to_pandas()["year"]
    return sorted(int(y) for y in years.dropna())
