"""Pay gaps within pay bands, and the mean gap split into band mix and within-band pay.

Not part of the regulations: an explanation aid. A gender pay gap is mostly about who is in which
band (AfC bands fix pay within a band), so we show each band's own gap and a Kitagawa–Oaxaca
decomposition of the mean hourly gap with reference-group pay as the yardstick:

    M_r − M_c = Σ_b (p_rb − p_cb) · m_rb   (band mix: the groups sit in different bands)
              + Σ_b p_cb · (m_rb − m_cb)   (within band: different pay inside the same band)

p_gb is the share of group g's full-pay employees in band b and m_gb their mean hourly rate; both
parts are divided by M_r × 100, so they add up to the mean hourly pay gap (reg 8) exactly in
arithmetic (to ~1e-12 in floating point). Population: full-pay relevant employees (reg 8).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parity.contract.codes import PAY_BANDS
from parity.paygap.groups import BINARY, binary_labels
from parity.paygap.inputs import prepare
from parity.paygap.results import Decomposition

MISSING_BAND = "(missing)"
NO_PAY_BAND = "within-band analysis needs a pay_band column"


def _band_stats(df: pd.DataFrame, attribute: str) -> tuple[pd.DataFrame, str, str]:
    """Per band: n, mean and median hourly rate of the reference (``_r``) and comparison (``_c``)."""
    if "pay_band" not in df:
        raise ValueError(NO_PAY_BAND)
    labels, ref, cmp = binary_labels(df, attribute)
    frame = prepare(df, BINARY[attribute][0])
    keep = frame["full_pay"] & labels.isin([ref, cmp])
    band = df["pay_band"].astype("object").where(df["pay_band"].notna(), MISSING_BAND).astype(str)
    data = pd.DataFrame({"band": band, "group": labels.map({ref: "r", cmp: "c"}), "hourly": frame["hourly"]})[keep]
    stats = data.groupby(["band", "group"])["hourly"].agg(["size", "mean", "median"]).unstack("group")
    stats.columns = [f"{stat}_{g}" for stat, g in stats.columns]
    for col in ("size_r", "size_c", "mean_r", "mean_c", "median_r", "median_c"):
        if col not in stats:
            stats[col] = np.nan
    stats[["size_r", "size_c"]] = stats[["size_r", "size_c"]].fillna(0).astype(int)
    order = {b: i for i, b in enumerate(PAY_BANDS)}
    stats = stats.loc[sorted(stats.index, key=lambda b: (order.get(b, len(order)), b))]
    return stats, ref, cmp


def _gap(ref: pd.Series, cmp: pd.Series) -> pd.Series:
    return (ref - cmp) / ref * 100.0


def within_band_gaps(df: pd.DataFrame, *, attribute: str = "sex") -> pd.DataFrame:
    """One row per ``pay_band`` (AfC order, then medical grades, then others; blank → "(missing)"):
    head counts, mean and median hourly rate of each group and the band's mean and median gap
    (unrounded; NaN where a group has nobody in the band). Group names are in the
    ``reference`` and ``comparison`` columns, so the columns are the same for every attribute.
    """
    stats, ref, cmp = _band_stats(df, attribute)
    out = pd.DataFrame(
        {
            "pay_band": stats.index,
            "reference": ref,
            "comparison": cmp,
            "n_reference": stats["size_r"].to_numpy(),
            "n_comparison": stats["size_c"].to_numpy(),
            "mean_reference": stats["mean_r"].to_numpy(),
            "mean_comparison": stats["mean_c"].to_numpy(),
            "median_reference": stats["median_r"].to_numpy(),
            "median_comparison": stats["median_c"].to_numpy(),
            "mean_gap": _gap(stats["mean_r"], stats["mean_c"]).to_numpy(),
            "median_gap": _gap(stats["median_r"], stats["median_c"]).to_numpy(),
        }
    )
    return out.reset_index(drop=True)


def decompose_gap(df: pd.DataFrame, *, attribute: str = "sex") -> Decomposition:
    """The mean hourly pay gap = band-mix part + within-band part (formula in the module docstring)."""
    stats, ref, cmp = _band_stats(df, attribute)
    n_r, n_c = stats["size_r"].sum(), stats["size_c"].sum()
    if n_r == 0 or n_c == 0:
        return Decomposition(attribute, ref, cmp, None, None, None, [])
    p_r, p_c = stats["size_r"] / n_r, stats["size_c"] / n_c
    m_c = stats["mean_c"].fillna(0.0)  # only where p_c == 0, so it never counts
    m_r = stats["mean_r"].fillna(m_c)  # no reference employee in the band: see module docstring
    big_r = float((p_r * m_r).sum())
    big_c = float((p_c * m_c).sum())
    mix = (p_r - p_c) * m_r / big_r * 100.0
    within = p_c * (m_r - m_c) / big_r * 100.0
    by_band = [
        {"pay_band": b, "share_reference": float(p_r[b]), "share_comparison": float(p_c[b]),
         "mean_reference": _opt(stats["mean_r"][b]), "mean_comparison": _opt(stats["mean_c"][b]),
         "band_mix": float(mix[b]), "within_band": float(within[b])}
        for b in stats.index  # one row per band: a handful
    ]
    total = (big_r - big_c) / big_r * 100.0
    return Decomposition(attribute, ref, cmp, total, float(mix.sum()), float(within.sum()), by_band)


def _opt(value: float) -> float | None:
    return None if pd.isna(value) else float(value)
