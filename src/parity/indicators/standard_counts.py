"""Every count a standard's indicators need, for every organisation and year, in one pass.

Each frame is the result of one grouped Ibis query over the canonical tables (no Python loop
over organisations or people); the standard's ``api`` then narrows them to an organisation and
year. WRES and WDES differ only in the group function, the event tables and the survey ids.

``years`` restricts the counting to some reporting years (issue 18, "Scale": `parity benchmark
build` counts the reporting year and the year before, not the whole history): every table is read
through a filter on its financial year (`DATE_COLUMNS`; the workforce by its snapshot date; the staff
survey of reporting year Y is that of calendar year Y - 1, `periods.survey_year_for`), so each count
frame holds exactly the rows of those years that counting every year gives. What is not a count of a
year is still read whole: which tables hold rows and for which years (the "not available" notes), each
person's latest recorded attributes (`populations.person_attributes`: a person's latest snapshot may
be of a later year), and the workspace's organisations (`StandardCounts.organisations`).
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
from parity.indicators.periods import financial_year_of, in_financial_years, survey_year_for
from parity.indicators.populations import board_members, counted_staff, staff_organisations
from parity.indicators.rows import missing as missing_value
from parity.indicators.runner import Runner
from parity.indicators.survey import load_question_map, survey_counts, survey_organisations

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


def survey_years_of(years: list[int] | None) -> list[int] | None:
    """The staff survey years reporting `years` read (None: all)."""
    return None if years is None else sorted({survey_year_for(y) for y in years})


def count_standard(con: ibis.BaseBackend, *, group: GroupFn, events: tuple[EventSpec, ...],
                   survey_ids: list[str], workspace_dir: Path | None = None,
                   exclude_declined: bool = True, runner: Runner | None = None,
                   years: list[int] | None = None) -> StandardCounts:
    """Every count of one standard. ``runner`` runs each query (default: Ibis; `Recorder` also keeps
    the SQL, for `parity.sqlcache`); ``years``: count these reporting years only (default all)."""
    run = runner or Runner()

    def of_years(name: str) -> ir.Table:  # a table's rows of the years counted
        table = con.table(name)
        return table if years is None else table.filter(in_financial_years(table[DATE_COLUMNS[name]], years))

    tables = set(con.list_tables())
    wanted = ("workforce", *{e.table for e in events}, "applications", "survey_responses", "survey_results")
    run.note("wanted", sorted(set(wanted)))
    # a workspace creates its tables empty: an empty table is as missing as an absent one
    missing = {t for t in wanted if t not in tables or run.scalar(f"count:{t}", con.table(t).count()) == 0}
    # the years each of the standard's own event tables holds (WDES reads no training records)
    table_years = {t: _years_held(run, t, con.table(t), DATE_COLUMNS[t]) for t in DATE_COLUMNS
                   if t in wanted and t in tables and t not in missing}
    if years is not None and _holds_only(run, con, set(wanted) & tables - missing, table_years, years):
        years = None  # nothing outside them: every year's counts, with no filter to run
    has_workforce = "workforce" in tables
    # materialised once: several counts read the same people in post, and the distribution's few
    # thousand rows give the headcount the other counts compare with (issue 19)
    staff = spread = heads = None
    workforce = None
    if has_workforce:
        workforce = con.table("workforce")
        workforce = workforce if years is None else workforce.filter(in_financial_years(workforce.snapshot_date, years))
        staff = run.materialise("staff", counted_staff(con, group, workforce))
    try:
        if staff is not None:
            spread = run.materialise("distribution", c.band_distribution(staff))
            heads = c.headcount_from(spread)
        distribution = _frame(run, "distribution", spread, ["org_code", "year", "pay_band", "clinical", "group", "count"])
        headcount = _frame(run, "headcount", heads, KEYS + ["denominator"])
        board = _frame(run, "board", c.board_and_workforce(board_members(con, workforce), group, heads)
                       if heads is not None else None, KEYS + ["breakdown", "count"])
        recruitment = _frame(
            run, "recruitment", c.appointed_from_shortlisting(con, group, exclude_declined=exclude_declined,
                                                              applications=of_years("applications"))
            if "applications" in tables else None, KEYS + ["numerator", "denominator"])
        counted = {}
        for spec in events:
            expr = None
            if spec.table in tables and has_workforce:
                rows = spec.select(of_years(spec.table))
                expr = (c.staff_with_events(rows, staff, heads) if spec.among_staff
                        else c.people_with_events(rows, con, group))
            counted[spec.name] = _frame(run, f"events:{spec.name}", expr, KEYS + ["numerator", "denominator"])
        qmap = load_question_map(workspace_dir)
        survey = survey_counts(con, group, qmap, survey_ids, runner=run, survey_years=survey_years_of(years))
    finally:
        for table in (spread, staff):
            if table is not None:
                run.release(table)
    organisations = None if years is None else _organisations(run, con, tables, exclude_declined, qmap, survey_ids)
    return StandardCounts(distribution, headcount, recruitment, counted, survey, board, missing, table_years,
                          organisations)


def _holds_only(run: Runner, con: ibis.BaseBackend, held_tables: set[str], table_years: dict[str, list[int]],
                years: list[int]) -> bool:
    """Whether every record of the tables counted is of one of `years` (the staff survey of Y - 1
    counting for Y): then counting those years is counting every year (a workspace of two years, the
    build asking for both), and neither the filters nor `_organisations` need run. The event tables'
    years are known (``table_years``); the workforce's and the survey's are one small query each
    (``span:``; both checked again before a cached plan replays, `runner.SHAPING_PREFIX`)."""
    held = {y for ys in table_years.values() for y in ys}
    for name in sorted(held_tables):
        table = con.table(name)
        if name == "workforce":
            table = table.filter(table.snapshot_date.notnull())
            expr, shift = table.select(year=financial_year_of(table.snapshot_date)).distinct(), 0
        elif name in ("survey_responses", "survey_results"):
            table = table.filter(table.survey_year.notnull())
            expr, shift = table.select(year=table.survey_year.cast("int64")).distinct(), 1
        else:
            continue
        held |= {int(y) + shift for y in run.frame(f"span:{name}", expr)["year"] if not missing_value(y)}
    return held <= set(years)


def _organisations(run: Runner, con: ibis.BaseBackend, tables: set[str], exclude_declined: bool,
                   qmap: pd.DataFrame, survey_ids: list[str]) -> list[str]:
    """The organisations counting every year finds (`StandardCounts.orgs`: anyone in post at a 31 March,
    a shortlisted application, a survey count), from the whole tables but without counting them."""
    parts = []
    if "workforce" in tables:
        parts.append(staff_organisations(con))
    if "applications" in tables:
        parts.append(c.shortlisted(con, exclude_declined=exclude_declined).select("org_code").distinct())
    survey = survey_organisations(con, qmap, survey_ids)
    parts += [survey] if survey is not None else []
    if not parts:
        return []
    found = run.frame("organisations", ibis.union(*parts, distinct=True) if len(parts) > 1 else parts[0])
    return sorted({o for o in found["org_code"] if not missing_value(o)})


def _years_held(run: Runner, name: str, table: ir.Table, column: str) -> list[int]:
    table = table.filter(table[column].notnull())  # no null among a plan's checked results (`SHAPING_PREFIX`)
    years = run.frame(f"years:{name}", table.select(year=financial_year_of(table[column])).distinct())["year"]
    return sorted(int(y) for y in years.dropna())
