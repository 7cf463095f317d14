"""Assembly steps shared by the standards: event indicators over one or two years, survey slices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parity.indicators.build import StatsSettings, group_sums, relative_likelihood_result
from parity.indicators.catalogue import Indicator
from parity.indicators.results import IndicatorResult
from parity.indicators.rows import Rows, as_rows, split
from parity.indicators.source import select_rows

if TYPE_CHECKING:  # issue 19: not loaded on the compiled-SQL cache's path
    import pandas as pd


def event_rate_result(ind: Indicator, events: pd.DataFrame, headcount: pd.DataFrame, *, org: str | None,
                      year: int, period: str, groups: tuple[str, ...], settings: StatsSettings,
                      disadvantaged: str) -> IndicatorResult:
    """People entering a process ÷ 31 March headcount, over one year or two-year rolling.

    Two-year rolling (WRES 3, WDES 3 technical guidance): entries in the current and previous
    financial years ÷ the two year-end headcounts. Falls back to one year, with a note, when the
    previous snapshot is absent; ``period_rule`` says which rule was used.
    """
    rolling = period == "two_year_rolling"
    rule = "two_year_rolling" if rolling and not select_rows(headcount, org, year - 1).empty else "single_year"
    span = 2 if rule == "two_year_rolling" else 1

    def window(end: int) -> Rows:
        ys = range(end - span + 1, end + 1)
        return merge_counts([select_rows(events, org, y) for y in ys], [select_rows(headcount, org, y) for y in ys])

    previous = window(year - 1) if not select_rows(headcount, org, year - span).empty else None
    result = relative_likelihood_result(ind, window(year), previous, groups, settings,
                                        period_rule=rule, disadvantaged=disadvantaged)
    if rolling and rule == "single_year":
        result.notes.append("Two-year rolling was asked for, but the previous year's snapshot is absent: single year used.")
    return result


def merge_counts(num: list[Rows], den: list[Rows]) -> Rows:
    """Numerators per group (summed over `num`) beside denominators per group (over `den`); groups
    missing from either count 0, in order of first appearance among the denominators, then the
    numerators."""
    n: dict[str, int] = {}
    d: dict[str, int] = {}
    for parts, column, out in ((num, "numerator", n), (den, "denominator", d)):
        for part in parts:
            for g, v in group_sums(part, column).items():
                out[g] = out.get(g, 0) + v
    groups = list(dict.fromkeys([*d, *n]))
    return Rows({"group": groups, "numerator": [n.get(g, 0) for g in groups],
                 "denominator": [d.get(g, 0) for g in groups]})


def merge_numerator(num: pd.DataFrame | Rows, den: pd.DataFrame | Rows) -> pd.DataFrame:
    """Numerators per group beside denominators per group (groups missing from either count 0)."""
    import pandas as pd

    return pd.DataFrame(merge_counts([as_rows(num)], [as_rows(den)]).columns,
                        columns=["group", "numerator", "denominator"])


def survey_slices(frame: pd.DataFrame, org: str | None, survey_year: int,
                  ind_id: str) -> tuple[Rows, Rows, str | None]:
    """This survey year's counts, last survey year's, and where they came from (responses or aggregates)."""
    current = survey_slice(frame, org, survey_year, ind_id)
    source = current["source"][0] if not current.empty else None
    return current, survey_slice(frame, org, survey_year - 1, ind_id), source


def survey_slice(frame: pd.DataFrame, org: str | None, survey_year: int, ind_id: str) -> Rows:
    """One indicator's rows of one survey year, for an organisation or (None) all of them."""
    if frame.empty:
        return as_rows(frame)
    if org is None:
        return split(frame, ("indicator", "survey_year"), lambda k: (k[0], int(k[1]))).get((ind_id, survey_year))
    return split(frame, ("indicator", "survey_year", "org_code"),
                 lambda k: (k[0], int(k[1]), k[2])).get((ind_id, survey_year, org))


SURVEY_TABLES = ("survey_responses", "survey_results")
#: what to import, by missing table, in the "not available" reason
IMPORT_HINT = {"survey_responses": "the staff survey (a survey_responses or survey_results table)",
               "survey_results": "the staff survey (a survey_responses or survey_results table)"}
NOT_AVAILABLE = "not available: import {what}"
NOT_AVAILABLE_YEAR = ("not available: the {table} table holds no records for {year} (it holds {held}); "
                      "import that year")


def missing_table_notes(results: list[IndicatorResult], missing: set[str], catalogue: dict[str, Indicator],
                        survey_present: bool, *, year: int | None = None,
                        table_years: dict[str, list[int]] | None = None) -> None:
    """Mark every indicator whose source table is not imported as not available (issue 12 item 9).

    A missing table is not zero events: "no events (0 of 1,084 ...)" would be a false finding. The
    value and everything read from it become null, ``undefined_reason`` says which table to import,
    ``missing_tables`` lists them and the narrative says so. The survey indicators need one of the
    two survey tables.
    """
    for r in results:
        tables = catalogue[r.id].source_tables
        if survey_present and "survey_responses" in tables:
            continue
        absent = [t for t in tables if t in missing]
        if "survey_responses" in tables and set(SURVEY_TABLES) <= set(absent):
            absent = [t for t in absent if t != "survey_results"]  # one hint for the survey
        elif "survey_responses" in tables:
            absent = []  # one of the two survey tables is there
        for table in absent:
            r.notes.append(f"No `{table}` table has been imported into the workspace.")
        if absent:
            not_available(r, absent)
            continue
        held = {t: (table_years or {}).get(t) for t in tables if (table_years or {}).get(t)}
        gaps = [t for t, ys in held.items() if year is not None and year not in ys]
        if gaps:
            t = gaps[0]
            not_available(r, gaps, reason=NOT_AVAILABLE_YEAR.format(
                table=t, year=financial(year), held=", ".join(financial(y) for y in held[t])))


def financial(year: int) -> str:
    """Reporting year 2025 as the financial year people say: "2024/25"."""
    return f"{year - 1}/{year % 100:02d}"


def not_available(r: IndicatorResult, tables: list[str], *, reason: str | None = None) -> None:
    what = " and ".join(IMPORT_HINT.get(t, f"the {t} table") for t in tables)
    reason = reason or NOT_AVAILABLE.format(what=what)
    r.value = r.ci_low = r.ci_high = r.p_value = r.test = r.within_non_adverse_range = None
    r.assessment = r.assessment_reason = r.certainty = r.statement = None
    r.previous = r.change = r.senior = r.rows = r.breakdowns = None
    if r.difference is not None:  # same shape, nothing in it
        r.difference = {k: (None if k in ("value", "ci_low", "ci_high") else v) for k, v in r.difference.items()}
    r.undefined_reason, r.missing_tables = reason, list(tables)
    r.narrative = f"{reason[0].upper()}{reason[1:]}. Without it this cannot be calculated (it is not zero)."
    for g in r.groups.values():  # the events are unknown, not none; headcounts stay
        g.numerator = g.percent = g.ci_low = g.ci_high = None
