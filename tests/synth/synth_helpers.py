"""Shared helpers for the synth tests: group labels and relative likelihoods from raw counts."""

from __future__ import annotations

import math

import pandas as pd

from parity.contract.codes import wres_group


def group(eth: pd.Series) -> pd.Series:
    return eth.map(lambda c: wres_group(c if isinstance(c, str) else None))


def headcount(workforce: pd.DataFrame) -> pd.DataFrame:
    """Person-years at risk: primary, non-bank rows, not non-executives (as the generator uses)."""
    w = workforce[workforce.primary_assignment & (workforce.assignment_category != "bank")]
    return w[w.board_role.fillna("") != "non_executive"]


def rl_within(events_a: int, n_a: int, events_b: int, n_b: int, expected: float, k: float = 3.0) -> tuple[float, float]:
    """Observed relative likelihood (a/b) and its distance from `expected` in SEs of log RL."""
    rl = (events_a / n_a) / (events_b / n_b)
    se = math.sqrt(1 / events_a - 1 / n_a + 1 / events_b - 1 / n_b)
    return rl, abs(math.log(rl) - math.log(expected)) / se
