"""The intersectional scan: every outcome × every combination of up to three attributes.

One Ibis group-by per outcome counts its finest cells at once (never a loop over people); each
combination's cells are sums of those;
`compare` then sets each cell against its reference and `adjust` controls the false discovery
rate across everything scanned.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

from parity.contract.units import level_names
from parity.explore.attributes import available, use_levels, with_attributes
from parity.explore.compare import Settings, adjust, combos, compare, comparisons
from parity.explore.findings import findings, not_tested
from parity.explore.outcomes import OUTCOMES, Outcome, outcome
from parity.explore.result import ExploreResult
from parity.explore.sources import Sources, open_sources

DEFAULT_BY = ("ethnicity", "sex")
POOLED = ("{n} reporting years pooled ({first}–{last}): each cell counts person-years, so a person in post "
          "in several of them counts in each")
NO_DATA = "{outcome}: no data for {years} (tables {tables})"
UNAVAILABLE = "{outcome}: {attrs} not recorded for {noun}, so combinations with it were skipped"


def count_cells(pop: ir.Table, attrs: list[str], strata: list[str], *, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """People and events per cell: one grouped query (plus sums of any `extra` 0/1 columns)."""
    t = with_attributes(pop, attrs)
    sums = {c: t[c].sum() for c in extra}
    df = t.group_by([*strata, *attrs]).aggregate(n=t.count(), events=t.outcome.sum(), **sums).to_pandas()
    return df.astype({c: "int64" for c in ("n", "events", *extra)})


def marginal(fine: pd.DataFrame, attrs: list[str], strata: list[str], *, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """The cells of one combination, summed from the finest cells (counts add up exactly)."""
    cols = ["n", "events", *extra]
    return fine.groupby([*strata, *attrs], as_index=False, sort=True)[cols].sum()


def population(src: Sources, name: str, years: list[int], org: str | None) -> ir.Table | None:
    """The outcome's population in `years` (and `org`); None when its tables are absent."""
    o = outcome(name)
    if not all(src.has(t) for t in o.tables):
        return None
    pop = o.population(src)
    pop = pop.filter(pop.year.isin(years))
    if org is not None:
        pop = pop.filter(pop.org_code == org)
    return pop


def scan_frame(src: Sources, *, outcomes: list[str], by: tuple[str, ...], settings: Settings, years: list[int],
               org: str | None, strata: tuple[str, ...] = ("year",),
               pool_to: int | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Every cell of every outcome and combination, compared (not yet FDR-adjusted), and notes.

    One grouped query per outcome counts its finest cells (every attribute of `by` at once); each
    combination's cells are sums of those, so the people are read once per outcome, not once per
    combination.
    """
    notes: list[str] = []
    counted: list[tuple[str, Outcome, tuple[str, ...], pd.DataFrame]] = []
    for name in outcomes:
        o = outcome(name)
        pop = population(src, name, years, org)
        fine = None
        if pop is not None and pool_to is not None:  # every year's person-years in one cell
            pop = pop.mutate(year=ibis.literal(pool_to, "int64"))
        if pop is not None:
            usable = [a for a in by if available(pop, a)]
            fine = count_cells(pop, usable, list(strata))
        if fine is None or fine.empty:
            notes.append(NO_DATA.format(outcome=name, years=", ".join(map(str, years)), tables=", ".join(o.tables)))
            continue
        missing = [a for a in by if a not in usable]
        if missing:
            notes.append(UNAVAILABLE.format(outcome=name, attrs=", ".join(missing), noun=o.noun))
        counted.append((name, o, tuple(usable), fine))
    frames = _compared(counted, list(strata), settings)
    frame = pd.concat(frames, ignore_index=True) if frames else empty_frame(by, strata)
    if frames:  # outcome by outcome, each combination in turn, as the cells were counted
        frame = frame.sort_values(["_outcome", "_combo"], kind="stable", ignore_index=True)
        frame = frame.drop(columns=["_outcome", "_combo"])
    return frame, notes


def _compared(counted: list[tuple[str, Outcome, tuple[str, ...], pd.DataFrame]], strata: list[str],
              settings: Settings) -> list[pd.DataFrame]:
    """Each combination's cells compared for every outcome at once (the outcome one more stratum):
    the same arithmetic cell by cell as one call per outcome, in a tenth of the calls (issue 19)."""
    by_usable: dict[tuple[str, ...], list[int]] = {}
    for i, (_, _, usable, _) in enumerate(counted):
        by_usable.setdefault(usable, []).append(i)
    frames = []
    for usable, which in by_usable.items():
        fine = pd.concat([counted[i][3].assign(_outcome=i) for i in which], ignore_index=True)
        for c, combo in enumerate(combos(usable, settings)):
            cells = marginal(fine, list(combo), ["_outcome", *strata])
            adverse = cells["_outcome"].map({i: counted[i][1].adverse for i in which}).to_numpy(bool)
            part = compare(cells, list(combo), strata=["_outcome", *strata], adverse=adverse, settings=settings)
            pick = {i: counted[i] for i in which}
            frames.append(part.assign(outcome=part["_outcome"].map({i: o[0] for i, o in pick.items()}),
                                      label=part["_outcome"].map({i: o[1].label for i, o in pick.items()}),
                                      noun=part["_outcome"].map({i: o[1].noun for i, o in pick.items()}),
                                      attributes="+".join(combo), _combo=c))
    return frames


def empty_frame(by, strata) -> pd.DataFrame:
    cols = [*strata, *by, "n", "events", "ref_n", "ref_events", "rate", "ref_rate", "reason", "tested", "rl",
            "ci_low", "ci_high", "p_value", "test", "undefined_reason", "orientation", "adverse", "outcome",
            "label", "noun", "attributes"]
    return pd.DataFrame({c: pd.Series(dtype="bool" if c in ("tested", "adverse") else object) for c in cols})


COLUMNS = ["outcome", "attributes", "year"]


def tidy(frame: pd.DataFrame, by: tuple[str, ...], lead: list[str]) -> pd.DataFrame:
    """Columns in reading order; attribute columns not in a row's combination are empty."""
    first = [c for c in [*lead, *by] if c in frame]
    rest = [c for c in frame.columns if c not in first and c not in ("label", "noun")]
    return frame[first + rest].reset_index(drop=True)


def finish(kind: str, frame: pd.DataFrame, notes: list[str], settings: Settings, *, by, context: list[str],
           extra_settings: dict, tables: dict | None = None, lead: list[str] | None = None) -> ExploreResult:
    """FDR control over the whole frame, ranked findings, not-tested list, the result object."""
    frame = adjust(frame, settings.fdr) if not frame.empty else frame.assign(p_adjusted=[], significant=[], size=[])
    m = comparisons(frame)
    return ExploreResult(
        kind=kind,
        frame=tidy(frame, tuple(by), lead or COLUMNS),
        findings=findings(frame, settings, m, context),
        comparisons=m,
        not_tested=not_tested(frame, settings, context),
        settings={**settings.to_dict(), "by": list(by), **extra_settings},
        notes=notes,
        tables=tables or {},
    )


def scan(source, *, year: int, by=DEFAULT_BY, outcomes=None, reference=None, fdr: float = 0.05,
         min_cell: int = 30, min_expected: float = 1.0, org: str | None = None, pool_years: int = 1) -> ExploreResult:
    """Scan every outcome over every combination of up to three of `by` for reporting year `year`.

    ``pool_years`` > 1 pools the person-years of that many reporting years ending at `year` into one
    cell (units are small: a division's casework in one year rarely has the power to show a
    disparity; docs/explore.md). ``by`` may name hierarchy levels (``division``, or ``org_l3``) as the
    workspace's organisation.yaml names them.
    """
    if pool_years < 1:
        raise ValueError(f"pool_years must be at least 1, got {pool_years}")
    settings = Settings.make(reference, fdr=fdr, min_cell=min_cell, min_expected=min_expected)
    names = list(outcomes or OUTCOMES)
    years = list(range(year - pool_years + 1, year + 1))
    src = open_sources(source, org=org, years=years)
    use_levels(level_names(src.workspace_dir))
    try:
        frame, notes = scan_frame(src, outcomes=names, by=tuple(by), settings=settings, years=years, org=org,
                                  pool_to=year if pool_years > 1 else None)
    finally:
        src.release()
    if pool_years > 1:
        notes.append(POOLED.format(n=pool_years, first=years[0], last=year))
    return finish("scan", frame, notes, settings, by=by, context=["year"],
                  extra_settings={"year": year, "org": org, "outcomes": names,
                                  **({"pool_years": pool_years} if pool_years > 1 else {})})
