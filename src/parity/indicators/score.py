"""Score indicators (WDES 9a engagement, 0–10): group means with t intervals and their difference."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from scipy.special import stdtrit  # = scipy.stats.t.ppf, without importing scipy.stats (issue 19)

from parity.indicators.build import StatsSettings, certainty_of
from parity.indicators.catalogue import Indicator
from parity.indicators.narrative import direction_words, group_label
from parity.indicators.results import GroupFigures, IndicatorResult
from parity.indicators.rows import Rows, as_rows, missing

if TYPE_CHECKING:  # issue 19: not loaded on the compiled-SQL cache's path
    import pandas as pd


def _summary(frame: pd.DataFrame | Rows, group: str | None) -> tuple[int, float | None, float | None]:
    """Pooled n, mean and sample sd over the frame's rows (several orgs) for one group or all."""
    rows = as_rows(frame)
    part = [(n, _float(m), _float(sd)) for g, n, m, sd in zip(rows["group"], rows["n"], rows["mean"], rows["sd"], strict=True)
            if (group is None or g == group) and _float(n) > 0]
    n = int(sum(p[0] for p in part)) if part else 0
    if n == 0:
        return 0, None, None
    # math.fsum: correctly rounded, so the same in any row order (issue 12.15: byte-identical JSON)
    mean = math.fsum(float(k) * m for k, m, _ in part) / n
    if n < 2 or any(math.isnan(sd) for _, _, sd in part):
        return n, mean, None
    # pooled variance of the union: within-part sums of squares plus between-part spread
    ss = math.fsum((float(k) - 1) * (sd * sd) for k, _, sd in part) + math.fsum(
        float(k) * ((m - mean) * (m - mean)) for k, m, _ in part)
    return n, mean, float(math.sqrt(ss / (n - 1)))


def _float(x) -> float:
    """A count, mean or sd as a float; missing as NaN (as ``astype(float)``)."""
    return math.nan if missing(x) else float(x)


def _t_interval(n: int, mean: float | None, sd: float | None, confidence: float) -> tuple[float | None, float | None]:
    if mean is None or sd is None or n < 2:
        return None, None
    half = stdtrit(n - 1, 1 - (1 - confidence) / 2) * sd / math.sqrt(n)
    return mean - half, mean + half


def _welch(a: tuple, b: tuple, confidence: float) -> tuple[float | None, float | None, float | None]:
    (na, ma, sa), (nb, mb, sb) = a, b
    if None in (ma, mb):
        return None, None, None
    diff = ma - mb
    if None in (sa, sb) or na < 2 or nb < 2:
        return diff, None, None
    va, vb = sa**2 / na, sb**2 / nb
    se = math.sqrt(va + vb)
    if se == 0:
        return diff, diff, diff
    df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
    half = stdtrit(df, 1 - (1 - confidence) / 2) * se
    return diff, diff - half, diff + half


def score_result(ind: Indicator, frame: pd.DataFrame | Rows, previous: pd.DataFrame | Rows | None, groups: tuple[str, ...],
                 settings: StatsSettings, *, survey_year: int | None) -> IndicatorResult:
    conf = settings.confidence
    figs, summaries = {}, {}
    for g in groups:
        n, mean, sd = summaries[g] = _summary(frame, g) if not frame.empty else (0, None, None)
        low, high = _t_interval(n, mean, sd, conf)
        figs[g] = GroupFigures(numerator=None, denominator=n, percent=mean, ci_low=low, ci_high=high)
    overall = _summary(frame, None) if not frame.empty else (0, None, None)
    diff, low, high = _welch(summaries[ind.group_a], summaries[ind.group_b], conf)
    prev = None
    if previous is not None and not previous.empty:
        pd_, _, _ = _welch(_summary(previous, ind.group_a), _summary(previous, ind.group_b), conf)
        prev = {"value": pd_, "survey_year": survey_year - 1 if survey_year else None}
    a, b = figs[ind.group_a], figs[ind.group_b]
    sure = certainty_of(diff, low, high, "difference")
    words = direction_words(diff, group=ind.group_a, higher_is_worse=ind.higher_is_worse,
                            unit="points on the 0-10 scale", places=2)
    if diff is None:
        text = f"{ind.title}: too few responses from {ind.group_a} or {ind.group_b} staff to compare."
    else:
        text = (f"The engagement score was {a.percent:.1f} out of 10 for {ind.group_a} respondents "
                f"({a.denominator:,}) and {b.percent:.1f} for {group_label(ind.group_b)} respondents ({b.denominator:,})"
                + (f"; the organisation's overall score was {overall[1]:.1f}" if overall[1] is not None else "")
                + (f": {words}, a difference of {diff:+.2f} (95% CI {low:+.2f} to {high:+.2f}), "
                   f"{'beyond chance' if sure == 'clear' else 'within what chance alone could explain'}."
                   if low is not None else f": {words}."))
    return IndicatorResult(
        id=ind.id, standard=ind.standard, title=ind.title, kind=ind.kind, value=diff, groups=figs,
        narrative=text, direction=ind.direction, unit="score points (0-10)", ci_low=low, ci_high=high,
        confidence=conf, period=ind.period, survey_year=survey_year, previous=prev,
        difference={"value": diff, "ci_low": low, "ci_high": high, "method": "welch_t"},
        certainty=sure, statement=words,
        data_quality={"overall_score": overall[1], "respondents": overall[0]},
        notes=list(ind.notes) + ["Group `percent` holds the mean score (0-10); `denominator` the respondents."],
    )
