"""Equal-sized quarters (reg 13): remainder rule and tie splitting, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from parity.paygap import gender_pay_gap
from parity.paygap.quarters import assign_quarters


@pytest.mark.parametrize(
    "n, sizes",
    [(8, [2, 2, 2, 2]), (9, [3, 2, 2, 2]), (10, [3, 2, 3, 2]), (11, [3, 3, 3, 2]), (4445, [1112, 1111, 1111, 1111]),
     (1, [1, 0, 0, 0]), (2, [1, 0, 1, 0]), (3, [1, 1, 1, 0])],
)
def test_remainder_rule(n, sizes, make_frame):
    rng = np.random.default_rng(n)
    result = gender_pay_gap(make_frame(rng.permutation(n) + 10.0, rng.choice(["male", "female"], n)))
    assert [q["size"] for q in result.quarters] == sizes


def test_who_goes_where_with_ten_people():
    # ranks 1..10 → lower {1,2,3}, lower-middle {4,5}, upper-middle {6,7,8}, top {9,10}
    rates = np.array([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], dtype=float)
    quarter = assign_quarters(rates, np.zeros(10, int), 1)
    assert quarter.tolist() == [3, 3, 2, 2, 2, 1, 1, 0, 0, 0]


def test_tie_split_does_not_depend_on_row_order(make_frame):
    # 8 people: 4 at £10 (2 men, 2 women) straddle the lower / lower-middle cut (2 seats each)
    rates = [10, 10, 10, 10, 20, 21, 22, 23]
    for sexes in (["male", "male", "female", "female"], ["female", "female", "male", "male"]):
        result = gender_pay_gap(make_frame(rates, sexes + ["male", "female"] * 2))
        assert result.quarters[0]["counts"] == {"male": 1, "female": 1}
        assert result.quarters[1]["counts"] == {"male": 1, "female": 1}


def test_tie_across_three_quarters(make_frame):
    # 12 people, quarters of 3; ranks 2..10 share £10: 3 men + 6 women over seats 2 / 3 / 4
    # quotas men 2/3, 1, 4/3 → 1, 1, 1; women 4/3, 2, 8/3 → 1, 2, 3 (each floor or ceil)
    rates = [5] + [10] * 9 + [20, 30]
    sexes = ["female"] + ["male"] * 3 + ["female"] * 6 + ["male", "male"]
    result = gender_pay_gap(make_frame(rates, sexes))
    counts = [(q["counts"]["male"], q["counts"]["female"]) for q in result.quarters]
    assert counts == [(1, 2), (1, 2), (1, 2), (2, 1)]
