"""`parity.wres(...)`: all nine WRES indicators for an organisation (or all together) and a year."""

from __future__ import annotations

from dataclasses import asdict, dataclass
import pandas as pd

from parity.indicators.build import StatsSettings, percentages_result, relative_likelihood_result
from parity.indicators.catalogue import CATALOGUE, indicators
from parity.indicators.distribution import band_distribution_result, board_result
from parity.indicators.groups import ETHNICITY_GROUPS
from parity.indicators.periods import survey_year_for
from parity.indicators.results import IndicatorResult, StandardResult
from parity.indicators.source import ALL_ORGANISATIONS, open_source, select
from parity.standards.wres.counts import WresCounts, count_wres

SURVEY_IDS = ("wres.5", "wres.6", "wres.7", "wres.8")
PERIOD_RULES = ("single_year", "two_year_rolling")


@dataclass(frozen=True)
class WresConfig:
    """Choices the guidance leaves open, each documented in docs/wres.md.

    - ``disciplinary_period``: indicator 3 over the single financial year, or the two-year rolling
      definition (entries over the current and previous year ÷ the two year-end headcounts). The
      default follows the 2018 technical guidance (two-year rolling), falling back to single year
      when the previous year's snapshot is absent; the output's ``period_rule`` says which was used.
    - ``exclude_declined_offers``: indicator 2 leaves out shortlisted applications whose offer was
      declined (default, per the guidance).
    """

    confidence: float = 0.95
    disciplinary_period: str = "two_year_rolling"
    exclude_declined_offers: bool = True
    non_adverse_low: float = 0.80
    non_adverse_high: float = 1.25
    small_count: int = 5
    min_events: int = 5

    def __post_init__(self) -> None:
        if self.disciplinary_period not in PERIOD_RULES:
            raise ValueError(f"disciplinary_period must be one of {', '.join(PERIOD_RULES)}")
        if not 0 < self.confidence < 1:
            raise ValueError("confidence must be between 0 and 1, e.g. 0.95")

    @property
    def stats(self) -> StatsSettings:
        return StatsSettings(self.confidence, self.non_adverse_low, self.non_adverse_high,
                             self.small_count, self.min_events)


def wres(source, *, year: int, org: str | None = None, config: WresConfig | None = None,
         backend: str = "duckdb") -> StandardResult:
    """All nine WRES indicators for reporting year `year` (financial year ending 31 March `year`).

    `source` is a workspace directory, a `parity.workspace.Workspace`, or an Ibis connection whose
    catalogue holds the canonical tables. ``org=None`` means all organisations together.
    """
    config = config or WresConfig()
    con, workspace_dir = open_source(source, backend=backend)
    counts = count_wres(con, workspace_dir=workspace_dir, exclude_declined=config.exclude_declined_offers)
    return assemble(counts, year=year, org=org, config=config)


def wres_all(source, *, years: list[int] | None = None, config: WresConfig | None = None,
             backend: str = "duckdb", national: bool = True) -> list[StandardResult]:
    """Every organisation × year (and all organisations together), from one pass over the data."""
    config = config or WresConfig()
    con, workspace_dir = open_source(source, backend=backend)
    counts = count_wres(con, workspace_dir=workspace_dir, exclude_declined=config.exclude_declined_offers)
    years = years or counts.years()
    orgs = counts.orgs()
    out = [assemble(counts, year=y, org=o, config=config) for y in years for o in orgs]
    if national and len(orgs) > 1:
        out += [assemble(counts, year=y, org=None, config=config) for y in years]
    return out


def assemble(counts: WresCounts, *, year: int, org: str | None, config: WresConfig) -> StandardResult:
    s = config.stats
    defs = {i.id: i for i in indicators("WRES")}
    results: list[IndicatorResult] = []
    results.append(band_distribution_result(defs["wres.1"], select(counts.distribution, org, year),
                                            ETHNICITY_GROUPS, "BME", s))
    for ind_id, frame in (("wres.2", counts.recruitment),):
        results.append(relative_likelihood_result(
            defs[ind_id], select(frame, org, year), select(frame, org, year - 1), ETHNICITY_GROUPS, s,
            disadvantaged="BME applicants"))
    results.append(_disciplinary(counts, defs["wres.3"], org, year, config))
    results.append(relative_likelihood_result(
        defs["wres.4"], select(counts.training, org, year), select(counts.training, org, year - 1),
        ETHNICITY_GROUPS, s, disadvantaged="BME staff"))
    survey_year = survey_year_for(year)
    for ind_id in SURVEY_IDS:
        cur = _survey(counts.survey, org, survey_year, ind_id)
        prev = _survey(counts.survey, org, survey_year - 1, ind_id)
        source_name = cur["source"].iloc[0] if not cur.empty else None
        results.append(percentages_result(defs[ind_id], cur, prev, ETHNICITY_GROUPS, s,
                                          survey_year=survey_year, source=source_name))
    results.append(board_result(defs["wres.9"], select(counts.board, org, year), ETHNICITY_GROUPS, "BME", s))
    for r in results:
        for table in CATALOGUE[r.id].source_tables:
            if table in counts.missing_tables and not (r.id in SURVEY_IDS and _has_any_survey(counts)):
                r.notes.append(f"No `{table}` table has been imported into the workspace.")
    settings = {**asdict(config), "organisations": counts.orgs() if org is None else [org]}
    return StandardResult("WRES", year, org or counts.label_all(), results, settings)


def _disciplinary(counts: WresCounts, ind, org, year, config: WresConfig) -> IndicatorResult:
    s = config.stats
    rolling = config.disciplinary_period == "two_year_rolling"
    previous_snapshot = not select(counts.headcount, org, year - 1).empty
    rule = "two_year_rolling" if rolling and previous_snapshot else "single_year"

    def window(y: int, two_years: bool) -> pd.DataFrame:
        ys = [y - 1, y] if two_years else [y]
        num = pd.concat([select(counts.disciplinary, org, v) for v in ys])
        den = pd.concat([select(counts.headcount, org, v) for v in ys])
        return _merge_numerator(num, den)

    current = window(year, rule == "two_year_rolling")
    prev_has = not select(counts.headcount, org, year - (2 if rule == "two_year_rolling" else 1)).empty
    previous = window(year - 1, rule == "two_year_rolling") if prev_has else None
    result = relative_likelihood_result(ind, current, previous, ETHNICITY_GROUPS, s,
                                        period_rule=rule, disadvantaged="BME staff")
    if rolling and rule == "single_year":
        result.notes.append("Two-year rolling was asked for, but the previous year's snapshot is absent: single year used.")
    return result


def _merge_numerator(num: pd.DataFrame, den: pd.DataFrame) -> pd.DataFrame:
    n = num.groupby("group", as_index=False)["numerator"].sum() if not num.empty else pd.DataFrame(columns=["group", "numerator"])
    d = den.groupby("group", as_index=False)["denominator"].sum() if not den.empty else pd.DataFrame(columns=["group", "denominator"])
    merged = d.merge(n, on="group", how="outer").fillna(0)
    return merged.astype({"numerator": "int64", "denominator": "int64"})


def _survey(frame: pd.DataFrame, org: str | None, survey_year: int, ind_id: str) -> pd.DataFrame:
    if frame.empty:
        return frame
    part = frame[(frame.indicator == ind_id) & (frame.survey_year.astype(int) == survey_year)]
    if org is not None:
        part = part[part.org_code == org]
    return part


def _has_any_survey(counts: WresCounts) -> bool:
    return not counts.survey.empty

