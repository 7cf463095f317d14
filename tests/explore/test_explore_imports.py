"""The explorer does without `scipy.stats` (issue 19: about 0.4 s of CPU on every report's "What the
board should know"), and the `scipy.special` functions it calls instead give SciPy's own bits."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import scipy.stats

from parity.explore.trend import log_rl_trend
from parity.stats.many import relative_likelihoods


def test_importing_the_explorer_loads_no_scipy_stats():
    code = "import sys, parity.explore, parity.explore.scan; print('scipy.stats' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_chi_square_p_values_are_scipys_chi2_sf_bit_for_bit():
    rng = np.random.default_rng(7)
    na, nb = rng.integers(200, 5000, 400), rng.integers(200, 5000, 400)
    a, b = rng.binomial(na, 0.3), rng.binomial(nb, 0.25)
    got = relative_likelihoods(a, na, b, nb)
    assert (got["test"] == "chi_square").all()
    # Pearson's statistic written out independently, then SciPy's distribution
    table = np.stack([a, na - a, b, nb - b], axis=1).astype(float)
    rows = np.stack([na, na, nb, nb], axis=1)
    cols = np.stack([a + b, na + nb - a - b, a + b, na + nb - a - b], axis=1)
    expected = rows * cols / (na + nb)[:, None]
    want = scipy.stats.chi2.sf(((table - expected) ** 2 / expected).sum(axis=1), 1)
    assert np.array_equal(got["p_value"].to_numpy(), np.clip(want, 0.0, 1.0))


def test_fisher_p_values_agree_with_scipy():
    tables = [(0, 40, 3, 35), (2, 31, 9, 33), (1, 5, 4, 6), (7, 30, 0, 30), (3, 100, 12, 90)]
    got = relative_likelihoods(*np.array(tables).T)
    for (a, na, b, nb), p, test in zip(tables, got["p_value"], got["test"], strict=True):
        assert test == "fisher_exact"
        want = scipy.stats.fisher_exact([[a, na - a], [b, nb - b]], alternative="two-sided").pvalue
        assert abs(p - want) <= 1e-9 * want


def test_rl_trend_p_is_scipys_normal_tail_bit_for_bit():
    out = log_rl_trend([2021, 2022, 2023, 2024, 2025], [1.1, 1.25, 1.3, 1.6, 1.7], [0.02, 0.03, 0.02, 0.04, 0.03])
    assert out["rl_trend_p"] == float(2 * scipy.stats.norm.sf(abs(out["rl_trend_z"])))
