"""Reporting periods. Reporting year Y = financial year 1 April Y−1 to 31 March Y, snapshot 31 March Y."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # issue 19: not loaded on the compiled-SQL cache's path
    import ibis.expr.types as ir


def snapshot(year: int) -> date:
    return date(year, 3, 31)


def financial_year(year: int) -> tuple[date, date]:
    """First and last day of reporting year `year` (the financial year ending 31 March `year`)."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def financial_year_of(column: ir.DateValue) -> ir.IntegerValue:
    """The reporting year a date falls in: 31 March Y → Y, 1 April Y → Y + 1."""
    import ibis

    return column.year() + ibis.ifelse(column.month() >= 4, 1, 0)


def in_financial_years(column: ir.DateValue, years: list[int]) -> ir.BooleanValue:
    """True where a date falls in one of the reporting `years` (`financial_year_of` in `years`), written
    as date ranges, 1 April Y-1 up to 1 April Y, one per run of consecutive years: a database skips the
    blocks of other years by their stored minimum and maximum instead of computing each row's year."""
    import ibis

    ordered = sorted(set(years))
    if not ordered:
        return ibis.literal(False)
    runs = [[ordered[0], ordered[0]]]
    for y in ordered[1:]:
        if y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    cond = None
    for first, last in runs:  # before the next 1 April, not on or before 31 March: exact for timestamps too
        part = (column >= ibis.date(first - 1, 4, 1)) & (column < ibis.date(last, 4, 1))
        cond = part if cond is None else cond | part
    return cond


def is_year_end(column: ir.DateValue) -> ir.BooleanValue:
    """True on 31 March, the WRES/WDES snapshot day."""
    return (column.month() == 3) & (column.day() == 31)


def survey_year_for(year: int) -> int:
    """WRES/WDES reporting year Y uses the NHS Staff Survey of the previous calendar year (Y − 1)."""
    return year - 1
