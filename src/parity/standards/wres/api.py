"""`parity.wres(...)`: all nine WRES indicators for an organisation (or all together) and a year."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from parity.indicators.assemble import event_rate_result, missing_table_notes, survey_slices
from parity.indicators.build import percentages_result, relative_likelihood_result
from parity.indicators.catalogue import CATALOGUE, indicators
from parity.indicators.config import StandardConfig
from parity.indicators.distribution import band_distribution_result, board_result
from parity.indicators.groups import ETHNICITY_GROUPS
from parity.indicators.periods import survey_year_for
from parity.indicators.results import IndicatorResult, StandardResult
from parity.indicators.source import open_source, select_rows
from parity.standards.wres.definitions import SURVEY_IDS

if TYPE_CHECKING:  # the counting (Ibis, pandas) is imported where it runs: `assemble` needs neither (issue 19)
    from parity.indicators.counted import StandardCounts


@dataclass(frozen=True)
class WresConfig(StandardConfig):
    """WRES choices the guidance leaves open, each documented in docs/wres.md.

    ``disciplinary_period``: indicator 3 over the single financial year, or two-year rolling
    (entries over the current and previous year ÷ the two year-end headcounts). The default follows
    the 2018 technical guidance (two-year rolling), falling back to single year when the previous
    year's snapshot is absent; the output's ``period_rule`` says which was used.
    """

    disciplinary_period: str = "two_year_rolling"


def wres(source, *, year: int, org: str | None = None, config: WresConfig | None = None,
         backend: str = "duckdb") -> StandardResult:
    """All nine WRES indicators for reporting year `year` (financial year ending 31 March `year`).

    `source` is a workspace directory, a `parity.workspace.Workspace`, or an Ibis connection whose
    catalogue holds the canonical tables. ``org=None`` means all organisations together.
    """
    from parity.standards.wres.counts import count_wres

    config = config or WresConfig()
    con, workspace_dir = open_source(source, backend=backend)
    counts = count_wres(con, workspace_dir=workspace_dir, exclude_declined=config.exclude_declined_offers)
    counts.check_year(year)
    return assemble(counts, year=year, org=org, config=config)


def wres_all(source, *, years: list[int] | None = None, config: WresConfig | None = None,
             backend: str = "duckdb", national: bool = True) -> list[StandardResult]:
    """Every organisation × year (and all organisations together), from one pass over the data."""
    from parity.indicators.batch import prepared_statistics
    from parity.standards.wres.counts import count_wres

    config = config or WresConfig()
    con, workspace_dir = open_source(source, backend=backend)
    counts = count_wres(con, workspace_dir=workspace_dir, exclude_declined=config.exclude_declined_offers)
    years = years or counts.years()
    orgs = counts.orgs()
    with prepared_statistics(counts, standard="WRES", settings=config.stats):  # every table's statistics at once
        out = [assemble(counts, year=y, org=o, config=config) for y in years for o in orgs]
        if national and len(orgs) > 1:
            out += [assemble(counts, year=y, org=None, config=config) for y in years]
    return out


def assemble(counts: StandardCounts, *, year: int, org: str | None, config: WresConfig) -> StandardResult:
    s = config.stats
    defs = {i.id: i for i in indicators("WRES")}
    results: list[IndicatorResult] = []
    results.append(band_distribution_result(defs["wres.1"], select_rows(counts.distribution, org, year),
                                            ETHNICITY_GROUPS, "BME", s))
    results.append(relative_likelihood_result(
        defs["wres.2"], select_rows(counts.recruitment, org, year), select_rows(counts.recruitment, org, year - 1),
        ETHNICITY_GROUPS, s, disadvantaged="BME applicants"))
    results.append(event_rate_result(defs["wres.3"], counts.events["disciplinary"], counts.headcount, org=org,
                                     year=year, period=config.disciplinary_period, groups=ETHNICITY_GROUPS,
                                     settings=s, disadvantaged="BME staff"))
    results.append(relative_likelihood_result(
        defs["wres.4"], select_rows(counts.events["training"], org, year), select_rows(counts.events["training"], org, year - 1),
        ETHNICITY_GROUPS, s, disadvantaged="BME staff"))
    survey_year = survey_year_for(year)
    for ind_id in SURVEY_IDS:
        cur, prev, source_name = survey_slices(counts.survey, org, survey_year, ind_id)
        results.append(percentages_result(defs[ind_id], cur, prev, ETHNICITY_GROUPS, s,
                                          survey_year=survey_year, source=source_name))
    results.append(board_result(defs["wres.9"], select_rows(counts.board, org, year), ETHNICITY_GROUPS, "BME", s))
    missing_table_notes(results, counts.missing_tables, CATALOGUE, survey_present=not counts.survey.empty,
                        year=year, table_years=counts.table_years)
    settings = {**asdict(config), "organisations": counts.orgs() if org is None else [org]}
    return StandardResult("WRES", year, org or counts.label_all(), results, settings)


def __getattr__(name: str):
    # `count_wres` (Ibis, pandas) is imported on first use, so `assemble` comes without them (issue 19)
    if name == "count_wres":
        from parity.standards.wres.counts import count_wres

        return count_wres
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
