"""Fast versions of the statistical checks in benchmarks/simulation.py (the full run measures them).

Each fast check uses fixed seeds, so it is deterministic; its bounds are loose enough to hold for
any sound implementation at these run counts, tight enough to catch a broken interval or FDR step.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from parity.stats import benjamini_hochberg, relative_likelihood

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "simulation.py"


@pytest.fixture(scope="module")
def sim():
    spec = importlib.util.spec_from_file_location("parity_simulation", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_interval_coverage_fast(sim):
    result = sim.coverage_binomial(1500, seed=7)
    assert abs(result["coverage"] - 0.95) < 3 * result["mc_se"] + 0.005


def test_bh_controls_fdr_on_null_cells_fast():
    """Null cells drawn at the scan's level: the share of runs with any discovery stays near ≤ 5%."""
    rng = np.random.default_rng(3)
    runs, any_discovery = 150, 0
    for _ in range(runs):
        p = [relative_likelihood(int(rng.binomial(300, .1)), 300, int(rng.binomial(3000, .1)), 3000).p_value
             for _ in range(12)]
        any_discovery += benjamini_hochberg(p, alpha=0.05)[1].any()
    assert any_discovery / runs <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / runs)


def test_power_through_real_generator_fast(sim):
    """Real generator and real scan: a training RL of 1.5 is found in every injected cell of n ≥ 200."""
    run = sim.power_run(11, staff=4000)
    assert run["cells"] >= 4 and run["found"] == run["cells"]


@pytest.mark.slow
def test_no_false_discoveries_without_bias(sim):
    assert sum(sim.fdr_run(s)["discoveries"] > 0 for s in (21, 22, 23)) <= 1
