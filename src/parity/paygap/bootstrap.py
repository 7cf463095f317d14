"""Confidence interval for a pay gap: stratified percentile bootstrap.

Not part of the regulations (which publish point figures); it says how much a gap could move by
chance, which matters for small organisations and small groups. Strata are the two groups: each
resample draws the reference group's full-pay employees with replacement keeping its size, and
the comparison group's likewise, then computes the gap; the interval is the
(1 − confidence)/2 and (1 + confidence)/2 percentiles of the resampled gaps (numpy's default
linear interpolation). Vectorised: resamples are drawn as index matrices in chunks of at most
`CHUNK_ELEMENTS` values, so memory stays small for 10,000 employees × 2,000 resamples.
"""

from __future__ import annotations

import numpy as np

from parity.paygap.groups import BINARY, binary_labels
from parity.paygap.inputs import prepare

CHUNK_ELEMENTS = 2_000_000
MEASURES = {"mean": np.mean, "median": np.median}
EMPTY_GROUP = "bootstrap needs full-pay employees in both groups ({ref}: {n_ref}, {cmp}: {n_cmp})"


def bootstrap_gap_ci(
    df, *, attribute: str = "sex", measure: str = "mean", n_resamples: int = 2000,
    confidence: float = 0.95, seed: int = 0,
) -> tuple[float, float]:
    """(low, high) percentile bootstrap interval of the mean or median hourly pay gap, in percent
    (unrounded), for the two groups of `attribute` (sex: men vs women; disability: non-disabled vs
    Disabled; ethnicity: White vs all ethnic minority). Same `seed`, same interval."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {sorted(MEASURES)}, not {measure!r}")
    if not 0 < confidence < 1 or n_resamples < 1:
        raise ValueError("confidence must be in (0, 1) and n_resamples >= 1")
    labels, ref, cmp = binary_labels(df, attribute)
    frame = prepare(df, BINARY[attribute][0])
    full = frame["full_pay"]
    r = frame.loc[full & (labels == ref), "hourly"].to_numpy()
    c = frame.loc[full & (labels == cmp), "hourly"].to_numpy()
    if len(r) == 0 or len(c) == 0:
        raise ValueError(EMPTY_GROUP.format(ref=ref, n_ref=len(r), cmp=cmp, n_cmp=len(c)))
    rng = np.random.default_rng(seed)
    stat = MEASURES[measure]
    ref_stats = _resampled(r, n_resamples, rng, stat)
    cmp_stats = _resampled(c, n_resamples, rng, stat)
    gaps = (ref_stats - cmp_stats) / ref_stats * 100.0
    low, high = np.quantile(gaps, [(1 - confidence) / 2, (1 + confidence) / 2])
    return float(low), float(high)


def _resampled(values: np.ndarray, n_resamples: int, rng: np.random.Generator, stat) -> np.ndarray:
    """`stat` of `n_resamples` same-size resamples of `values` (loops over chunks, not people)."""
    n = len(values)
    chunk = max(1, CHUNK_ELEMENTS // n)
    out = np.empty(n_resamples)
    for start in range(0, n_resamples, chunk):
        size = min(chunk, n_resamples - start)
        out[start:start + size] = stat(values[rng.integers(0, n, size=(size, n))], axis=1)
    return out
