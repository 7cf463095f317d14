"""Is a quantity derivable from the published ones? Linear algebra of linked tables.

Atoms ``x >= 0`` are the finest counts (e.g. one band x group cell). Every published quantity is a
row ``a`` of coefficients with value ``a . x``. The set of tables consistent with what is published is
the polytope ``F = {x >= 0 : A x = b}``. A quantity ``q . x`` is fixed on ``F`` exactly when ``q`` lies
in the row space of ``A`` together with the unit rows of the atoms that non-negativity forces to zero
(the implicit equalities of ``F``, whose solution set is the affine hull of ``F``). Non-negativity
matters: a published total of 0 tells everyone that every atom in it is 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from scipy.linalg import null_space
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, hstack, identity, issparse, vstack

from parity.disclosure.presolve import reduce

#: relative tolerance for "in the span" with small integer coefficient rows
TOL = 1e-7

LP_FAILED = "the published values are inconsistent (no non-negative table reproduces them): {message}"
UNKNOWN_NAME = "suppressed name {name!r} is not among the published quantities"


def norm(v: np.ndarray) -> float:
    """``np.linalg.norm(v)`` of a real vector, the same arithmetic (``sqrt(v . v)``) without its
    argument checks, which cost more than the product on the rank tests' short vectors."""
    return math.sqrt(v.dot(v))


def row_norms(x: np.ndarray) -> np.ndarray:
    """``np.linalg.norm(x, axis=1)`` of a real matrix, the same arithmetic (``sqrt`` of the summed squares)."""
    return np.sqrt(np.add.reduce(x * x, axis=1))


class Span:
    """An orthonormal basis of a growing row space (Gram-Schmidt, orthogonalised twice).

    Rows live in a preallocated buffer, so extending the span and copying it stay cheap."""

    def __init__(self, n: int) -> None:
        self.n = n
        self._buf = np.zeros((8, n))
        self.k = 0

    @property
    def basis(self) -> np.ndarray:
        return self._buf[:self.k]

    def copy(self) -> Span:
        other = Span(self.n)
        other._buf = self._buf[:max(self.k, 8)].copy()
        other.k = self.k
        return other

    def residual(self, v: np.ndarray) -> np.ndarray:
        r = np.asarray(v, dtype=float).copy()
        b = self.basis
        for _ in range(2):  # the second pass removes the rounding the first leaves behind
            r -= b.T @ (b @ r)
        return r

    def contains(self, v: np.ndarray) -> bool:
        v = np.asarray(v, dtype=float)
        return bool(norm(self.residual(v)) <= TOL * max(1.0, norm(v)))

    def contains_rows(self, rows: np.ndarray) -> np.ndarray:
        """`contains` of each row of ``rows`` (one matrix product per pass instead of one per row)."""
        rows = np.asarray(rows, dtype=float).reshape(-1, self.n)
        b = self.basis
        r = rows
        for _ in range(2):
            r = r - (r @ b.T) @ b
        return row_norms(r) <= TOL * np.maximum(1.0, row_norms(rows))

    def contains_units(self, atoms: np.ndarray) -> np.ndarray:
        """`contains` of the unit row of each atom in ``atoms`` (is the atom itself determined?)."""
        atoms = np.asarray(atoms, dtype=np.int64)
        b = self.basis
        r = -(b[:, atoms].T @ b)  # e_j - (e_j . b) b: the first pass without the unit rows' products
        r[np.arange(atoms.size), atoms] += 1.0
        r = r - (r @ b.T) @ b
        return row_norms(r) <= TOL

    def direction(self, v: np.ndarray, extra: list[np.ndarray] = ()) -> np.ndarray | None:
        """The new unit direction ``v`` would add (also orthogonal to ``extra``), or None; no change."""
        v = np.asarray(v, dtype=float)
        r = self.residual(v)
        for _ in range(2):
            for u in extra:
                r -= (u @ r) * u
        length = norm(r)
        if length <= TOL * max(1.0, norm(v)):
            return None
        return r / length

    def append(self, u: np.ndarray) -> None:
        """Add a unit direction already orthogonal to the span (from `direction`)."""
        if self.k == self._buf.shape[0]:
            grown = np.zeros((2 * self._buf.shape[0], self.n))
            grown[:self.k] = self._buf[:self.k]
            self._buf = grown
        self._buf[self.k] = u
        self.k += 1

    def add(self, v: np.ndarray) -> np.ndarray | None:
        """Extend the span by ``v``; returns the new unit direction, or None if ``v`` was inside."""
        u = self.direction(v)
        if u is not None:
            self.append(u)
        return u


def unit(n: int, j: int) -> np.ndarray:
    """The unit row of atom ``j`` over ``n`` atoms (``np.eye(n)[j]`` without the n x n matrix)."""
    e = np.zeros(n)
    e[j] = 1.0
    return e


def implicit_zeros(matrix, values: np.ndarray) -> np.ndarray:
    """Atoms that are 0 in every non-negative solution of ``matrix @ x == values`` (boolean mask).

    One linear programme over the cone ``{(x, s) >= 0 : A x = s b}``: maximise ``sum t + u`` with
    ``t <= x``, ``u <= s`` and ``t, u <= 1``. Solutions can be scaled and added, so at the optimum
    ``t_j = 1`` for every atom that can be positive and ``t_j = 0`` exactly for the atoms forced to
    zero; and ``u = 1`` exactly when some cone point has ``s > 0``, i.e. when the real data
    ``{x >= 0 : A x = b}`` is feasible (``x / s``) — so one programme also checks the published
    values are consistent (a cone point with ``s = 0`` is a recession direction: added to a feasible
    point it stays feasible, so the atoms it makes positive can be positive in the real data too).
    ``matrix`` may be a SciPy sparse matrix (a year of many organisations, `modular`): the programme
    is then built sparse too; a dense matrix keeps it dense. An atom some row gives alone with a value
    of its coefficient's sign is positive whenever ``s > 0`` and gets no ``t`` (the same answer from a
    programme about half the size on a national component-year: 7.1 -> 4.0 s).
    """
    sparse = issparse(matrix)
    a = csr_matrix(matrix, dtype=float) if sparse else np.atleast_2d(np.asarray(matrix, dtype=float))
    n = a.shape[1]
    if a.shape[0] == 0:
        return np.zeros(n, dtype=bool)
    b = np.asarray(values, dtype=float)
    if sparse:  # atoms fixed by rows of their own and copies of rows leave first (`presolve`)
        a, b, free, zeros = reduce(a, b)
        if a.shape[0]:
            zeros[free] = _programme(a, b, sparse)
        return zeros
    return _programme(a, b, sparse)


def _programme(a, b: np.ndarray, sparse: bool) -> np.ndarray:
    """`implicit_zeros`'s linear programme for ``a`` (CSR or dense, at least one row) and ``b``."""
    n = a.shape[1]
    # an atom published alone with a non-zero value (``c x_j = v``, c v > 0) is positive in every
    # solution: it needs no ``t_j`` (about half the atoms of a national component-year)
    cand = np.flatnonzero(~_alone_positive(a, b, sparse))
    c = len(cand)
    # variables (x, t over the candidates, s, u); rows t - x <= 0 and u - s <= 0
    if sparse:
        pick = csr_matrix((np.ones(c), (np.arange(c), cand)), shape=(c, n))
        a_eq = hstack([a, csr_matrix((a.shape[0], c)), csr_matrix(-b[:, None]), csr_matrix((a.shape[0], 1))],
                      format="csr")
        a_ub = vstack([hstack([-pick, identity(c, format="csr"), csr_matrix((c, 2))]),
                       csr_matrix(([-1.0, 1.0], ([0, 0], [n + c, n + c + 1])), shape=(1, n + c + 2))], format="csr")
    else:
        a_eq = np.hstack([a, np.zeros((a.shape[0], c)), -b[:, None], np.zeros((a.shape[0], 1))])
        a_ub = np.zeros((c + 1, n + c + 2))
        a_ub[np.arange(c), cand] = -1.0
        a_ub[np.arange(c), n + np.arange(c)] = 1.0
        a_ub[c, n + c], a_ub[c, n + c + 1] = -1.0, 1.0
    bounds = [(0, None)] * n + [(0, 1)] * c + [(0, None), (0, 1)]
    cost = np.concatenate([np.zeros(n), -np.ones(c), [0.0, -1.0]])
    res = linprog(cost, A_ub=a_ub, b_ub=np.zeros(c + 1), A_eq=a_eq, b_eq=np.zeros(a.shape[0]),
                  bounds=bounds, method="highs")
    if res.status != 0:
        raise ValueError(LP_FAILED.format(message=res.message))
    if res.x[n + c + 1] < 0.5:  # only s = 0 in the cone: no non-negative table reproduces the values
        raise ValueError(LP_FAILED.format(message="no non-negative solution"))
    zeros = np.zeros(n, dtype=bool)
    zeros[cand] = res.x[n:n + c] < 0.5
    return zeros


def _alone_positive(a, b: np.ndarray, sparse: bool) -> np.ndarray:
    """Atoms that some row gives alone with a value of its coefficient's sign (``c x_j = v``, ``c v > 0``)."""
    n = a.shape[1]
    out = np.zeros(n, dtype=bool)
    if sparse:
        rows = np.flatnonzero(np.diff(a.indptr) == 1)
        atoms, coefs = a.indices[a.indptr[rows]], a.data[a.indptr[rows]]
    else:
        rows = np.flatnonzero((a != 0).sum(axis=1) == 1)
        atoms = np.argmax(a[rows] != 0, axis=1)
        coefs = a[rows, atoms]
    out[atoms[coefs * b[rows] > 0]] = True
    return out


def affine_hull_rows(matrix: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The published rows plus a unit row for each atom forced to zero."""
    a = np.atleast_2d(np.asarray(matrix, dtype=float))
    zeros = implicit_zeros(a, values)
    return np.vstack([a, np.eye(a.shape[1])[zeros]])


def determined(matrix: np.ndarray, values: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """For each target row, True when its value is fixed by the published rows and ``x >= 0``."""
    targets = np.atleast_2d(np.asarray(targets, dtype=float))
    n = targets.shape[1]
    rows = affine_hull_rows(matrix, values) if np.size(matrix) else np.zeros((0, n))
    free = null_space(rows) if rows.shape[0] else np.eye(n)
    moves = np.linalg.norm(targets @ free, axis=1)
    return moves <= TOL * np.maximum(1.0, np.linalg.norm(targets, axis=1))


def is_protected(atoms_count: Sequence[float] | np.ndarray, published_coefs: Mapping[str, Iterable[float]],
                 suppressed_names: Iterable[str]) -> bool:
    """True when no suppressed quantity can be worked out from the published ones.

    Parameters
    ----------
    atoms_count : the true atom counts (only used to compute the published values).
    published_coefs : every quantity of the report, name -> full coefficient vector over the atoms.
    suppressed_names : the names withheld; all other quantities count as published.

    Examples
    --------
    >>> coefs = {"a": [1, 0], "b": [0, 1], "total": [1, 1]}
    >>> is_protected([3, 40], coefs, ["a"]), is_protected([3, 40], coefs, ["a", "b"])
    (False, True)
    """
    x = np.asarray(atoms_count, dtype=float)
    names = list(published_coefs)
    hidden = set(suppressed_names)
    for name in hidden:
        if name not in published_coefs:
            raise KeyError(UNKNOWN_NAME.format(name=name))
    if not hidden:
        return True
    rows = np.array([np.asarray(list(published_coefs[k]), dtype=float) for k in names]).reshape(len(names), x.size)
    shown = np.array([k not in hidden for k in names])
    fixed = determined(rows[shown], rows[shown] @ x, rows[~shown])
    return not bool(fixed.any())
