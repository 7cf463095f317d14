"""The six measures for one reference and one comparison group, unrounded.

Gender Pay Gap Information Regulations 2017 (as applied to public authorities by the Specific
Duties Regulations 2017, Schedule 1):

- reg 8: mean hourly pay gap; reg 9: median hourly pay gap — full-pay relevant employees;
- reg 10: mean bonus gap; reg 11: median bonus gap — relevant employees who were paid bonus in the
  12 months to the snapshot (bonuses are NOT scaled up for part-time workers);
- reg 12: proportion of each group paid bonus — out of all relevant employees of that group;
- reg 13: quarters (see `parity.paygap.quarters`).

Every gap is (reference − comparison) / reference × 100, so a positive gap means the reference
group (men) is paid more; negative gaps are valid.
"""

from __future__ import annotations

import numpy as np


def gap(reference: float | None, comparison: float | None) -> float | None:
    """(reference − comparison) / reference × 100; None when either is missing or reference is 0."""
    if reference is None or comparison is None or reference == 0:
        return None
    return (reference - comparison) / reference * 100.0


def _mean(values: np.ndarray) -> float | None:
    return float(np.mean(values)) if len(values) else None


def _median(values: np.ndarray) -> float | None:
    # numpy's median of an even count is the mean of the two middle values, as reg 9 needs
    return float(np.median(values)) if len(values) else None


def hourly_measures(reference: np.ndarray, comparison: np.ndarray) -> dict[str, float | None]:
    """Mean and median hourly pay of each group and the two gaps (regs 8–9)."""
    out = {
        "reference_mean_hourly": _mean(reference),
        "comparison_mean_hourly": _mean(comparison),
        "reference_median_hourly": _median(reference),
        "comparison_median_hourly": _median(comparison),
    }
    out["mean_hourly_gap"] = gap(out["reference_mean_hourly"], out["comparison_mean_hourly"])
    out["median_hourly_gap"] = gap(out["reference_median_hourly"], out["comparison_median_hourly"])
    return out


def bonus_measures(reference: np.ndarray, comparison: np.ndarray) -> dict[str, float | None]:
    """Bonus gaps among recipients (regs 10–11) from each group's 12-month bonus (0 = none).

    No reference-group recipient → both gaps None (published blank, not 0). Reference recipients
    but no comparison recipient → the comparison group's bonus pay is 0, so both gaps are 100.0
    (our reading; the service's rule that a gap cannot exceed 100 then still holds).
    """
    ref = reference[reference > 0]
    cmp = comparison[comparison > 0]
    out = {
        "reference_mean_bonus": _mean(ref),
        "comparison_mean_bonus": _mean(cmp),
        "reference_median_bonus": _median(ref),
        "comparison_median_bonus": _median(cmp),
    }
    if len(ref) == 0:
        out["mean_bonus_gap"] = out["median_bonus_gap"] = None
    elif len(cmp) == 0:
        out["mean_bonus_gap"] = out["median_bonus_gap"] = 100.0
    else:
        out["mean_bonus_gap"] = gap(out["reference_mean_bonus"], out["comparison_mean_bonus"])
        out["median_bonus_gap"] = gap(out["reference_median_bonus"], out["comparison_median_bonus"])
    return out
