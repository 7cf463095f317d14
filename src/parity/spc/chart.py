"""XmR and Laney p′/u′ charts with Making Data Count's special-cause rules (`parity.spc.rules`).

A chart is computed from a series of values in time order; every point is marked with the rules it
breaks and the series gets one verdict from its latest point, as MDC's variation icons do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from parity.spc.rules import LIMIT, MR_SCREEN, SpcRules

#: the verdicts, for a measure whose better direction is known
COMMON = "common_cause"
CONCERN = "special_cause_concern"
IMPROVEMENT = "special_cause_improvement"
NEUTRAL = "special_cause_neutral"


@dataclass
class Chart:
    """One charted series: centre line, limits (per point for p′/u′), flags and the verdict."""

    kind: str
    values: np.ndarray
    mean: float
    upper: np.ndarray
    lower: np.ndarray
    near_upper: np.ndarray
    near_lower: np.ndarray
    rules: list[list[str]] = field(default_factory=list)
    variation: str = COMMON

    @property
    def special_cause(self) -> list[bool]:
        return [bool(r) for r in self.rules]


def _runs(flags: np.ndarray, length: int) -> np.ndarray:
    """True for every point in a run of at least `length` consecutive True flags."""
    out = np.zeros(len(flags), dtype=bool)
    start = None
    for i, f in enumerate(list(flags) + [False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            if i - start >= length:
                out[start:i] = True
            start = None
    return out


def _shift(side: np.ndarray, length: int) -> np.ndarray:
    return _runs(side > 0, length) | _runs(side < 0, length)


def _trend(values: np.ndarray, length: int) -> np.ndarray:
    """Points in a run of `length` points each above (or each below) the one before."""
    out = np.zeros(len(values), dtype=bool)
    step = np.sign(np.diff(values))
    for direction in (1, -1):
        # a run of length-1 steps in one direction covers `length` points
        steps = _runs(step == direction, length - 1)
        out[1:] |= steps
        out[:-1] |= steps
    return out


def _two_of_three(close: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Close-to-limit points in a window of three, all on one side, holding two or more such points."""
    out = np.zeros(len(close), dtype=bool)
    for start in range(len(close) - 2):
        window = slice(start, start + 3)
        if close[window].sum() >= 2 and abs(side[window].sum()) == 3:
            out[window] |= close[window]
    return out


def _read(chart: Chart, rules: SpcRules, better: str | None) -> Chart:
    v = chart.values
    side = np.sign(v - chart.mean)
    outside = (v > chart.upper) | (v < chart.lower)
    close = ~outside & ((v > chart.near_upper) | (v < chart.near_lower))
    flags = {
        "outside_limits": outside,
        "shift": _shift(side, rules.shift),
        "trend": _trend(v, rules.trend),
        "two_of_three": _two_of_three(close, side) if rules.two_of_three else np.zeros(len(v), bool),
    }
    chart.rules = [[name for name, f in flags.items() if f[i]] for i in range(len(v))]
    chart.variation = verdict(chart.rules[-1], float(side[-1]), better) if len(v) else COMMON
    return chart


def verdict(last_rules: list[str], last_side: float, better: str | None) -> str:
    """The series' verdict from its latest point (MDC's variation icon): special cause high or low,
    read as improvement or concern from the measure's better direction."""
    if not last_rules:
        return COMMON
    if better not in ("higher", "lower") or last_side == 0:
        return NEUTRAL
    high_is_good = better == "higher"
    return IMPROVEMENT if (last_side > 0) == high_is_good else CONCERN


def xmr(values, *, rules: SpcRules = SpcRules(), better: str | None = None, floor: float | None = None) -> Chart:
    """An XmR chart: mean ± 2.66 × mean moving range (MDC), the rules applied to every point.

    ``floor``: a bound the measure cannot cross (0 for a rate): limits beyond it are shown at it;
    the near-limit band keeps the formula's value, so no rule changes.
    """
    v = np.asarray(values, dtype=float)
    mean = float(v.mean())
    mr = np.abs(np.diff(v))
    amr = float(mr.mean()) if len(mr) else 0.0
    if rules.screen_outliers and len(mr):
        kept = mr[mr < MR_SCREEN * amr]
        amr = float(kept.mean()) if len(kept) else amr
    n = len(v)
    upper, lower = np.full(n, mean + LIMIT * amr), np.full(n, mean - LIMIT * amr)
    if floor is not None:
        lower = np.maximum(lower, floor)
    near = 2 * LIMIT / 3 * amr
    chart = Chart("xmr", v, mean, upper, lower, np.full(n, mean + near), np.full(n, mean - near))
    return _read(chart, rules, better)


def laney(events, exposure, *, kind: str = "p", rules: SpcRules = SpcRules(), better: str | None = None,
          scale: float = 1.0) -> Chart:
    """Laney's p′ (proportions) or u′ (rates per unit of exposure) chart, for varying denominators.

    Laney (2002): centre p̄ = Σx / Σn; each point's binomial (p) or Poisson (u) sigma
    σᵢ = √(p̄(1 − p̄)/nᵢ) or √(ū/nᵢ); z-scores zᵢ = (pᵢ − p̄)/σᵢ; σ_z = mean moving range of z ÷ 1.128;
    limits p̄ ± 3·σᵢ·σ_z. σ_z absorbs the between-period variation that large denominators make a
    plain p chart flag everywhere. ``scale`` multiplies every value (100 for percent, 1,000 for per
    1,000). Periods with a zero denominator must be left out by the caller.
    """
    x = np.asarray(events, dtype=float)
    n = np.asarray(exposure, dtype=float)
    if (n <= 0).any():
        raise ValueError("a p′/u′ chart needs a positive denominator in every period")
    centre = x.sum() / n.sum()
    p = x / n
    if kind == "p":
        sigma = np.sqrt(centre * (1 - centre) / n)
    elif kind == "u":
        sigma = np.sqrt(centre / n)
    else:
        raise ValueError(f"Unknown Laney chart {kind!r}: p or u")
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(sigma > 0, (p - centre) / sigma, 0.0)
    mr = np.abs(np.diff(z))
    sigma_z = float(mr.mean()) / 1.128 if len(mr) else 0.0
    spread = 3 * sigma * sigma_z
    upper, lower = centre + spread, np.maximum(centre - spread, 0.0)
    near_upper, near_lower = centre + 2 * spread / 3, centre - 2 * spread / 3
    chart = Chart(f"{kind}_prime", p * scale, centre * scale, upper * scale, lower * scale,
                  near_upper * scale, near_lower * scale)
    return _read(chart, rules, better)
