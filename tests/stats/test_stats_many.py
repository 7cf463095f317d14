"""`relative_likelihoods` (arrays) gives, table by table, what `relative_likelihood` gives."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parity.stats import relative_likelihood
from parity.stats.many import BAD_COUNTS, relative_likelihoods


@st.composite
def tables(draw):
    n_a = draw(st.integers(0, 400))
    n_b = draw(st.integers(0, 400))
    return draw(st.integers(0, n_a)), n_a, draw(st.integers(0, n_b)), n_b


def _same(x, y) -> bool:
    if x is None or (isinstance(y, float) and math.isnan(y)):
        return x is None and (y is None or math.isnan(y))
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.lists(tables(), min_size=1, max_size=30), st.sampled_from([0.9, 0.95, 0.99]))
def test_every_field_matches_the_scalar_function(rows, confidence):
    got = relative_likelihoods(*np.array(rows).T, confidence=confidence)
    for (a, na, b, nb), (_, r) in zip(rows, got.iterrows(), strict=True):
        want = relative_likelihood(a, na, b, nb, confidence=confidence)
        for name in ("value", "ci_low", "ci_high", "p_value"):
            assert _same(getattr(want, name), r[name]), (name, a, na, b, nb, getattr(want, name), r[name])
        assert r["test"] == want.test
        assert r["undefined_reason"] == want.undefined_reason
        assert bool(r["continuity_correction"]) == want.continuity_correction


def test_worked_example_and_bad_counts():
    # WRES 2 worked example (shared/domain/wres.md): 46.99% White vs 14.65% BME -> 3.2075
    got = relative_likelihoods([4699, 3], [10000, 50], [1465, 0], [10000, 40])
    assert round(got["value"][0], 4) == 3.2075 and got["test"][0] == "chi_square"
    assert math.isnan(got["value"][1]) and got["test"][1] == "fisher_exact"
    with pytest.raises(ValueError, match="whole numbers"):
        relative_likelihoods([5], [4], [1], [10])
    assert "events <= people" in BAD_COUNTS
