"""Kaplan–Meier curves, log-rank tests and Cox models over spells (`survival_data`), via statsmodels.

Why statsmodels (``statsmodels.duration``) rather than lifelines: it has everything needed —
Kaplan–Meier with Brookmeyer–Crowley intervals for the median (`SurvfuncRight.quantile_ci`), the
log-rank test (`survdiff`), and Cox regression (`PHReg`) with Efron's tie correction and strata —
and brings one small dependency (patsy) where lifelines brings matplotlib, autograd and formulaic.
It is imported inside the functions (CLI start-up time is measured).

Choices (docs/explore.md, "Time to progression and to leaving"):

- The median is the first time the Kaplan–Meier curve is at or below 0.5 (undefined — "not
  reached" — when it never is); its 95% interval is Brookmeyer–Crowley on the complementary
  log-log scale, with an open upper end when the curve does not fall far enough.
- Cox models use Efron's method for tied times (yearly snapshots tie most promotion times), are
  stratified by starting band when ``band`` is adjusted for (each band its own baseline hazard),
  and take the other covariates as columns: categorical ones as indicators against their most
  common value, FTE as a number. Intervals are Wald intervals on the log hazard ratio. A column
  with no finite estimate (`_estimable`) is left out; a fit that does not converge gives none.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

Z95 = 1.959963984540054


def km_curve(time: np.ndarray, event: np.ndarray) -> pd.DataFrame:
    """The Kaplan–Meier curve at every whole year 0, 1, … up to the longest time, with the number at
    risk at the start of each year and the events and censorings in the year ending at it."""
    time, event = np.asarray(time, float), np.asarray(event, int)
    top = int(math.ceil(time.max())) if len(time) else 0
    rows, surv = [{"time": 0, "survival": 1.0, "at_risk": len(time), "events": 0, "censored": 0}], 1.0
    order = np.argsort(time, kind="stable")
    t_sorted, e_sorted = time[order], event[order]
    for year in range(1, top + 1):
        in_year = (t_sorted > year - 1) & (t_sorted <= year)
        for t in np.unique(t_sorted[in_year & (e_sorted == 1)]):  # product-limit steps inside the year
            at_risk = int((t_sorted >= t).sum())
            d = int(((t_sorted == t) & (e_sorted == 1)).sum())
            surv *= 1 - d / at_risk
        rows.append({"time": year, "survival": surv, "at_risk": int((t_sorted > year - 1).sum()),
                     "events": int((in_year & (e_sorted == 1)).sum()),
                     "censored": int((in_year & (e_sorted == 0)).sum())})
    return pd.DataFrame(rows)


def median(time: np.ndarray, event: np.ndarray) -> dict[str, float | None]:
    """Median time to the event with its 95% interval (None where not defined)."""
    from statsmodels.duration.survfunc import SurvfuncRight

    if len(time) == 0 or int(np.sum(event)) == 0:
        return {"median": None, "median_ci_low": None, "median_ci_high": None}
    sf = SurvfuncRight(np.asarray(time, float), np.asarray(event, float))
    m = sf.quantile(0.5)
    with np.errstate(divide="ignore", invalid="ignore"):  # log(0) where the curve reaches 0: an open end
        low, high = sf.quantile_ci(0.5, alpha=0.05, method="cloglog")
    return {"median": _finite(m), "median_ci_low": _finite(low), "median_ci_high": _finite(high)}


def logrank(time: np.ndarray, event: np.ndarray, group: np.ndarray) -> dict[str, float | None]:
    """Log-rank test of equal survival across the groups: chi-squared, degrees of freedom, p."""
    from statsmodels.duration.survfunc import survdiff

    groups = np.unique(group)
    if len(groups) < 2 or int(np.sum(event)) == 0:
        return {"chi2": None, "df": None, "p_value": None}
    chi2, p = survdiff(np.asarray(time, float), np.asarray(event, float), np.asarray(group))
    return {"chi2": float(chi2), "df": len(groups) - 1, "p_value": float(p)}


def cox(spells: pd.DataFrame, group: str, reference: str, *, covariates: list[str],
        strata: str | None = None) -> pd.DataFrame:
    """Hazard ratio of each value of `group` against `reference`, adjusted for `covariates`.

    One row per non-reference value: ``value, hazard_ratio, ci_low, ci_high, p_value`` (the Wald
    test). Numeric covariates enter as numbers, the others as indicators.
    """
    from statsmodels.duration.hazard_regression import PHReg
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    d = spells.reset_index(drop=True)
    design = [_indicators(d[group], reference)]
    for name in covariates:
        column = d[name]
        if pd.api.types.is_numeric_dtype(column):
            design.append(column.astype(float).to_frame(f"{name}"))
        else:
            design.append(_indicators(column, column.value_counts().idxmax(), prefix=f"{name}="))
    x = pd.concat(design, axis=1)
    keys = None if strata is None else d[strata].astype(str)
    x = x.loc[:, [c for c in x.columns if _estimable(x[c], d.event, keys)]]
    values = [c for c in design[0].columns if c in x.columns]
    if not values:
        return pd.DataFrame(columns=["value", "hazard_ratio", "ci_low", "ci_high", "p_value"])
    model = PHReg(d.time.to_numpy(float), x.to_numpy(float), status=d.event.to_numpy(float), ties="efron",
                  strata=None if strata is None else d[strata].astype(str).to_numpy())
    failed = pd.DataFrame([{"value": v, "hazard_ratio": None, "ci_low": None, "ci_high": None, "p_value": None}
                           for v in values])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = model.fit()
        except (np.linalg.LinAlgError, ValueError):
            return failed
        params, se, pvalues = np.asarray(fit.params), np.asarray(fit.bse), np.asarray(fit.pvalues)
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        return failed  # Newton's method did not settle: no estimate rather than a wrong one
    rows = []
    for value in values:
        i = list(x.columns).index(value)
        b, s = float(params[i]), float(se[i])
        ok = math.isfinite(b) and math.isfinite(s) and s < 50  # a group with no events: no estimate
        rows.append({"value": value, "hazard_ratio": math.exp(b) if ok else None,
                     "ci_low": math.exp(b - Z95 * s) if ok else None,
                     "ci_high": math.exp(b + Z95 * s) if ok else None,
                     "p_value": float(pvalues[i]) if ok else None})
    return pd.DataFrame(rows)


def _estimable(column: pd.Series, event: pd.Series, strata: pd.Series | None = None) -> bool:
    """A column whose coefficient has a finite estimate: it varies within some stratum (a staff group
    found only in strata of its own — doctors in medical grades — says nothing within them), and (an
    indicator) has events both where it is 1 and where it is 0 — a level nobody in it was promoted
    from has an infinite one."""
    if strata is not None:  # only strata in which the column varies inform its coefficient
        varies = column.groupby(strata.to_numpy()).transform("nunique").to_numpy() > 1
        column, event = column[varies], event[varies]
    if column.nunique() < 2:
        return False
    if set(column.unique()) <= {0.0, 1.0}:
        on = column.to_numpy() == 1
        return bool(event.to_numpy()[on].sum() > 0 and event.to_numpy()[~on].sum() > 0)
    return True


def _indicators(column: pd.Series, reference: str, prefix: str = "") -> pd.DataFrame:
    values = [v for v in pd.unique(column.astype(str)) if v != str(reference)]
    return pd.DataFrame({f"{prefix}{v}": (column.astype(str) == v).astype(float) for v in sorted(values)},
                        index=column.index)


def _finite(x) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None
