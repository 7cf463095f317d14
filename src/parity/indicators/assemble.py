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


def missing_table_notes(results: list[IndicatorResult], missing: set[str], catalogue: dict[str, Indicator],
                        survey_present: bool) -> None:
    for r in results:
        tables = catalogue[r.id].source_tables
        if survey_present and "survey_responses" in tables:
            continue
        for table in tables:
            if table in missing:
                r.notes.append(f"No `{table}` table has been imported into the workspace.")
