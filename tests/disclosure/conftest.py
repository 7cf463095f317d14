"""Shared helpers for disclosure tests: an independent LP check and the in-memory trust builder.

The check here does not use parity.disclosure: it asks scipy for the smallest and largest value a
cell can take in any non-negative table that reproduces every published number.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linprog

_WRES_CONFTEST = Path(__file__).parents[1] / "conftest.py"  # the shared Trust builder


def cell_range(published: np.ndarray, values: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    """Min and max of ``target . x`` over ``{x >= 0 : published @ x == values}``."""
    n = target.size
    kw = dict(A_eq=published, b_eq=values, bounds=[(0, None)] * n, method="highs") if len(published) else \
        dict(bounds=[(0, None)] * n, method="highs")
    low = linprog(target, **kw)
    high = linprog(-target, **kw)
    assert low.status == 0, low.message
    hi = np.inf if high.status == 3 else -high.fun
    return low.fun, hi


def undetermined(published: np.ndarray, values: np.ndarray, target: np.ndarray) -> bool:
    low, high = cell_range(published, values, target)
    return high - low > 1e-6


@pytest.fixture(scope="session")
def lp():
    return undetermined


@pytest.fixture
def trust():
    spec = importlib.util.spec_from_file_location("_wres_conftest", _WRES_CONFTEST)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Trust()
