"""Funnel plots: is an organisation's figure further from the national one than its size explains?

Spiegelhalter (2005), "Funnel plots for comparing institutional performance", Stat Med 24:1185-1202,
and "Handling over-dispersion of performance indicators", Qual Saf Health Care 14:347-351.

- A **relative likelihood** is compared on the log scale: the target is ln of the national ratio,
  and an organisation's standard error under the null is that of a ratio of two proportions at the
  national rates with the organisation's group sizes, se₀ = √((1 − p_a)/(n_a p_a) + (1 − p_b)/(n_b p_b))
  (normal approximation on the log scale).
- A **difference of percentages** is compared directly: se₀ = √(p_a(1 − p_a)/n_a + p_b(1 − p_b)/n_b)
  at the national proportions (normal approximation).
- Control limits: target ± 1.960 se₀ (95%) and ± 3.090 se₀ (99.8%).
- **Over-dispersion**: z-scores winsorised at their 10th and 90th centiles, φ = mean z²; the
  organisations vary more than chance allows when I·φ exceeds the 95th centile of χ² on I − 1
  degrees of freedom. Then either the multiplicative adjustment (limits ± z √φ se₀) or the additive
  random-effects one (τ² = (Iφ − (I − 1)) / (Σw − Σw²/Σw), w = 1/se₀², limits ± z √(se₀² + τ²)).
"""

from __future__ import annotations

import math

import numpy as np

from parity.stats.special import chdtrc, gammaincinv, ndtri

# scipy.stats.norm.ppf and chi2.sf / chi2.ppf are these ufuncs, bit for bit, without importing scipy.stats
# (half a second of `parity benchmark build`'s start; tests/benchmark/test_funnel.py compares them)
Z95 = float(ndtri(0.975))
Z998 = float(ndtri(0.999))
POSITIONS = ("within", "above_95", "above_998", "below_95", "below_998")


def ratio_se0(n_a: float, n_b: float, p_a: float, p_b: float) -> float:
    """Null standard error of ln(RL) for group sizes n_a, n_b at the national rates p_a, p_b."""
    return math.sqrt((1 - p_a) / (n_a * p_a) + (1 - p_b) / (n_b * p_b))


def difference_se0(n_a: float, n_b: float, p_a: float, p_b: float) -> float:
    """Null standard error of a difference of two proportions at the national proportions."""
    return math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)


def position(z: float, inflate: float = 1.0) -> str:
    """Where a z-score lies against the 95% and 99.8% limits (``inflate``: √φ or the additive factor)."""
    z = z / inflate
    if z > Z998:
        return "above_998"
    if z > Z95:
        return "above_95"
    if z < -Z998:
        return "below_998"
    if z < -Z95:
        return "below_95"
    return "within"


def overdispersion(z: np.ndarray, se: np.ndarray) -> dict:
    """Spiegelhalter's test and both adjustments from the organisations' z-scores and null SEs."""
    z, se = np.asarray(z, float), np.asarray(se, float)
    n = len(z)
    if n < 3:
        return {"organisations": n, "phi": None, "test_statistic": None, "p_value": None,
                "overdispersed": False, "tau2": None, "note": "too few organisations to test"}
    low, high = np.percentile(z, [10, 90])
    zw = np.clip(z, low, high)
    phi = float(np.mean(zw ** 2))
    stat = n * phi
    p = float(chdtrc(n - 1, stat))
    w = 1 / se ** 2
    tau2 = max(0.0, (stat - (n - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
    return {"organisations": n, "phi": phi, "test_statistic": stat, "degrees_of_freedom": n - 1, "p_value": p,
            "overdispersed": bool(stat > 2 * gammaincinv((n - 1) / 2, 0.95)), "tau2": tau2,
            "method": "winsorised z-scores (10%/90%), Spiegelhalter 2005"}
