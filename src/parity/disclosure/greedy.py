"""One greedy publishing pass of `secondary.solve`, with every candidate's residual kept up to date.

The pass offers quantities in a fixed order and publishes each unless publishing it would make a
protected quantity (a *target*) derivable: a target lies in the published row space exactly when
its residual against that space is (numerically) zero. Testing each candidate from scratch costs two
projections on the whole basis per candidate; here the residual of every candidate row against the
published span is one matrix, updated when (and only when) the span grows. So:

* a candidate whose rows all have a zero residual adds nothing: it is published without a test
  (most candidates, once the span is large), and a run of them is skipped at once; a row that falls
  into the span stays there (the span only grows), so it leaves the matrix;
* a candidate that adds directions is tested against the targets, as before; the span grows at most
  ``n`` times (the number of atoms), so the Python loop runs over the tests, not over every candidate.

A pass can be continued with another order (`offer` again): `secondary._best`'s pruning re-offers
the withheld candidates after the published ones, and re-offering the published ones first only
rebuilds the span they already made (each is publishable: its span is within the final one, where
no target is derivable), so the pruning continues from the pass's span instead of starting again.
Decisions are those of the from-scratch test: the same rank tests with the same tolerance
(``linear.TOL``, relative to each vector's length), the new directions orthogonalised twice.
"""

from __future__ import annotations

import numpy as np

from parity.disclosure.linear import TOL, Span, norm, row_norms


class Greedy:
    """A greedy pass over ``candidates`` (indices into ``rows_of``) protecting ``targets`` (vectors)."""

    def __init__(self, base: Span, rows_of: list[list[np.ndarray]], candidates: list[int],
                 target_vectors: np.ndarray) -> None:
        n = base.n
        self.span = base.copy()
        self.position = {i: p for p, i in enumerate(candidates)}
        counts = [len(rows_of[i]) for i in candidates]
        self.owner = np.repeat(np.arange(len(candidates)), counts).astype(int)  # row -> candidate position
        self.first = np.concatenate([[0], np.cumsum(counts)]).astype(int)  # candidate p: rows first[p]:first[p+1]
        rows = [r for i in candidates for r in rows_of[i]]
        vectors = np.array(rows, dtype=float).reshape(len(rows), n)
        self.scale = TOL * np.maximum(1.0, row_norms(vectors))
        # the rows not yet in the span (ids) and their residuals against it
        self.alive = np.arange(len(rows))
        self.residual = self._project_out(vectors)
        self.targets = self._project_out(np.asarray(target_vectors, dtype=float).reshape(-1, n))
        self.floor = TOL * np.maximum(1.0, row_norms(np.asarray(target_vectors, dtype=float))) if len(target_vectors) \
            else np.zeros(0)
        self.live = np.zeros(len(candidates), dtype=bool)
        self._drop_spanned()
        self.kept: set[int] = set()

    def copy(self) -> Greedy:
        other = object.__new__(Greedy)
        other.__dict__.update(self.__dict__)
        other.span = self.span.copy()
        other.residual = self.residual.copy()
        other.targets = self.targets.copy()
        other.live = self.live.copy()
        other.kept = set(self.kept)
        return other

    def _project_out(self, x: np.ndarray) -> np.ndarray:
        b = self.span.basis
        for _ in range(2):  # the second pass removes the rounding the first leaves behind
            x = x - (x @ b.T) @ b
        return x

    def _drop_spanned(self) -> None:
        """Rows now in the span leave the matrix; a candidate is live while one of its rows is not."""
        keep = row_norms(self.residual) > self.scale[self.alive]
        if not keep.all():
            self.alive, self.residual = self.alive[keep], self.residual[keep]
        self.live[:] = False
        self.live[self.owner[self.alive]] = True

    def offer(self, order: list[int]) -> set[int]:
        """Offer each candidate in ``order``; returns every candidate published so far."""
        order = list(order)
        where = np.array([self.position[i] for i in order], dtype=int)
        pos = 0
        while pos < len(order):
            ahead = np.flatnonzero(self.live[where[pos:]])
            if not ahead.size:
                self.kept.update(order[pos:])
                break
            j = pos + int(ahead[0])
            self.kept.update(order[pos:j])  # nothing new: publishing them reveals nothing
            if self._try(int(where[j])):
                self.kept.add(order[j])
            pos = j + 1
        return self.kept

    def _try(self, p: int) -> bool:
        """Publish candidate ``p`` (position) unless a target becomes derivable; True if published."""
        basis = self.span.basis
        new: list[np.ndarray] = []
        lo, hi = np.searchsorted(self.alive, self.first[p:p + 2])  # its rows not yet in the span
        for a in range(lo, hi):
            # the kept residual is already orthogonal to the span: one more pass removes the rounding
            w = self.residual[a] - basis.T @ (basis @ self.residual[a])
            for _ in range(2):
                for u in new:
                    w -= (u @ w) * u
            length = norm(w)
            if length > self.scale[self.alive[a]]:
                new.append(w / length)
        if not new:
            return True
        u = np.array(new)
        after = self.targets - (self.targets @ u.T) @ u
        if (row_norms(after) <= self.floor).any():
            return False
        for direction in new:
            self.span.append(direction)
        self.targets = after
        self.residual -= (self.residual @ u.T) @ u
        self._drop_spanned()
        return True
