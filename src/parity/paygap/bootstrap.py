"""Confidence interval for a pay gap: stratified percentile bootstrap.

Not part of the regulations (which publish point figures); it says how much a gap could move by
chance, which matters for small organisations and small groups. Strata are the two groups: each
resample draws the reference group's full-pay employees with replacement keeping its size, and
the comparison group's likewise, then computes the gap; the interval is the
(1 − confidence)/2 and (1 + confidence)/2 percentiles of the resampled gaps (numpy's default
linear interpolation). Vectorised: resamples are drawn as index matrices in chunks of at most
`CHUNK_ELEMENTS` values, so memory stays small for 10,000 employees × 2,000 resamples.

`bootstrap_gap_cis` gives the mean and the median intervals from one set of draws (issue 19): each
measure's interval always started from the same seed, so both saw the same resamples, and the
intervals are the same bits as two `bootstrap_gap_ci` calls. The median of each resample is read
from how often it drew each person (a count per person, summed in pay order, up to the middle
rank), which gives exactly `numpy.median`'s value without partitioning every resample.
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
    return bootstrap_gap_cis(df, attribute=attribute, measures=(measure,), n_resamples=n_resamples,
                             confidence=confidence, seed=seed)[measure]


def bootstrap_gap_cis(
    df, *, attribute: str = "sex", measures: tuple[str, ...] = ("mean", "median"), n_resamples: int = 2000,
    confidence: float = 0.95, seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """`bootstrap_gap_ci` of each of `measures` from the same resamples: identical to one call per
    measure with the same seed, for the cost of one set of draws."""
    for measure in measures:
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
    ref_stats = _resampled(r, n_resamples, rng, measures)
    cmp_stats = _resampled(c, n_resamples, rng, measures)
    out = {}
    for measure in measures:
        gaps = (ref_stats[measure] - cmp_stats[measure]) / ref_stats[measure] * 100.0
        low, high = np.quantile(gaps, [(1 - confidence) / 2, (1 + confidence) / 2])
        out[measure] = (float(low), float(high))
    return out


def _resampled(values: np.ndarray, n_resamples: int, rng: np.random.Generator,
               measures: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Each measure of `n_resamples` same-size resamples of `values` (loops over chunks, not people)."""
    n = len(values)
    chunk = max(1, CHUNK_ELEMENTS // n)
    out = {m: np.empty(n_resamples) for m in measures}
    by_count = "median" in measures and bool(np.isfinite(values).all())  # NaN: numpy's median says NaN
    if by_count:
        order = np.argsort(values, kind="stable")
        ranked = values[order]
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
    for start in range(0, n_resamples, chunk):
        size = min(chunk, n_resamples - start)
        drawn = rng.integers(0, n, size=(size, n))
        for measure in measures:
            if measure == "median" and by_count:
                out[measure][start:start + size] = _median_by_count(rank[drawn], ranked)
            else:
                out[measure][start:start + size] = MEASURES[measure](values[drawn], axis=1)
    return out


def _median_by_count(ranks: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    """`numpy.median` of each row of ``ranked[ranks]``: the middle rank(s) found from each row's
    count of draws per person, cumulated in pay order (the mean of the two middle values when
    the row length is even, as numpy)."""
    rows, n = ranks.shape
    drawn = np.bincount((ranks + (np.arange(rows, dtype=np.int64) * n)[:, None]).ravel(), minlength=rows * n)
    below = drawn.reshape(rows, n).cumsum(axis=1)
    upper = ranked[(below < n // 2 + 1).sum(axis=1)]  # rank n // 2 (0-based) of each resample
    if n % 2:
        return upper
    lower = ranked[(below < n // 2).sum(axis=1)]
    return (lower + upper) / 2
