"""Assembly steps shared by the standards: event indicators over one or two years, survey slices."""

from __future__ import annotations

import pandas as pd

from parity.indicators.build import StatsSettings, group_sums, relative_likelihood_result
from parity.indicators.catalogue import Indicator
from parity.indicators.results import IndicatorResult
from parity.indicators.source import select


def event_rate_result(ind: Indicator, events: pd.DataFrame, headcount: pd.DataFrame, *, org: str | None,
                      year: int, period: str, groups: tuple[str, ...], settings: StatsSettings,
                      disadvantaged: str) -> IndicatorResult:
    """People entering a process ÷ 31 March headcount, over one year or two-year rolling.

    Two-year rolling (WRES 3, WDES 3 technical guidance): entries in the current and previous
    financial years ÷ the two year-end headcounts. Falls back to one year, with a note, when the
    previous snapshot is absent; ``period_rule`` says which rule was used.
    """
    rolling = period == "two_year_rolling"
    rule = "two_year_rolling" if rolling and not select(headcount, org, year - 1).empty else "single_year"
    span = 2 if rule == "two_year_rolling" else 1

    def window(end: int) -> pd.DataFrame:
        ys = range(end - span + 1, end + 1)
        num = pd.concat([select(events, org, y) for y in ys])
        den = pd.concat([select(headcount, org, y) for y in ys])
        return merge_numerator(num, den)

    previous = window(year - 1) if not select(headcount, org, year - span).empty else None
    result = relative_likelihood_result(ind, window(year), previous, groups, settings,
                                        period_rule=rule, disadvantaged=disadvantaged)
    if rolling and rule == "single_year":
        result.notes.append("Two-year rolling was asked for, but the previous year's snapshot is absent: single year used.")
    return result


def merge_numerator(num: pd.DataFrame, den: pd.DataFrame) -> pd.DataFrame:
    """Numerators per group beside denominators per group (groups missing from either count 0)."""
    n, d = group_sums(num, "numerator"), group_sums(den, "denominator")
    groups = list(dict.fromkeys([*d, *n]))
    return pd.DataFrame({"group": groups, "numerator": [n.get(g, 0) for g in groups],
                         "denominator": [d.get(g, 0) for g in groups]}, columns=["group", "numerator", "denominator"])


def survey_slices(frame: pd.DataFrame, org: str | None, survey_year: int,
                  ind_id: str) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """This survey year's counts, last survey year's, and where they came from (responses or aggregates)."""
    current = survey_slice(frame, org, survey_year, ind_id)
    source = current["source"].iloc[0] if not current.empty else None
    return current, survey_slice(frame, org, survey_year - 1, ind_id), source


def survey_slice(frame: pd.DataFrame, org: str | None, survey_year: int, ind_id: str) -> pd.DataFrame:
    if frame.empty:
        return frame
    part = frame[(frame.indicator == ind_id) & (frame.survey_year.astype(int) == survey_year)]
    return part if org is None else part[part.org_code == org]


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
