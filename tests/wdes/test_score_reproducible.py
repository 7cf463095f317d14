"""WDES 9a's group means and sds are the same to the last digit whatever order the rows are stored in.

Before: DuckDB averaged respondents' scores as floats in parallel, so the last digits of the mean and
sd changed between runs (and the report's CSV with them). Checked here against exact rational
arithmetic (fractions) over the same respondents, independently of the code under test.
"""

from __future__ import annotations

import math
from fractions import Fraction

import ibis
import numpy as np
import pandas as pd

from parity.indicators.survey import load_question_map, score_counts
from parity.standards.wdes.counts import by_disability


def _responses(seed: int, order_seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    people = 60_000
    items = rng.integers(1, 4, people)  # each respondent answers 1-3 engagement items
    rid = np.repeat(np.arange(people), items)
    q = np.concatenate([np.arange(k) for k in items]) + 1
    answers = rng.integers(1, 6, rid.size)
    disability = np.where(rng.random(people) < 0.2, "yes", "no")[rid]
    frame = pd.DataFrame({"response_id": [f"P{i}" for i in rid], "survey_year": 2024, "org_code": "ORG",
                          "ethnic_category": "A", "disability": disability, "sex": "female",
                          "question": [f"q_eng_{i}" for i in q], "answer": answers.astype(str)})
    return frame.sample(frac=1, random_state=order_seed).reset_index(drop=True)


def _scores(frame: pd.DataFrame) -> pd.DataFrame:
    con = ibis.duckdb.connect(threads=4)
    con.create_table("survey_responses", frame)
    out = score_counts(con, by_disability, load_question_map(), ["wdes.9a"])
    return out.sort_values("group").reset_index(drop=True)


def test_engagement_means_and_sds_do_not_depend_on_row_order():
    runs = [_scores(_responses(7, order)) for order in range(4)]
    for other in runs[1:]:
        pd.testing.assert_frame_equal(runs[0], other, check_exact=True)


def test_engagement_means_and_sds_against_exact_arithmetic():
    frame = _responses(11, 0)
    got = _scores(frame).set_index("group")
    item = (frame.answer.astype(int) - 1) * Fraction(5, 2)
    per = pd.DataFrame({"rid": frame.response_id, "dis": frame.disability, "s": item}).groupby(
        ["rid", "dis"]).s.agg(["sum", "count"]).reset_index()
    for dis, group in (("yes", "Disabled"), ("no", "Non-disabled")):
        xs = [Fraction(s) / c for s, c in zip(per[per.dis == dis]["sum"], per[per.dis == dis]["count"], strict=True)]
        n = len(xs)
        mean = sum(xs, Fraction(0)) / n
        sd = math.sqrt(sum(((x - mean) ** 2 for x in xs), Fraction(0)) / (n - 1))
        assert got.loc[group, "n"] == n
        assert math.isclose(got.loc[group, "mean"], float(mean), rel_tol=1e-12)
        assert math.isclose(got.loc[group, "sd"], sd, rel_tol=1e-9)
