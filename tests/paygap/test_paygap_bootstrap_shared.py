"""The mean and median bootstrap intervals from one set of draws (issue 19): the same bits as the
definition — each resample's statistic by NumPy, resample by resample — with the same seed."""

from __future__ import annotations

import numpy as np
import pytest

from parity.paygap import bootstrap, bootstrap_gap_ci
from parity.paygap.bootstrap import bootstrap_gap_cis
from parity.paygap.inputs import prepare


def _by_definition(men: np.ndarray, women: np.ndarray, stat, n_resamples: int, seed: int, chunk_elements: int):
    """Draws as the documented stream (men's chunks, then women's, each chunk an index matrix of
    `chunk_elements // n` rows), the statistic over each matrix's rows by NumPy."""
    rng = np.random.default_rng(seed)
    stats = []
    for values in (men, women):
        n = len(values)
        chunk = max(1, chunk_elements // n)
        stats.append(np.concatenate([stat(values[rng.integers(0, n, size=(min(chunk, n_resamples - s), n))], axis=1)
                                     for s in range(0, n_resamples, chunk)]))
    gaps = (stats[0] - stats[1]) / stats[0] * 100.0
    return tuple(float(x) for x in np.quantile(gaps, [(1 - 0.95) / 2, (1 + 0.95) / 2]))


@pytest.mark.parametrize(("n_men", "n_women"), [(151, 200), (150, 199), (1, 2), (40, 41)])
def test_both_intervals_match_the_definition(make_frame, monkeypatch, n_men, n_women):
    monkeypatch.setattr(bootstrap, "CHUNK_ELEMENTS", 5_000)  # several chunks per group
    rng = np.random.default_rng(n_men)
    # pay rounded to the penny: many ties, as in real pay scales
    men, women = np.round(rng.normal(20, 3, n_men), 2), np.round(rng.normal(18, 3, n_women), 2)
    df = make_frame(np.r_[men, women], ["male"] * n_men + ["female"] * n_women)
    got = bootstrap_gap_cis(df, n_resamples=300, seed=5)
    hourly = prepare(df, "sex")["hourly"].to_numpy()  # reg 6 hourly rates, in row order
    m, w = hourly[:n_men], hourly[n_men:]
    assert got["mean"] == _by_definition(m, w, np.mean, 300, 5, 5_000)
    assert got["median"] == _by_definition(m, w, np.median, 300, 5, 5_000)
    # and one measure at a time gives the same bits
    assert bootstrap_gap_ci(df, measure="median", n_resamples=300, seed=5) == got["median"]
    assert bootstrap_gap_ci(df, measure="mean", n_resamples=300, seed=5) == got["mean"]


def test_unknown_measure_is_refused(make_frame):
    df = make_frame([10, 11, 12], ["male", "female", "male"])
    with pytest.raises(ValueError, match="measure"):
        bootstrap_gap_cis(df, measures=("mean", "mode"))
