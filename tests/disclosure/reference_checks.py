"""Helpers the disclosure tests share: independent references and the way a release is put together."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from parity.disclosure import DisclosureRule
from parity.disclosure.release import Release


def forced_zero_by_lp(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Atom j is forced to zero when max x_j over {x >= 0 : A x = b} is 0 (one LP per atom)."""
    n = a.shape[1]
    out = np.zeros(n, dtype=bool)
    for j in range(n):
        c = np.zeros(n)
        c[j] = -1.0
        res = linprog(c, A_eq=a, b_eq=b, bounds=[(0, 1e6)] * n, method="highs")
        assert res.status == 0
        out[j] = -res.fun < 1e-7
    return out


def release_of(results: dict, rule: DisclosureRule | None = None) -> Release:
    """One release of every result ({standard: {(unit, year): result}}), as `parity report` adds them."""
    release = Release(rule or DisclosureRule())
    for name, found in results.items():
        for (unit, year), result in found.items():
            release.add(result.to_dict(), year=year, unit=unit, standard=name,
                        one_year=getattr(result, "disclosure_one_year", None))
    return release
