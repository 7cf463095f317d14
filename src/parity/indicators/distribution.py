"""Results for representation indicators: staff by band (WRES 1, WDES 1) and the board (WRES 9, WDES 10)."""

from __future__ import annotations

import pandas as pd

from parity import stats
from parity.contract.codes import AFC_BANDS, MEDICAL_GRADES
from parity.indicators import narrative
from parity.indicators.build import StatsSettings, unknown_quality
from parity.indicators.catalogue import Indicator
from parity.indicators.results import GroupFigures, IndicatorResult

BAND_ROWS = AFC_BANDS + ("VSM",)
SENIOR_BANDS = ("8a", "8b", "8c", "8d", "9", "VSM")


def _share(count: int, total: int) -> float | None:
    return round(100 * count / total, 10) if total else None


def band_distribution_result(ind: Indicator, counts: pd.DataFrame, groups: tuple[str, ...],
                             minority: str, settings: StatsSettings) -> IndicatorResult:
    """% of each group in every band, clinical and non-clinical separately, against the overall workforce."""
    counts = counts.astype({"count": "int64"})
    overall = counts.groupby("group")["count"].sum()
    total = int(overall.sum())
    figs = {}
    for g in groups:
        k = int(overall.get(g, 0))
        p = stats.wilson(k, total, confidence=settings.confidence)
        figs[g] = GroupFigures(k, total, p.percent, p.ci_low, p.ci_high)
    overall_minority = figs[minority].percent

    rows = []
    order = [(False, b) for b in BAND_ROWS] + [(True, b) for b in BAND_ROWS] + [(True, b) for b in MEDICAL_GRADES]
    by_cell = counts.groupby(["clinical", "pay_band", "group"])["count"].sum()
    present = {(bool(c), b) for c, b, _ in by_cell.index}
    for clinical, band in order:
        if (clinical, band) not in present:
            continue
        cell = {g: int(by_cell.get((clinical, band, g), 0)) for g in groups}
        row_total = sum(cell.values())
        row = {"band": band, "clinical": clinical, "total": row_total,
               "groups": {g: {"count": c, "percent": _share(c, row_total)} for g, c in cell.items()}}
        share = row["groups"][minority]["percent"]
        row["difference_from_overall"] = (share - overall_minority) if share is not None and overall_minority is not None else None
        rows.append(row)

    senior = counts[counts.pay_band.isin(SENIOR_BANDS)]
    senior_total = int(senior["count"].sum())
    senior_pct = _share(int(senior.loc[senior.group == minority, "count"].sum()), senior_total)
    text = narrative.distribution(group=minority, overall_pct=overall_minority, senior_pct=senior_pct,
                                  senior_label="bands 8a to 9 and VSM")
    quality = unknown_quality(figs, composition=True)
    return IndicatorResult(
        id=ind.id, standard=ind.standard, title=ind.title, kind=ind.kind, value=overall_minority, groups=figs,
        narrative=text, unit="%", period=ind.period, rows=rows, confidence=settings.confidence,
        data_quality={**quality, f"{minority.lower()}_percent_senior_bands": senior_pct},
        notes=list(ind.notes) + [f"value: {minority} share of the overall workforce (%)."],
    )


BOARD_BREAKDOWNS = ("voting", "all", "executive", "non_executive")
BOARD_LABELS = {"voting": "voting", "all": "whole", "executive": "executive", "non_executive": "non-executive"}


def board_result(ind: Indicator, counts: pd.DataFrame, groups: tuple[str, ...], minority: str,
                 settings: StatsSettings) -> IndicatorResult:
    """Board share minus workforce share of the minority group, in percentage points."""
    by_breakdown: dict[str, dict[str, int]] = {}
    for b, g, k in zip(counts["breakdown"].tolist(), counts["group"].tolist(), counts["count"].tolist(), strict=True):
        cell = by_breakdown.setdefault(b, {})
        cell[g] = cell.get(g, 0) + int(k)

    def composition(breakdown: str) -> dict[str, GroupFigures]:
        part = by_breakdown.get(breakdown, {})
        total = sum(part.values())
        out = {}
        for g in groups:
            k = part.get(g, 0)
            p = stats.wilson(k, total, confidence=settings.confidence)
            out[g] = GroupFigures(k, total, p.percent, p.ci_low, p.ci_high)
        return out

    workforce = composition("workforce")
    breakdowns = []
    for name in BOARD_BREAKDOWNS:
        board = composition(name)
        b, w = board[minority], workforce[minority]
        diff = stats.difference_of_proportions(b.numerator, b.denominator, w.numerator, w.denominator,
                                               confidence=settings.confidence)
        breakdowns.append({
            "breakdown": name, "value": diff.value, "ci_low": diff.ci_low, "ci_high": diff.ci_high,
            "members": b.denominator,
            "groups": {g: f.to_dict(with_percent=True) for g, f in board.items()},
            "workforce": {g: f.to_dict(with_percent=True) for g, f in workforce.items()},
            "narrative": narrative.board_difference(group=minority, board_pct=b.percent,
                                                    workforce_pct=w.percent, diff=diff.value,
                                                    members=b.denominator or 0, which=BOARD_LABELS[name]),
        })
    headline = breakdowns[0] if breakdowns[0]["members"] else breakdowns[1]
    notes = list(ind.notes)
    if headline is not breakdowns[0]:
        notes.append("No voting flags are recorded: the headline uses the whole board.")
    return IndicatorResult(
        id=ind.id, standard=ind.standard, title=ind.title, kind=ind.kind, value=headline["value"],
        groups=composition(headline["breakdown"]), narrative=headline["narrative"], unit="percentage points",
        ci_low=headline["ci_low"], ci_high=headline["ci_high"], confidence=settings.confidence,
        period=ind.period, breakdowns=breakdowns, direction=f"board − workforce ({minority} %)",
        data_quality=unknown_quality(workforce, composition=True), notes=notes,
    )
