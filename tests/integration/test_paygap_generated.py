"""The generator's injected sex pay gap is recovered by the pay gap code, with its bootstrap interval.

`--bias pay_gap_sex=G` makes women's hourly pay (1 - G) x men's within the same band and job, so
among comparable staff the mean gap (men - women) / men is G. A 95% interval should contain G in
about 95% of generated trusts; we check 10 seeds and ask for at least 8 (the chance of fewer
than 8 with true 95% coverage is about 1%).
"""

import pytest

from parity import backends
from parity.paygap import bootstrap_gap_ci
from parity.paygap.api import relevant_employees
from parity.synth import build

SEEDS = range(10)


def band_5_nurses(seed: int, gap: float | None):
    """Like-for-like: band 5 registered nurses (clinical roles earn enhancements that admin roles
    in the same band do not, so a band alone mixes different jobs)."""
    tables = build(staff=7000, years=1, seed=seed, bias={"pay_gap_sex": gap} if gap else None)
    tables.pop("survey_responses")
    df = relevant_employees(backends.connect("duckdb", tables=tables), year=2025)
    return df[(df.pay_band == "5") & (df.staff_group == "03")]


def coverage(gap: float) -> tuple[int, list]:
    hits, intervals = 0, []
    for seed in SEEDS:
        nurses = band_5_nurses(seed, gap)
        assert (nurses.sex == "male").sum() > 50 and (nurses.sex == "female").sum() > 300
        low, high = bootstrap_gap_ci(nurses, attribute="sex", measure="mean", n_resamples=1000, seed=seed)
        intervals.append((round(low, 2), round(high, 2)))
        hits += low < 100 * gap < high
    return hits, intervals


@pytest.mark.slow
def test_injected_8_percent_gap_is_inside_the_bootstrap_interval():
    hits, intervals = coverage(0.08)
    assert hits >= 8, intervals


@pytest.mark.slow
def test_without_bias_the_interval_contains_no_gap():
    hits, intervals = coverage(0.0)
    assert hits >= 8, intervals
