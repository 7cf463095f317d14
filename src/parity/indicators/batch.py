"""Every table a standard's results will test, for every organisation-year and the all-organisations
level, computed as arrays before the results are assembled (issue 19).

``prepare(store, counts, ...)`` reads the count frames with a few grouped sums and hands the tables
to a `parity.stats.prepared.Store`: relative likelihoods (recruitment, training, disciplinary and
capability over one year and two-year rolling), Wilson intervals (composition of the workforce and
the board, survey percentages, the senior share) and Newcombe differences. The assembly then finds
them there; a table missed here is computed by the scalar function, with the same result.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd

from parity.indicators.catalogue import indicators
from parity.indicators.counted import StandardCounts  # not standard_counts: that imports Ibis
from parity.indicators.distribution import SENIOR_BANDS
from parity.indicators.groups import DISABILITY_GROUPS, ETHNICITY_GROUPS
from parity.stats.prepared import Store, prepared

#: each standard's groups and the group whose share the representation indicators report
GROUPS = {"WRES": (ETHNICITY_GROUPS, "BME"), "WDES": (DISABILITY_GROUPS, "Disabled")}

ALL = "\0all"  # the all-organisations level (no organisation code looks like this)


def _wide(frame: pd.DataFrame, values: list[str], unit: list[str]) -> pd.DataFrame:
    """Sums of `values` per unit x group (columns ``(value, group)``, 0 where absent), for each
    organisation and for all of them together."""
    if frame.empty:
        return pd.DataFrame()
    frame = frame.astype({v: "int64" for v in values})
    org = frame.groupby(["org_code", *unit, "group"], sort=False)[values].sum()
    everyone = frame.groupby([*unit, "group"], sort=False)[values].sum()
    everyone = pd.concat({ALL: everyone}, names=["org_code"])
    both = pd.concat([org, everyone])
    return both.unstack("group", fill_value=0)


def _column(wide: pd.DataFrame, value: str, group: str) -> np.ndarray:
    return wide[(value, group)].to_numpy() if (value, group) in wide.columns else np.zeros(len(wide), np.int64)


def _rolled(wide: pd.DataFrame) -> pd.DataFrame:
    """Each organisation-year plus the year before (two-year rolling windows)."""
    before = wide.rename(index=lambda y: y + 1, level="year")
    return wide.add(before, fill_value=0).fillna(0).astype("int64")


def _rates(store: Store, num: pd.DataFrame, den: pd.DataFrame, pairs: set[tuple[str, str]]) -> None:
    if num.empty or den.empty:
        return
    both = num[["numerator"]].join(den[["denominator"]], how="outer").fillna(0).astype("int64")
    for a, b in pairs:
        store.add_rates(_column(both, "numerator", a), _column(both, "denominator", a),
                        _column(both, "numerator", b), _column(both, "denominator", b))


def _proportions(store: Store, wide: pd.DataFrame, value: str, total: np.ndarray, groups) -> None:
    for g in groups:
        store.add_proportions(_column(wide, value, g), total)


def prepare(store: Store, counts: StandardCounts, *, standard: str, groups: tuple[str, ...],
            minority: str) -> None:
    """Hand `store` every table the standard's results for all units and years will ask for."""
    defs = [i for i in indicators(standard)]
    pairs = {(i.group_a, i.group_b) for i in defs if i.kind == "relative_likelihood" and i.group_a}
    # nobody at all: an indicator whose table is empty or absent for a unit
    store.add_proportions([0], [0])
    store.add_differences([0], [0], [0], [0])
    store.add_rates([0], [0], [0], [0])
    unit = ["year"]
    recruitment = _wide(counts.recruitment, ["numerator", "denominator"], unit)
    _rates(store, recruitment, recruitment, pairs)
    headcount = _wide(counts.headcount, ["denominator"], unit)
    for frame in counts.events.values():
        has_den = "denominator" in frame.columns
        events = _wide(frame, ["numerator", "denominator"] if has_den else ["numerator"], unit)
        if events.empty:
            continue
        if has_den:
            _rates(store, events, events, pairs)
        if not headcount.empty:
            _rates(store, events, headcount, pairs)
            _rates(store, _rolled(events), _rolled(headcount), pairs)
    _composition(store, counts.distribution, groups, minority)
    _board(store, counts.board, groups, minority)
    _survey(store, counts.survey, groups, defs)


def _composition(store: Store, distribution: pd.DataFrame, groups, minority: str) -> None:
    """The workforce by group (WRES 1, WDES 1) and the minority share of the senior bands."""
    if distribution.empty:
        return
    frame = distribution.assign(senior=distribution["pay_band"].isin(SENIOR_BANDS))
    wide = _wide(frame, ["count"], ["year"])
    total = sum(_column(wide, "count", g) for g in wide.columns.get_level_values(1).unique())
    _proportions(store, wide, "count", total, groups)
    by = _wide(frame, ["count"], ["year", "senior"])
    every = sum(_column(by, "count", g) for g in by.columns.get_level_values(1).unique())
    k = pd.Series(_column(by, "count", minority), index=by.index)
    n = pd.Series(every, index=by.index)
    top = {level: (k.xs(level, level="senior"), n.xs(level, level="senior"))
           for level in (True, False) if level in by.index.get_level_values("senior")}
    if True not in top:
        return
    sk, sn = top[True]
    rk, rn = (top[False][0].reindex(sk.index, fill_value=0), top[False][1].reindex(sk.index, fill_value=0)) \
        if False in top else (sk * 0, sn * 0)
    store.add_proportions(sk.to_numpy(), sn.to_numpy())
    store.add_differences(sk.to_numpy(), sn.to_numpy(), rk.to_numpy(), rn.to_numpy())
    store.add_tests(sk.to_numpy(), sn.to_numpy(), rk.to_numpy(), rn.to_numpy())


def _board(store: Store, board: pd.DataFrame, groups, minority: str) -> None:
    """Board and workforce composition by breakdown (WRES 9, WDES 10) and their difference."""
    if board.empty:
        return
    wide = _wide(board, ["count"], ["year", "breakdown"])
    total = sum(_column(wide, "count", g) for g in wide.columns.get_level_values(1).unique())
    _proportions(store, wide, "count", total, groups)
    k = pd.Series(_column(wide, "count", minority), index=wide.index)
    n = pd.Series(total, index=wide.index)
    if "workforce" not in wide.index.get_level_values("breakdown"):
        return
    wk, wn = k.xs("workforce", level="breakdown"), n.xs("workforce", level="breakdown")
    for name in wide.index.get_level_values("breakdown").unique():
        bk, bn = k.xs(name, level="breakdown"), n.xs(name, level="breakdown")
        store.add_differences(bk.to_numpy(), bn.to_numpy(), wk.reindex(bk.index, fill_value=0).to_numpy(),
                              wn.reindex(bk.index, fill_value=0).to_numpy())


def _survey(store: Store, survey: pd.DataFrame, groups, defs) -> None:
    """Survey percentages by group, their differences and (last year) changes (WRES 5-8, WDES 4-8)."""
    if survey.empty:
        return
    frame = survey.assign(survey_year=survey["survey_year"].astype("int64"))
    wide = _wide(frame, ["numerator", "denominator"], ["survey_year", "indicator"])
    for g in groups:
        store.add_proportions(_column(wide, "numerator", g), _column(wide, "denominator", g))
    for a, b in {(i.group_a, i.group_b) for i in defs if i.kind in ("percentages", "difference") and i.group_a}:
        store.add_differences(_column(wide, "numerator", a), _column(wide, "denominator", a),
                              _column(wide, "numerator", b), _column(wide, "denominator", b))


@contextmanager
def prepared_statistics(counts: StandardCounts, *, standard: str, settings) -> Iterator[Store]:
    """Inside the block, results assembled from `counts` read their statistics from arrays computed
    at once (`settings`: the standard's `StatsSettings`)."""
    groups, minority = GROUPS[standard]
    with prepared(confidence=settings.confidence, small_count=settings.small_count) as store:
        prepare(store, counts, standard=standard, groups=groups, minority=minority)
        yield store
