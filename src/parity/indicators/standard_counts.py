"""Every count a standard's indicators need, for every organisation and year, in one pass.

Each frame is the result of one grouped Ibis query over the canonical tables (no Python loop
over organisations or people); the standard's ``api`` then narrows them to an organisation and
year. WRES and WDES differ only in the group function, the event tables and the survey ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd

from parity.indicators import counts as c
from parity.indicators.counted import NO_DATA, NO_DATA_FOR_YEAR, StandardCounts  # noqa: F401 (re-exported)
from parity.indicators.counts import GroupFn
from parity.indicators.periods import financial_year_of
from parity.indicators.populations import board_members, counted_staff
from parity.indicators.runner import Runner
from parity.indicators.survey import load_question_map, survey_counts

KEYS = ["org_code", "year", "group"]
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


def _frame(run: Runner, name: str, expr: ir.Table | None, columns: list[str]) -> pd.DataFrame:
    if expr is None:
        return run.empty(name, columns)
    df = run.frame(name, expr)
    for col in ("numerator", "denominator", "count", "year"):
        if col in df:
            df[col] = df[col].astype("int64")
    return df if not df.empty else pd.DataFrame(columns=columns)


def count_standard(con: ibis.BaseBackend, *, group: GroupFn, events: tuple[EventSpec, ...],
                   survey_ids: list[str], workspace_dir: Path | None = None,
                   exclude_declined: bool = True, runner: Runner | None = None) -> StandardCounts:
    """Every count of one standard. ``runner`` runs each query (default: Ibis; `Recorder` also keeps
    the SQL, for `parity.sqlcache`)."""
    run = runner or Runner()
    tables = set(con.list_tables())
    wanted = ("workforce", *{e.table for e in events}, "applications", "survey_responses", "survey_results")
    run.note("wanted", sorted(set(wanted)))
    # a workspace creates its tables empty: an empty table is as missing as an absent one
    missing = {t for t in wanted if t not in tables or run.scalar(f"count:{t}", con.table(t).count()) == 0}
    # the years each of the standard's own event tables holds (WDES reads no training records)
    table_years = {t: _years_held(run, t, con.table(t), DATE_COLUMNS[t]) for t in DATE_COLUMNS
                   if t in wanted and t in tables and t not in missing}
    has_workforce = "workforce" in tables
    # materialised once: several counts read the same people in post, and the distribution's few
    # thousand rows give the headcount the other counts compare with (issue 19)
    staff = spread = heads = None
    if has_workforce:
        staff = run.materialise("staff", counted_staff(con, group))
    try:
        if staff is not None:
            spread = run.materialise("distribution", c.band_distribution(staff))
            heads = c.headcount_from(spread)
        distribution = _frame(run, "distribution", spread, ["org_code", "year", "pay_band", "clinical", "group", "count"])
        headcount = _frame(run, "headcount", heads, KEYS + ["denominator"])
        board = _frame(run, "board", c.board_and_workforce(board_members(con), group, heads) if heads is not None
                       else None, KEYS + ["breakdown", "count"])
        recruitment = _frame(
            run, "recruitment", c.appointed_from_shortlisting(con, group, exclude_declined=exclude_declined)
            if "applications" in tables else None, KEYS + ["numerator", "denominator"])
        counted = {}
        for spec in events:
            expr = None
            if spec.table in tables and has_workforce:
                rows = spec.select(con.table(spec.table))
                expr = (c.staff_with_events(rows, staff, heads) if spec.among_staff
                        else c.people_with_events(rows, con, group))
            counted[spec.name] = _frame(run, f"events:{spec.name}", expr, KEYS + ["numerator", "denominator"])
        survey = survey_counts(con, group, load_question_map(workspace_dir), survey_ids, runner=run)
    finally:
        for table in (spread, staff):
            if table is not None:
                run.release(table)
    return StandardCounts(distribution, headcount, recruitment, counted, survey, board, missing, table_years)


def _years_held(run: Runner, name: str, table: ir.Table, column: str) -> list[int]:
    years = run.frame(f"years:{name}", table.select(year=financial_year_of(table[column])).distinct())["year"]
    return sorted(int(y) for y in years.dropna())
