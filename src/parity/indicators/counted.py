"""The counts of one standard, whichever way they were made: Ibis frames (`standard_counts`) or
plain lists from the compiled-SQL cache (`parity.sqlcache`, issue 19).

Each count is a frame: a pandas DataFrame or a `parity.indicators.rows.Rows` (what the assembly
reads is the same: ``frame.empty``, ``frame[column]`` iterated). No pandas or Ibis import here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from parity.indicators.rows import Rows, missing
from parity.indicators.source import ALL_ORGANISATIONS

if TYPE_CHECKING:
    import pandas as pd

NO_DATA = "the workspace holds no data for any year: import the workforce (and other) tables first"
NO_DATA_FOR_YEAR = ("no data for reporting year {year} (the financial year ending 31 March {year}); "
                    "the workspace holds data for {years}")


@dataclass
class StandardCounts:
    distribution: pd.DataFrame | Rows
    headcount: pd.DataFrame | Rows
    recruitment: pd.DataFrame | Rows
    events: dict[str, pd.DataFrame | Rows]
    survey: pd.DataFrame | Rows
    board: pd.DataFrame | Rows
    missing_tables: set[str] = field(default_factory=set)
    #: reporting years each imported event table holds any record in (a year absent is not zero events)
    table_years: dict[str, list[int]] = field(default_factory=dict)
    #: the workspace's organisations when the counts hold some years only (`count_standard`'s ``years``):
    #: those counting every year finds, so a result names the same organisations either way
    organisations: list[str] | None = None

    def orgs(self) -> list[str]:
        frames = (self.headcount, self.recruitment, self.survey)
        found = {o for f in frames if not f.empty for o in f["org_code"] if not missing(o)}
        return sorted(found | set(self.organisations or ()))

    def years(self) -> list[int]:
        return sorted({int(y) for y in self.headcount["year"]}) if not self.headcount.empty else []

    def data_years(self) -> list[int]:
        """Reporting years with any data: a 31 March snapshot, recruitment, events, or the staff
        survey of the previous calendar year."""
        found: set[int] = set()
        for frame in (self.headcount, self.recruitment, *self.events.values()):
            if not frame.empty:
                found |= {int(y) for y in frame["year"]}
        if not self.survey.empty and "survey_year" in self.survey:
            found |= {int(y) + 1 for y in self.survey["survey_year"]}
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


#: a standard's counts, and WDES's metric 9a scores (None for WRES)
Counted = tuple[StandardCounts, "pd.DataFrame | Rows | None"]
