"""On generated regions of 30 organisations (issue 18): an organisation given its own appointment bias
(`appointment@R0C=2.0`) is flagged above the 99.8% limit in at least 9 of 10 seeds, and without a
bias no more organisations fall outside 99.8% than chance allows (0.2% of 300 organisation-seeds,
0.6 expected; 3 or fewer asked, P(more) ≈ 0.003)."""

from __future__ import annotations

import pytest

from parity.benchmark import compare
from parity.synth import BiasError, build, connect


def outliers(seed: int, bias: dict | None) -> dict:
    tables = build(staff=30000, years=1, orgs=30, seed=seed, bias=bias)
    return compare(connect(tables), year=2025, indicator="wres.2")


@pytest.mark.slow
def test_injected_outlier_flagged_and_none_without_bias():
    flagged = [outliers(seed, {"appointment@R0C": 2.0})["outliers"]["above_998"] for seed in range(10)]
    assert sum("R0C" in f for f in flagged) >= 9, flagged
    plain = [outliers(seed, None)["outliers"] for seed in range(10)]
    outside = sum(len(o["above_998"]) + len(o["below_998"]) for o in plain)
    assert outside <= 3, plain


def test_organisation_bias_is_checked():
    with pytest.raises(BiasError, match="No organisation R9Z"):
        build(staff=300, years=1, orgs=2, seed=1, bias={"appointment@R9Z": 2.0})
    with pytest.raises(BiasError, match="NAME@ORG with NAME one of appointment, appointment_disability"):
        build(staff=300, years=1, orgs=2, seed=1, bias={"disciplinary@R0A": 2.0})
