"""Property tests: random band x group tables with all margins published."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parity.disclosure import DisclosureRule, protect_table

# many small values, some zeros, some large
COUNT = st.one_of(st.integers(0, 12), st.integers(0, 60))


@st.composite
def tables(draw):
    rows, cols = draw(st.integers(2, 6)), draw(st.integers(2, 4))
    cells = draw(st.lists(st.lists(COUNT, min_size=cols, max_size=cols), min_size=rows, max_size=rows))
    return pd.DataFrame(cells, index=[f"b{i}" for i in range(rows)], columns=[f"g{j}" for j in range(cols)])


def layout(frame: pd.DataFrame) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Coefficient rows (over the inner cells) of every entry of the table with its margins."""
    r, c = frame.shape
    rows, where = [], []
    for i in range(r + 1):
        for j in range(c + 1):
            v = np.zeros((r, c))
            v[i if i < r else slice(None), j if j < c else slice(None)] = 1
            rows.append(v.ravel())
            where.append((i, j))
    return np.array(rows), where


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(frame=tables())
def test_no_small_count_is_published_and_every_withheld_cell_is_undetermined(frame, lp):
    rule = DisclosureRule()
    out = protect_table(frame, rule)
    coefs, where = layout(frame)
    full = out.counts.to_numpy()
    hidden = np.array([out.mask.iat[i, j] for i, j in where])
    values = np.array([full[i, j] for i, j in where], dtype=float)
    # (1) nothing from 1 to k-1 is shown, and the shown values are the true counts
    for (i, j), h in zip(where, hidden, strict=True):
        if not h:
            assert not 0 < full[i, j] < rule.k
            assert out.values.iat[i, j] == full[i, j]
        else:
            assert out.values.iat[i, j] == rule.marker
    # (2) each withheld primary cell can take more than one value given everything shown
    for k in np.flatnonzero(hidden):
        i, j = where[k]
        if out.mask_primary.iat[i, j]:
            assert lp(coefs[~hidden], values[~hidden], coefs[k]), (frame, where[k])


@SETTINGS
@given(frame=tables())
def test_every_complementary_cell_is_needed(frame, lp):
    """(3) the heuristic's bound: showing any one complementary cell would reveal a primary cell."""
    out = protect_table(frame)
    coefs, where = layout(frame)
    full = out.counts.to_numpy()
    values = np.array([full[i, j] for i, j in where], dtype=float)
    hidden = np.array([out.mask.iat[i, j] for i, j in where])
    primary = [k for k, (i, j) in enumerate(where) if out.mask_primary.iat[i, j]]
    if not primary:
        assert not hidden.any()
    for k, (i, j) in enumerate(where):
        if out.mask_secondary.iat[i, j]:
            shown = ~hidden
            shown[k] = True
            assert any(not lp(coefs[shown], values[shown], coefs[p]) for p in primary), (frame, where[k])
    assert out.mask_secondary.to_numpy().sum() <= 3 * len(primary) + 2


def test_zero_stays_zero_and_is_configurable():
    frame = pd.DataFrame({"a": [0, 40, 30], "b": [25, 50, 12]})
    assert protect_table(frame).values.iat[0, 0] == 0
    assert protect_table(frame, DisclosureRule(suppress_zero=True)).values.iat[0, 0] == "*"


def test_single_small_cell_gets_a_rectangle():
    frame = pd.DataFrame({"White": [40, 52, 61], "BME": [3, 45, 20]}, index=["5", "6", "7"])
    out = protect_table(frame)
    assert out.mask_primary.to_numpy().sum() == 1
    # a rectangle: the BME 3, its row partner and the two cells of one other row; totals all shown
    hidden = sorted(map(tuple, np.argwhere(out.mask.to_numpy())))
    assert len(hidden) == 4 and hidden[:2] == [(0, 0), (0, 1)]
    assert hidden[2][0] == hidden[3][0] in (1, 2) and {hidden[2][1], hidden[3][1]} == {0, 1}
    assert out.to_display().iat[0, 1] == "*" and out.to_display("[c]").iat[0, 1] == "[c]"
