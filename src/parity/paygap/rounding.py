"""Publication rounding: one decimal place, half away from zero, shares that add to exactly 100.0.

The regulations ask for figures "to one decimal place" (Gender Pay Gap Information Regulations 2017,
regs 8–12) without naming a rounding rule; we round half away from zero (what people do by hand and
what spreadsheets' ROUND does), never Python's float ``round`` (half to even, on binary values).
The government service rejects a quarter whose men % + women % is not exactly 100.0, so shares are
rounded as a set (see `shares`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

_NANO = Decimal("1e-9")
_TENTH = Decimal("0.1")


def round1(value: float | None) -> float | None:
    """`value` to one decimal place, half away from zero; None stays None.

    Floats computed from pay carry binary noise (13.55 may be stored as 13.549999999999999), so we
    first round to 9 decimal places, then to one. Exact inputs (counts) should use `round_fraction`.
    """
    if value is None:
        return None
    d = Decimal(float(value)).quantize(_NANO, rounding=ROUND_HALF_EVEN)
    # Decimal's ROUND_HALF_UP rounds ties away from zero for negative numbers too.
    return float(d.quantize(_TENTH, rounding=ROUND_HALF_UP))


def _tenths_half_up(q: Fraction) -> int:
    """`q` (non-negative, in tenths) rounded half up to an integer number of tenths."""
    return int((q + Fraction(1, 2)) // 1)


def percent(part: int, whole: int) -> float | None:
    """``part / whole × 100`` to one decimal place, exactly (no float noise); None when whole is 0."""
    if whole == 0:
        return None
    return _tenths_half_up(Fraction(1000 * part, whole)) / 10


def shares(counts: list[int]) -> list[float] | None:
    """Percent shares of `counts` to one decimal place that add up to exactly 100.0.

    Two groups (men/women): round the first (the reference group) half away from zero and give the
    second the complement, as the government guidance suggests. More groups: largest remainder in
    tenths of a percent — floor every share, then give the missing tenths to the largest
    remainders, ties to the group listed first. None when the total is 0.
    """
    total = sum(counts)
    if total == 0:
        return None
    if len(counts) == 2:
        first = _tenths_half_up(Fraction(1000 * counts[0], total))
        return [first / 10, (1000 - first) / 10]
    exact = [Fraction(1000 * c, total) for c in counts]
    tenths = [int(q // 1) for q in exact]
    missing = 1000 - sum(tenths)
    # stable sort on remainder only, so equal remainders keep the groups' listed order
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - tenths[i], reverse=True)
    for i in by_remainder[:missing]:
        tenths[i] += 1
    return [t / 10 for t in tenths]
