"""Turn counts into results: statistics, assessment, change since last year and narrative.

Input frames are the small aggregates from `parity.indicators.counts`, already narrowed to one
organisation (or summed over all of them) and one year. Shared by WRES and WDES.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from parity import stats
from parity.indicators import narrative
from parity.indicators.catalogue import Indicator
from parity.indicators.results import GroupFigures, IndicatorResult
from parity.indicators.rows import Rows, as_rows
from parity.stats import prepared
from parity.stats.certainty import NO_DIFFERENCE

if TYPE_CHECKING:  # issue 19: not loaded on the compiled-SQL cache's path
    import pandas as pd


@dataclass(frozen=True)
class StatsSettings:
    confidence: float = 0.95
    non_adverse_low: float = 0.80
    non_adverse_high: float = 1.25
    small_count: int = 5
    min_events: int = 5


def group_sums(counts: pd.DataFrame | Rows, column: str, key: str = "group") -> dict[str, int]:
    """Sum of `column` per group over a handful of aggregate rows (plain Python: pandas' per-call
    overhead dominated assembling results for every organisation and year)."""
    out: dict[str, int] = {}
    if column in counts and not counts.empty:
        rows = as_rows(counts)
        for g, v in zip(rows[key], rows[column], strict=True):
            out[g] = out.get(g, 0) + int(v)
    return out


def group_figures(counts: pd.DataFrame | Rows, groups: tuple[str, ...], *, with_ci: bool, confidence: float) -> dict[str, GroupFigures]:
    out = {}
    num_by, den_by = group_sums(counts, "numerator"), group_sums(counts, "denominator")
    for g in groups:
        fig = GroupFigures(num_by.get(g, 0), den_by.get(g, 0))
        if with_ci:
            p = prepared.wilson(fig.numerator, fig.denominator, confidence=confidence)
            fig.percent, fig.ci_low, fig.ci_high = p.percent, p.ci_low, p.ci_high
        out[g] = fig
    return out


def unknown_quality(groups: dict[str, GroupFigures], unknown: str = "Unknown", *,
                    composition: bool = False) -> dict[str, object]:
    """Size and share of the Unknown group. Groups are either separate populations (each
    denominator is the group's size) or, with ``composition``, shares of one total (each
    numerator is the group's size and every denominator the total)."""
    size = (lambda g: g.numerator or 0) if composition else (lambda g: g.denominator or 0)
    total = sum(size(g) for g in groups.values())
    unk = size(groups[unknown]) if unknown in groups else 0
    return {"unknown_count": unk, "total": total,
            "unknown_percent": round(100 * unk / total, 1) if total else None}


def relative_likelihood_result(ind: Indicator, counts: pd.DataFrame | Rows, previous: pd.DataFrame | Rows | None,
                               groups: tuple[str, ...], settings: StatsSettings, *,
                               period_rule: str | None = None, disadvantaged: str,
                               people: tuple[str, str] | None = None) -> IndicatorResult:
    figs = group_figures(counts, groups, with_ci=False, confidence=settings.confidence)
    a, b = figs[ind.group_a], figs[ind.group_b]
    rl = _rl(a, b, settings)
    verdict = stats.assess(rl, low=settings.non_adverse_low, high=settings.non_adverse_high,
                           min_events=settings.min_events, adverse_when=ind.adverse_when or "above")
    sure = certainty_of(rl.value, rl.ci_low, rl.ci_high, "ratio")
    prev_value = change = None
    if previous is not None and not previous.empty:
        pfigs = group_figures(previous, groups, with_ci=False, confidence=settings.confidence)
        prl = _rl(pfigs[ind.group_a], pfigs[ind.group_b], settings)
        prev_value = prl.value
        change = stats.change_in_relative_likelihood(rl, prl, confidence=settings.confidence)
    label_a, label_b = people or (f"{narrative.group_label(ind.group_a)} {ind.people}",
                                  f"{narrative.group_label(ind.group_b)} {ind.people}")
    note = " over the two years to 31 March" if period_rule == "two_year_rolling" else ""
    text = narrative.relative_likelihood(
        people_a=label_a, people_b=label_b, outcome=ind.outcome, value=rl.value,
        ci=(rl.ci_low, rl.ci_high), confidence=settings.confidence,
        counts=(a.numerator, a.denominator, b.numerator, b.denominator), assessment=verdict.assessment,
        within=verdict.within_non_adverse_range, undefined_reason=rl.undefined_reason,
        previous=prev_value, change_beyond_chance=change.beyond_chance if change else None,
        disadvantaged=disadvantaged, period_note=note, p=rl.p_value, certainty=sure,
    )
    return IndicatorResult(
        id=ind.id, standard=ind.standard, title=ind.title, kind=ind.kind, value=rl.value, groups=figs,
        narrative=text, direction=ind.direction, unit="ratio", ci_low=rl.ci_low, ci_high=rl.ci_high,
        confidence=settings.confidence, p_value=rl.p_value, test=rl.test,
        within_non_adverse_range=verdict.within_non_adverse_range, assessment=verdict.assessment,
        assessment_reason=verdict.reason, certainty=sure, undefined_reason=rl.undefined_reason, period=ind.period,
        period_rule=period_rule, data_quality=unknown_quality(figs),
        previous={"value": prev_value} if previous is not None and not previous.empty else None,
        change=change.to_dict() if change else None, notes=list(ind.notes),
    )


def certainty_of(value: float | None, low: float | None, high: float | None, kind: str) -> str | None:
    """`stats.certainty` of a result; None when the value itself is undefined (an interval after the
    zero-count correction describes the data, but there is no estimate to be sure of)."""
    if value is None:
        return None
    return stats.certainty(low, high, no_difference=NO_DIFFERENCE[kind])


def _rl(a: GroupFigures, b: GroupFigures, settings: StatsSettings) -> stats.RelativeLikelihood:
    return prepared.relative_likelihood(a.numerator, a.denominator, b.numerator, b.denominator,
                                     confidence=settings.confidence, small_count=settings.small_count)


def percentages_result(ind: Indicator, counts: pd.DataFrame | Rows, previous: pd.DataFrame | Rows | None,
                       groups: tuple[str, ...], settings: StatsSettings, *, survey_year: int | None,
                       source: str | None) -> IndicatorResult:
    """Two percentages (group_a vs group_b) with Wilson intervals and their difference (Newcombe)."""
    figs = group_figures(counts, groups, with_ci=True, confidence=settings.confidence)
    a, b = figs[ind.group_a], figs[ind.group_b]
    diff = prepared.difference_of_proportions(a.numerator, a.denominator, b.numerator, b.denominator,
                                           confidence=settings.confidence)
    prev_value = change = None
    if previous is not None and not previous.empty:
        pfigs = group_figures(previous, groups, with_ci=True, confidence=settings.confidence)
        pa, pb = pfigs[ind.group_a], pfigs[ind.group_b]
        prev_diff = prepared.difference_of_proportions(pa.numerator, pa.denominator, pb.numerator, pb.denominator,
                                                    confidence=settings.confidence)
        prev_value = prev_diff.value
        change = stats.change_in_proportion(
            prepared.wilson(a.numerator, a.denominator, confidence=settings.confidence),
            prepared.wilson(pa.numerator, pa.denominator, confidence=settings.confidence),
            confidence=settings.confidence,
        )
    sure = certainty_of(diff.value, diff.ci_low, diff.ci_high, "difference")
    text = narrative.percentages(
        title=ind.title, group_a=ind.group_a, group_b=ind.group_b, pa=a.percent, pb=b.percent,
        counts=(a.numerator, a.denominator, b.numerator, b.denominator), diff=diff.value,
        ci=(diff.ci_low, diff.ci_high), survey_year=survey_year, higher_is_worse=ind.higher_is_worse,
        certainty=sure,
    )
    return IndicatorResult(
        id=ind.id, standard=ind.standard, title=ind.title, kind=ind.kind, value=diff.value, groups=figs,
        narrative=text, direction=ind.direction, unit="percentage points", ci_low=diff.ci_low,
        ci_high=diff.ci_high, confidence=settings.confidence, period=ind.period, survey_year=survey_year,
        certainty=sure, statement=narrative.direction_words(diff.value, group=ind.group_a,
                                                            higher_is_worse=ind.higher_is_worse),
        source=source, difference=diff.to_dict(), data_quality=unknown_quality(figs),
        previous={"value": prev_value, "survey_year": survey_year - 1 if survey_year else None}
        if previous is not None and not previous.empty else None,
        change={"group": ind.group_a, **change.to_dict()} if change else None,
        notes=list(ind.notes) + [f"Higher is {'worse' if ind.higher_is_worse else 'better'} for staff."],
    )
