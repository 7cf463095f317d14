"""Linear-programming bounds on each hidden count (scipy.optimize.linprog, HiGHS).

For a target (a count, or a combination such as denominator - numerator: the people a rate did
*not* count), minimise and maximise it over non-negative values satisfying every constraint a
reader can know. The protection rule tested: the interval must hold at least two integers; a
target whose interval holds one integer is *recovered*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from attack_model import Constraint, Var
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

SLACK = 1e-6


@dataclass
class Bounds:
    low: float
    high: float

    @property
    def integers(self) -> int:
        """How many integers the interval holds (2 stands for "two or more")."""
        if math.isinf(self.high):
            return 2
        return max(0, min(2, math.floor(self.high + SLACK) - math.ceil(self.low - SLACK) + 1))

    @property
    def pinned(self) -> bool:
        return self.integers < 2


class System:
    """The constraints as matrices, built once and minimised against many targets."""

    def __init__(self, constraints: list[Constraint]):
        self.constraints = constraints
        names = sorted({v for c in constraints for v in c.coefs}, key=repr)
        self.index = {v: i for i, v in enumerate(names)}
        eq, ub, b_eq, b_ub = [], [], [], []
        for c in constraints:
            row = {self.index[v]: k for v, k in c.coefs.items()}
            if c.lo == c.hi:
                eq.append(row)
                b_eq.append(c.lo)
                continue
            if math.isfinite(c.hi):
                ub.append(row)
                b_ub.append(c.hi)
            if math.isfinite(c.lo):
                ub.append({i: -k for i, k in row.items()})
                b_ub.append(-c.lo)
        self.a_eq, self.b_eq = self._matrix(eq), np.array(b_eq)
        self.a_ub, self.b_ub = self._matrix(ub), np.array(b_ub)

    def _matrix(self, rows: list[dict[int, float]]):
        if not rows:
            return None
        data = [(r, i, k) for r, row in enumerate(rows) for i, k in row.items()]
        r, i, k = zip(*data, strict=True)
        return csr_matrix((k, (r, i)), shape=(len(rows), len(self.index)))

    def bounds(self, target: dict[Var, float]) -> Bounds:
        """Smallest and largest value of ``sum(coef * var)`` (unknown variables are unconstrained >= 0)."""
        if any(v not in self.index for v in target):
            return Bounds(0.0, math.inf)  # a variable no constraint mentions can be anything
        c = np.zeros(len(self.index))
        for v, k in target.items():
            c[self.index[v]] = k
        kw = dict(A_eq=self.a_eq, b_eq=self.b_eq if self.a_eq is not None else None,
                  A_ub=self.a_ub, b_ub=self.b_ub if self.a_ub is not None else None,
                  bounds=(0, None), method="highs")
        low = linprog(c, **kw)
        if low.status != 0:
            raise AssertionError(f"attack LP failed for {target}: {low.message}")
        high = linprog(-c, **kw)
        return Bounds(low.fun, math.inf if high.status == 3 else -high.fun)
