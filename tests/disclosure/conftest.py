"""Shared helpers for disclosure tests: an independent LP check and the in-memory trust builder.

The check here does not use parity.disclosure: it asks scipy for the smallest and largest value a
cell can take in any non-negative table that reproduces every published number.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linprog

_WRES_CONFTEST = Path(__file__).parents[1] / "conftest.py"  # the shared Trust builder
sys.path.insert(0, str(Path(__file__).parent))  # --import-mode=importlib: `reference_checks` importable


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


@pytest.fixture
def four_organisations():
    """2 x 2 tables with totals of four organisations and all organisations, linked by level links:
    (n, vectors, values, specs, margins) as `components.solve_components` takes them."""
    from parity.disclosure.secondary import Published

    orgs = ((3, 20, 15, 0), (12, 4, 0, 30), (9, 9, 9, 9), (1, 40, 2, 25))
    masks = [[0], [1], [2], [3], [0, 1], [2, 3], [0, 2], [1, 3], [0, 1, 2, 3]]
    units = [np.sum(orgs, axis=0)] + [np.array(o) for o in orgs]  # unit 0: all organisations
    n, vectors, values, specs, margins = 4 * len(units), [], [], [], set()
    for u, x in enumerate(units):
        for s, mask in enumerate(masks):
            vectors.append({4 * u + a: 1.0 for a in mask})
            values.append(float(sum(x[a] for a in mask)))
            specs.append(Published(f"u{u}:q{s}", vectors[-1]))
    for s, mask in enumerate(masks):  # all organisations' figure = the sum of the organisations'
        link = {a: 1.0 for a in mask} | {4 * u + a: -1.0 for u in range(1, len(units)) for a in mask}
        margins.add(len(vectors))
        vectors.append(link)
        values.append(0.0)
        specs.append(Published(f"link:q{s}", link, shown=False, known=True))
    return n, vectors, values, specs, margins
