"""Trends: each scanned cell's series over the years, and whether it moves beyond chance.

Per cell (outcome × attribute values): the rate's linear trend (Cochran-Armitage,
`parity.stats.trend_in_proportions`, years as scores) and its latest change (pooled two-proportion
z-test, `change_in_proportion`); the relative likelihood's trend — an inverse-variance weighted
least-squares regression of ln RL on year (weights 1 / Katz variance), slope tested with a z-test
(``TEST``) — and its latest change (`change_in_relative_likelihood`). The RL-trend p-values are
adjusted together (Benjamini-Hochberg); findings are the RL trends, significant first.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from parity.explore.compare import Settings
from parity.explore.findings import fy
from parity.explore.phrases import describe, describe_reference, fmt_p
from parity.explore.result import ExploreResult
from parity.explore.scan import DEFAULT_BY, scan_frame
from parity.explore.sources import open_sources
from parity.stats import (
    benjamini_hochberg,
    change_in_proportion,
    change_in_relative_likelihood,
    relative_likelihood,
    trend_in_proportions,
    wilson,
)
from parity.stats._result import json_safe
from parity.stats.relative_likelihood import katz_log_variance
from parity.stats.special import ndtr  # scipy.special.ndtr itself (issue 19)

TEST = "inverse_variance_weighted_regression_of_log_rl_on_year_z"
DEFAULT_SPAN = 5
NO_TREND = ("No trend could be tested: no cell has a relative likelihood in two or more of the years "
            "{years} (import more years of data, or widen the groups)")


def log_rl_trend(years: list[int], rls: list[float], variances: list[float]) -> dict:
    """Weighted least-squares slope of ln RL on year, its standard error, z and two-sided p."""
    x, y, w = np.array(years, float), np.log(rls), 1 / np.array(variances, float)
    if len(x) < 2 or np.ptp(x) == 0 or not np.all(np.isfinite(w)):
        return {"rl_slope": None, "rl_slope_se": None, "rl_trend_z": None, "rl_trend_p": None}
    xb = (w * x).sum() / w.sum()
    sxx = (w * (x - xb) ** 2).sum()
    slope = (w * (x - xb) * (y - (w * y).sum() / w.sum())).sum() / sxx
    se = 1 / math.sqrt(sxx)  # p below: 2 * ndtr(-|z|) = 2 * scipy.stats.norm.sf(|z|), bit for bit
    z = slope / se
    return {"rl_slope": float(slope), "rl_slope_se": se, "rl_trend_z": float(z), "rl_trend_p": float(2 * ndtr(-abs(z)))}


def _oriented(r) -> tuple[int, int, int, int]:
    c = (r.events, r.n, r.ref_events, r.ref_n) if r.adverse else (r.ref_events, r.ref_n, r.events, r.n)
    return tuple(int(v) for v in c)


def summarise(cell: pd.DataFrame, confidence: float) -> dict:
    """One cell's series → trend and latest-change statistics."""
    cell = cell.sort_values("year")
    has = cell[cell["n"] > 0]
    out: dict = {"years": [int(y) for y in cell["year"]], "n_years": len(cell)}
    if len(has) >= 2:
        ca = trend_in_proportions(has["events"].tolist(), has["n"].tolist(), scores=has["year"].tolist())
        last, prev = has.iloc[-1], has.iloc[-2]
        ch = change_in_proportion(wilson(int(last.events), int(last.n)), wilson(int(prev.events), int(prev.n)))
        out.update(rate_slope_pp=ca.slope, rate_trend_p=ca.p_value, rate_trend_test=ca.test,
                   rate_change_pp=ch.difference, rate_change_p=ch.p_value, rate_change_test=ch.test)
    rl = cell[cell["tested"] & cell["rl"].notna()]
    if len(rl) >= 2:
        variances = [katz_log_variance(*_oriented(r)) for r in rl.itertuples()]
        if min(variances) > 0:
            out.update(log_rl_trend(rl["year"].tolist(), rl["rl"].tolist(), variances), rl_trend_test=TEST)
        cur, prev = (relative_likelihood(*_oriented(r), confidence=confidence) for r in
                     (rl.iloc[-1], rl.iloc[-2]))
        ch = change_in_relative_likelihood(cur, prev, confidence=confidence)
        out.update(rl_first=float(rl["rl"].iloc[0]), rl_latest=float(rl["rl"].iloc[-1]),
                   rl_first_year=int(rl["year"].iloc[0]), rl_latest_year=int(rl["year"].iloc[-1]),
                   rl_change_ratio=ch.ratio, rl_change_p=ch.p_value, rl_change_test=ch.test)
    return out


def _narrative(r, settings: Settings) -> str:
    values = {a: r[a] for a in r["attributes"].split("+")}
    group, ref = describe(values, r["noun"]), describe_reference(values, settings.reference, r["noun"])
    direction = "rose" if r["rl_slope"] > 0 else "fell"
    verdict = "a trend beyond chance" if r["significant"] else "within what chance could explain"
    return (f"The relative likelihood of {group} compared with {ref} to {r['label']} (above 1 = worse off) "
            f"{direction} from {r['rl_first']:.2f} in {fy(r['rl_first_year'])} to {r['rl_latest']:.2f} in "
            f"{fy(r['rl_latest_year'])}: ×{math.exp(r['rl_slope']):.2f} a year (weighted regression of log RL "
            f"on year, z-test, FDR-adjusted p {fmt_p(r['p_adjusted'])}), {verdict}.")


def trend(source, *, year: int, by=DEFAULT_BY, outcomes=None, reference=None, fdr: float = 0.05,
          min_cell: int = 30, min_expected: float = 1.0, org: str | None = None,
          years: list[int] | None = None) -> ExploreResult:
    """Series and trend tests for every scanned cell over `years` (default the five years to `year`)."""
    from parity.explore.outcomes import OUTCOMES

    settings = Settings.make(reference, fdr=fdr, min_cell=min_cell, min_expected=min_expected)
    years = sorted(years or range(year - DEFAULT_SPAN + 1, year + 1))
    names = list(outcomes or OUTCOMES)
    src = open_sources(source, org=org, years=years)
    try:
        series, notes = scan_frame(src, outcomes=names, by=tuple(by), settings=settings, years=years, org=org)
    finally:
        src.release()
    rows = []
    keys = ["outcome", "attributes", *[a for a in by if a in series]]
    for key, cell in series.groupby(keys, dropna=False, sort=False):  # loops over cells, not people
        first = cell.iloc[0]
        rows.append({**dict(zip(keys, key, strict=True)), "label": first["label"], "noun": first["noun"],
                     "adverse": bool(first["adverse"]), **summarise(cell, settings.confidence)})
    frame = pd.DataFrame(rows)
    for column in ("rl_trend_p", "rl_slope"):  # no cell had two years to fit (e.g. one year of data)
        if column not in frame:
            frame[column] = np.nan
    if not frame["rl_trend_p"].notna().any():
        notes = [*notes, NO_TREND.format(years=", ".join(map(str, years)))]
    frame["rl_trend_p"] = frame["rl_trend_p"].astype("float64")
    adjusted, rejected = benjamini_hochberg(frame["rl_trend_p"].tolist(), alpha=fdr) if rows else ([], [])
    frame["p_adjusted"], frame["significant"] = adjusted, rejected
    tested = frame[frame["rl_trend_p"].notna()]
    tested = tested.assign(_abs=tested["rl_slope"].abs().where(tested["significant"], 0.0))
    tested = tested.sort_values(["significant", "_abs", "p_adjusted"], ascending=[False, False, True])
    found = [json_safe({**{k: r[k] for k in ("outcome", "rl_first", "rl_latest", "rl_slope", "rl_slope_se",
                                           "rl_trend_z", "rl_trend_p", "p_adjusted", "significant",
                                           "rl_change_ratio", "rl_change_p")},
                        "group": {a: r[a] for a in r["attributes"].split("+")}, "test": TEST,
                        "years": r["years"], "narrative": _narrative(r, settings)})
             for _, r in tested.iterrows()]
    return ExploreResult("trend", frame.drop(columns=["label", "noun"], errors="ignore"), found,
                         int(frame["rl_trend_p"].notna().sum()), [],
                         {**settings.to_dict(), "by": list(by), "years": years, "org": org, "outcomes": names,
                          "rl_trend_test": TEST, "rate_trend_test": "cochran_armitage"}, notes,
                         {"series": series.drop(columns=["label", "noun"])})
