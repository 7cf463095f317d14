"""Results for representation indicators: staff by band (WRES 1, WDES 1) and the board (WRES 9, WDES 10)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parity.contract.codes import AFC_BANDS, MEDICAL_GRADES
from parity.indicators import narrative
from parity.indicators.build import StatsSettings, certainty_of, unknown_quality
from parity.indicators.catalogue import Indicator
from parity.indicators.results import GroupFigures, IndicatorResult
from parity.indicators.rows import Rows, as_rows, missing, sums
from parity.stats import prepared

if TYPE_CHECKING:  # issue 19: not loaded on the compiled-SQL cache's path
    import pandas as pd

BAND_ROWS = AFC_BANDS + ("VSM",)
SENIOR_BANDS = ("8a", "8b", "8c", "8d", "9", "VSM")
SENIOR_SET = frozenset(SENIOR_BANDS)
SENIOR_LABEL = "bands 8a to 9 and VSM"


def _share(count: int, total: int) -> float | None:
    return round(100 * count / total, 10) if total else None


def band_distribution_result(ind: Indicator, counts: pd.DataFrame | Rows, groups: tuple[str, ...],
                             minority: str, settings: StatsSettings) -> IndicatorResult:
    """% of each group in every band, clinical and non-clinical separately, against the overall workforce."""
    counts = as_rows(counts)
    overall = sums(counts, "count")
    total = sum(overall.values())
    figs = {}
    for g in groups:
        k = overall.get(g, 0)
        p = prepared.wilson(k, total, confidence=settings.confidence)
        figs[g] = GroupFigures(k, total, p.percent, p.ci_low, p.ci_high)
    overall_minority = figs[minority].percent

    rows = []
    order = [(False, b) for b in BAND_ROWS] + [(True, b) for b in BAND_ROWS] + [(True, b) for b in MEDICAL_GRADES]
    by_cell: dict[tuple[bool, str, str], int] = {}
    for c, b, g, k in zip(counts["clinical"], counts["pay_band"], counts["group"], counts["count"], strict=True):
        if not (missing(c) or missing(b) or missing(g)):  # as pandas' groupby, which leaves them out
            key = (bool(c), b, g)
            by_cell[key] = by_cell.get(key, 0) + int(k)
    present = {(c, b) for c, b, _ in by_cell}
    for clinical, band in order:
        if (clinical, band) not in present:
            continue
        cell = {g: by_cell.get((clinical, band, g), 0) for g in groups}
        row_total = sum(cell.values())
        row = {"band": band, "clinical": clinical, "total": row_total,
               "groups": {g: {"count": c, "percent": _share(c, row_total)} for g, c in cell.items()}}
        share = row["groups"][minority]["percent"]
        row["difference_from_overall"] = (share - overall_minority) if share is not None and overall_minority is not None else None
        rows.append(row)

    senior = senior_share(counts, minority, settings)
    text = narrative.distribution(group=minority, overall_pct=overall_minority, senior_pct=senior["percent"],
                                  senior_label=SENIOR_LABEL, senior=senior)
    senior_pct = senior["percent"]
    quality = unknown_quality(figs, composition=True)
    return IndicatorResult(
        id=ind.id, standard=ind.standard, title=ind.title, kind=ind.kind, value=overall_minority, groups=figs,
        narrative=text, unit="%", period=ind.period, rows=rows, confidence=settings.confidence,
        senior=senior, certainty=senior["certainty"], statement=senior["statement"],
        data_quality={**quality, f"{minority.lower()}_percent_senior_bands": senior_pct},
        notes=list(ind.notes) + [f"value: {minority} share of the overall workforce (%)."],
    )


def senior_share(counts: pd.DataFrame | Rows, minority: str, settings: StatsSettings) -> dict:
    """The minority share of bands 8a-9 and VSM together (clinical and non-clinical), against the
    whole workforce, with a Wilson interval and a test (issue 13).

    One aggregate of every senior cell, so the finding stands on a publishable figure rather than
    on band rows that disclosure control may withhold. ``difference`` is senior % − overall %, the
    figure a board reads; whether it is beyond chance is judged by comparing senior staff with
    everyone else (two disjoint groups: Newcombe interval of the difference, Fisher or chi-square
    test of the 2×2 table) — "senior share = overall share" and "senior share = share of the rest"
    are the same hypothesis, as the overall share is their weighted mean.
    """
    counts = as_rows(counts)
    k = n = rk = rn = 0
    for band, g, c in zip(counts["pay_band"], counts["group"], counts["count"], strict=True):
        c = int(c)
        if band in SENIOR_SET:
            n += c
            k += c if g == minority else 0
        else:
            rn += c
            rk += c if g == minority else 0
    share = prepared.wilson(k, n, confidence=settings.confidence)
    overall = _share(k + rk, n + rn)
    vs_rest = prepared.difference_of_proportions(k, n, rk, rn, confidence=settings.confidence)
    p_value = test = None
    if n and rn:
        p_value, test = prepared.p_value(k, n, rk, rn, small_count=settings.small_count)
    difference = share.percent - overall if share.percent is not None and overall is not None else None
    sure = certainty_of(vs_rest.value, vs_rest.ci_low, vs_rest.ci_high, "difference")
    statement = None
    if difference is not None and round(difference, 1) != 0:
        where = "under" if difference < 0 else "over"
        words = narrative.direction_words(difference, group=minority, higher_is_worse=False)
        statement = f"{words} ({where}-represented in {SENIOR_LABEL})"
    elif difference is not None:
        statement = f"represented in {SENIOR_LABEL} as in the workforce overall"
    return {
        "bands": list(SENIOR_BANDS), "group": minority, "count": k, "total": n, "percent": share.percent,
        "ci_low": share.ci_low, "ci_high": share.ci_high, "overall_percent": overall, "difference": difference,
        "rest": {"count": rk, "total": rn, "percent": _share(rk, rn)},
        "difference_vs_rest": vs_rest.to_dict(), "p_value": p_value, "test": test,
        "certainty": sure, "statement": statement,
    }


def _board_statement(diff: float | None, minority: str) -> str | None:
    if diff is None:
        return None
    if round(diff, 1) == 0:
        return f"{minority} people represented on the board as in the workforce"
    words = narrative.direction_words(diff, group=minority, higher_is_worse=False)
    return f"{words} ({'under' if diff < 0 else 'over'}-represented on the board)"


BOARD_BREAKDOWNS = ("voting", "all", "executive", "non_executive")
BOARD_LABELS = {"voting": "voting", "all": "whole", "executive": "executive", "non_executive": "non-executive"}


def board_result(ind: Indicator, counts: pd.DataFrame | Rows, groups: tuple[str, ...], minority: str,
                 settings: StatsSettings) -> IndicatorResult:
    """Board share minus workforce share of the minority group, in percentage points."""
    by_breakdown: dict[str, dict[str, int]] = {}
    counts = as_rows(counts)
    for b, g, k in zip(counts["breakdown"], counts["group"], counts["count"], strict=True):
        cell = by_breakdown.setdefault(b, {})
        cell[g] = cell.get(g, 0) + int(k)

    def composition(breakdown: str) -> dict[str, GroupFigures]:
        part = by_breakdown.get(breakdown, {})
        total = sum(part.values())
        out = {}
        for g in groups:
            k = part.get(g, 0)
            p = prepared.wilson(k, total, confidence=settings.confidence)
            out[g] = GroupFigures(k, total, p.percent, p.ci_low, p.ci_high)
        return out

    workforce = composition("workforce")
    breakdowns = []
    for name in BOARD_BREAKDOWNS:
        board = composition(name)
        b, w = board[minority], workforce[minority]
        diff = prepared.difference_of_proportions(b.numerator, b.denominator, w.numerator, w.denominator,
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
        certainty=certainty_of(headline["value"], headline["ci_low"], headline["ci_high"], "difference"),
        statement=_board_statement(headline["value"], minority),
        data_quality=unknown_quality(workforce, composition=True), notes=notes,
    )
