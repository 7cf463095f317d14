"""Mean and sample standard deviation from exact sums (WDES metric 9a's scores), shared by the Ibis
path (`parity.indicators.survey.score_counts`) and the compiled-SQL cache (`parity.sqlcache.replay`)."""

from __future__ import annotations

import decimal
import math


def mean_sd(n: int, s1, s2) -> tuple[float, float]:
    """Mean and sample sd of `n` values whose sum is `s1` and sum of squares `s2` (exact decimals
    from the database), computed in 60-digit decimal arithmetic and rounded once to floats."""
    n = int(n)
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        s1, s2 = decimal.Decimal(s1), decimal.Decimal(s2)
        mean = float(s1 / n) if n else math.nan
        sd = float(max((s2 - s1 * s1 / n) / (n - 1), 0).sqrt()) if n > 1 else math.nan
    return mean, sd
