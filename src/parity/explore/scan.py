"""The intersectional scan: every outcome × every combination of up to three attributes.

One Ibis group-by per outcome × combination counts every cell at once (never a loop over people);
`compare` then sets each cell against its reference and `adjust` controls the false discovery
rate across everything scanned.
"""

from __future__ import annotations

import ibis.expr.types as ir
import pandas as pd

from parity.explore.attributes import available, with_attributes
from parity.explore.compare import Settings, adjust, combos, compare, comparisons
from parity.explore.findings import findings, not_tested
from parity.explore.outcomes import OUTCOMES, Sources, outcome
from parity.explore.result import ExploreResult

DEFAULT_BY = ("ethnicity", "sex")
NO_DATA = "{outcome}: no data for {years} (tables {tables})"
UNAVAILABLE = "{outcome}: {attrs} not recorded for {noun}, so combinations with it were skipped"


def count_cells(pop: ir.Table, attrs: list[str], strata: list[str], *, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """People and events per cell: one grouped query (plus sums of any `extra` 0/1 columns)."""
    t = with_attributes(pop, attrs)
    sums = {c: t[c].sum() for c in extra}
    df = t.group_by([*strata, *attrs]).aggregate(n=t.count(), events=t.outcome.sum(), **sums).to_pandas()
    return df.astype({c: "int64" for c in ("n", "events", *extra)})


def population(src: Sources, name: str, years: list[int], org: str | None) -> ir.Table | None:
    """The outcome's population in `years` (and `org`), materialised; None when its tables are absent."""
    o = outcome(name)
    if not all(src.has(t) for t in o.tables):
        return None
    pop = o.population(src)
    pop = pop.filter(pop.year.isin(years))
    if org is not None:
        pop = pop.filter(pop.org_code == org)
    return pop.cache()


def scan_frame(src: Sources, *, outcomes: list[str], by: tuple[str, ...], settings: Settings, years: list[int],
               org: str | None, strata: tuple[str, ...] = ("year",)) -> tuple[pd.DataFrame, list[str]]:
    """Every cell of every outcome and combination, compared (not yet FDR-adjusted), and notes."""
    frames, notes = [], []
    for name in outcomes:
        o = outcome(name)
        pop = population(src, name, years, org)
        if pop is None or pop.count().to_pyarrow().as_py() == 0:
            notes.append(NO_DATA.format(outcome=name, years=", ".join(map(str, years)), tables=", ".join(o.tables)))
            if pop is not None:
                pop.release()
            continue
        try:
            missing = [a for a in by if not available(pop, a)]
            if missing:
                notes.append(UNAVAILABLE.format(outcome=name, attrs=", ".join(missing), noun=o.noun))
            for combo in combos([a for a in by if a not in missing], settings):
                cells = count_cells(pop, list(combo), list(strata))
                part = compare(cells, list(combo), strata=list(strata), adverse=o.adverse, settings=settings)
                frames.append(part.assign(outcome=name, label=o.label, noun=o.noun, attributes="+".join(combo)))
        finally:
            pop.release()
    frame = pd.concat(frames, ignore_index=True) if frames else empty_frame(by, strata)
    return frame, notes


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
         min_cell: int = 30, min_expected: float = 1.0, org: str | None = None) -> ExploreResult:
    """Scan every outcome over every combination of up to three of `by` for reporting year `year`."""
    from parity.explore.api import open_sources

    settings = Settings.make(reference, fdr=fdr, min_cell=min_cell, min_expected=min_expected)
    names = list(outcomes or OUTCOMES)
    src = open_sources(source)
    try:
        frame, notes = scan_frame(src, outcomes=names, by=tuple(by), settings=settings, years=[year], org=org)
    finally:
        src.release()
    return finish("scan", frame, notes, settings, by=by, context=["year"],
                  extra_settings={"year": year, "org": org, "outcomes": names})
