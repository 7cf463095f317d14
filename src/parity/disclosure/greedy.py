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
  ``n`` times (the number of atoms), so the Python loop runs over the tests, not over every candidate;
* live candidates are offered in runs (`_try_run`, up to `RUN`, doubling while all are published,
  one at a time after a withheld one): the first candidate of the run that would make a target
  derivable is the one the one-at-a-time pass withholds first (a target's residual only shrinks as
  directions are added), the ones before it are published, and the span, the targets and every
  residual are updated once for the run (one matrix product: about 80% of candidates are published,
  and the per-candidate updates were most of the greedy's time);
* after a withheld candidate the next ones are often withheld too, and while they are the span does
  not change: `_try_each` tests each of the next candidates against the same span in one array
  operation and publishes the first that passes (the one-at-a-time pass's next publication).

A pass can be continued with another order (`offer` again). `secondary._best`'s pruning (re-offer
the withheld candidates after the published ones) needs no test at all (`prune`): a candidate was
withheld because the span *then* plus its rows held a target; the span has only grown since, so the
span now plus its rows holds that target too and it is withheld again (about 15% of a national
release's rank tests were these re-offers, and none was ever published). Only a withheld candidate
whose rows have all fallen into the span since would be published, and that needs no test either.
Decisions are those of the from-scratch test: the same rank tests with the same tolerance
(``linear.TOL``, relative to each vector's length), the new directions orthogonalised twice.
"""

from __future__ import annotations

import numpy as np

from parity.disclosure.linear import TOL, Span, norm, row_norms

#: the most live candidates offered together (`Greedy._try_run`): most are published, so a run
#: of them costs one update of the span, the targets and the residuals instead of one each
RUN = 16


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
        self.run = 1  # how many live candidates to offer together next
        self.withholding = False  # the last one offered was withheld

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
            run = ahead[:self.run]
            if self.withholding:  # after a withheld candidate: the next ones tested alone, all at once
                first, tried = self._try_each(where[pos + run])
                run = run[:tried]
                self.withholding = first == len(run)
                self.run = min(2 * self.run, RUN) if self.withholding else 1
                stop = pos + int(run[min(first, len(run) - 1)]) + 1
                withheld = {order[pos + int(j)] for j in run[:first].tolist()}
                self.kept.update(i for i in order[pos:stop] if i not in withheld)
                pos = stop
                continue
            published = self._try_run(where[pos + run])
            # withheld ones come in runs too (once the span is large): then offer them as `_try_each` does
            self.withholding = published < len(run)
            self.run = min(2 * self.run, RUN) if not self.withholding else 1
            if published == len(run):  # all of them, and the candidates between them that add nothing
                end = pos + int(run[-1]) + 1
                self.kept.update(order[pos:end])
                pos = end
            else:  # those before the first withheld one
                j = pos + int(run[published])
                self.kept.update(order[pos:j])
                pos = j + 1
        return self.kept

    def prune(self, candidates: list[int]) -> set[int]:
        """`offer` of the published candidates, then the withheld ones (in any order), without a rank
        test: each withheld candidate still adding a direction is withheld again (see the module
        docstring); one whose rows are all in the span now is published, as `offer` would."""
        where = np.array([self.position[i] for i in candidates], dtype=int)
        self.kept.update(i for i, live in zip(candidates, self.live[where].tolist(), strict=True) if not live)
        return self.kept

    def _try_run(self, ps: np.ndarray) -> int:
        """Offer the live candidates at positions ``ps`` in turn; publish those before the first one
        that would make a target derivable and return how many that is (``len(ps)``: all of them).

        Their new directions are found in order (each row's residual against the span and the
        directions of the rows before it, orthogonalised twice); a target is derivable from a prefix of
        them when its residual against that prefix is zero, and those residuals only shrink, so the first
        candidate to fail is the one the one-at-a-time pass would withhold first, and every candidate
        before it is published as it would be. The span, the targets and the residuals are then updated
        once for the run (one matrix product), not once per candidate."""
        lo = np.searchsorted(self.alive, self.first[ps])  # each one's rows not yet in the span
        hi = np.searchsorted(self.alive, self.first[ps + 1])
        rows = np.concatenate([np.arange(a, b) for a, b in zip(lo.tolist(), hi.tolist(), strict=True)]) \
            if len(ps) > 1 else np.arange(lo[0], hi[0])
        basis = self.span.basis
        x = self.residual[rows]
        x = x - (x @ basis.T) @ basis  # already orthogonal to the span: one more pass removes the rounding
        scale = self.scale[self.alive[rows]]
        new = np.empty((len(rows), self.span.n))
        start = []  # each candidate's first direction
        m = 0
        r = 0
        for count in (hi - lo).tolist():
            start.append(m)
            for _ in range(count):
                w = x[r]
                if m:
                    done = new[:m]
                    for _ in range(2):
                        w = w - (done @ w) @ done
                length = norm(w)
                if length > scale[r]:
                    new[m] = w / length
                    m += 1
                r += 1
        start.append(m)
        u = new[:m]
        if not m:
            return len(ps)
        along = self.targets @ u.T
        after = self.targets - along @ u
        if not (row_norms(after) <= self.floor).any():
            self._grow(u, after)
            return len(ps)
        if len(ps) == 1:
            return 0
        # the first direction whose prefix derives a target, and the candidate it belongs to
        left = self.targets
        for d in range(m):
            left = left - np.outer(along[:, d], u[d])
            if (row_norms(left) <= self.floor).any():
                break
        failed = int(np.searchsorted(start, d, side="right")) - 1
        keep = start[failed]
        if keep:
            self._grow(u[:keep], self.targets - along[:, :keep] @ u[:keep])
        return failed

    def _try_each(self, ps: np.ndarray) -> tuple[int, int]:
        """Offer the live candidates at positions ``ps`` in turn while each is withheld; publish the
        first one that can be published. Returns its index (or how many were offered: none could be
        published) and how many were offered (the first ones with one row left, or the first alone).

        While candidates are withheld the span does not change, so each is tested against the same
        span: the tests of candidates with one row left are one array operation (a candidate with
        several rows is offered alone, by `_try_run`)."""
        lo = np.searchsorted(self.alive, self.first[ps])
        single = np.searchsorted(self.alive, self.first[ps + 1]) - lo == 1
        count = len(ps) if single.all() else int(np.argmin(single))
        if not count:  # several rows: `_try_run` of it alone (1: published, 0: withheld)
            return 1 - self._try_run(ps[:1]), 1
        rows = lo[:count]
        basis = self.span.basis
        x = self.residual[rows]
        x = x - (x @ basis.T) @ basis  # already orthogonal to the span: one more pass removes the rounding
        length = row_norms(x)
        adds = length > self.scale[self.alive[rows]]  # one that adds nothing is published at once
        u = x / np.where(adds, length, 1.0)[:, None]
        along = self.targets @ u.T  # targets x candidates
        # a target's residual after one direction has length sqrt(|t|^2 - along^2): below half its
        # projection it stays above 0.86 |t|, so only the pairs with a large projection (or a target
        # already near its floor) are worked out
        length_t = row_norms(self.targets)
        near = (np.abs(along) >= 0.5 * length_t[:, None]) | (length_t <= 2 * self.floor)[:, None]
        ti, ci = np.nonzero(near)
        left = self.targets[ti] - along[ti, ci][:, None] * u[ci]
        derives = np.zeros(count, dtype=bool)
        derives[ci[row_norms(left) <= self.floor[ti]]] = True
        ok = np.flatnonzero(~adds | ~derives)
        if not ok.size:
            return count, count
        c = int(ok[0])
        if adds[c]:
            self._grow(u[c:c + 1], self.targets - along[:, c:c + 1] * u[c])
        return c, count

    def _grow(self, u: np.ndarray, targets: np.ndarray) -> None:
        """Publish the new directions ``u`` (rows): the span, the targets' and rows' residuals."""
        for direction in u:
            self.span.append(direction)
        self.targets = targets
        self.residual -= (self.residual @ u.T) @ u
        self._drop_spanned()
