"""Secondary (complementary) suppression on linked tables: the general engine.

Heuristic, stated in the methods docs: *greedy publishing*. Primary cells stay hidden; every other
quantity is offered for publication one at a time and is published unless publishing it would let
someone work out a primary cell (an incremental rank test, `linear.Span`). Three offer orders are
tried — by value (largest first), small cells before margins, and margins before cells — always
higher-``priority`` quantities first and zeros first within a priority; each run is then pruned (a
complementary cell that can be published after all is published), and the run with the least loss
wins: smallest total priority of the complementary cells, then fewest cells, then smallest total
value. The result is finally checked exactly (`linear.determined`, including what non-negativity
implies); if that check finds atoms forced to zero that the fast test missed, they are added as
known and the search repeats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from parity.disclosure.greedy import Greedy
from parity.disclosure.linear import Span, implicit_zeros, unit
from parity.disclosure.primary import is_primary
from parity.disclosure.rules import DisclosureRule

UNPROTECTABLE = "cannot protect {names}: their values follow from quantities that are always known"
BAD_ATOM = "{name}: atom index {index} is outside 0..{top}"
DUPLICATE = "quantity name {name!r} is used twice"
NOT_CONVERGED = "secondary suppression did not converge: please report this table"


@dataclass(frozen=True)
class Published:
    """One quantity of a report: a linear combination of atoms.

    ``coefficients`` is a sequence of atom indices (coefficient 1 each), a mapping
    ``{atom index: coefficient}``, or a full numpy vector. ``basis`` says which threshold applies
    (``"count"`` or ``"survey"``); ``shown=False`` marks a sensitive combination that is never
    printed (e.g. the people a rate did not count) — protected, never published; ``known=True`` marks
    an identity or total everyone knows (never suppressed); ``priority`` ranks how much readers need
    it (higher is kept first); ``primary`` overrides the threshold test.
    """

    name: str
    coefficients: Any
    basis: str = "count"
    shown: bool = True
    known: bool = False
    priority: int = 1
    primary: bool | None = None


def coefficient_vector(coefficients: Any, n: int, name: str = "quantity") -> np.ndarray:
    """The full coefficient vector of a quantity over ``n`` atoms."""
    if isinstance(coefficients, np.ndarray):
        return coefficients.astype(float).reshape(n)
    v = np.zeros(n)
    items = coefficients.items() if isinstance(coefficients, Mapping) else ((i, 1.0) for i in coefficients)
    for index, coef in items:
        if not 0 <= int(index) < n:
            raise IndexError(BAD_ATOM.format(name=name, index=index, top=n - 1))
        v[int(index)] += coef
    return v


@dataclass
class Solution:
    """What the engine decided: per quantity primary / complementary, and the published span."""

    names: list[str]
    primary: np.ndarray
    secondary: np.ndarray
    shown: np.ndarray
    span: Span
    #: every protected quantity (primary counts and hidden combinations), shown or not
    protected: np.ndarray | None = None

    def suppressed(self) -> dict[str, bool]:
        return {n: bool(p or s) for n, p, s, sh in zip(self.names, self.primary, self.secondary, self.shown,
                                                       strict=True) if sh}

    def determined(self, vector: np.ndarray) -> bool:
        """True when the quantity ``vector . x`` can be worked out from what is published."""
        return self.span.contains(vector)


def solve(vectors: np.ndarray, values: np.ndarray, specs: Sequence[Published], rule: DisclosureRule,
          possible_zeros: np.ndarray | None = None) -> Solution:
    """Primary and secondary suppression over quantities ``vectors @ x`` with the given values.

    ``possible_zeros`` (optional, boolean over the atoms): every atom that could be forced to zero,
    e.g. the zeros of a larger consistent system containing all these quantities (`modular`). The
    atoms the published figures force to zero are among them, so when the published span already
    holds each of them the exact check's linear programme cannot find anything and is skipped.
    """
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise ValueError(DUPLICATE.format(name=next(n for n in names if names.count(n) > 1)))
    m, n = vectors.shape
    known = np.array([s.known for s in specs], dtype=bool)
    shown = np.array([s.shown and not s.known for s in specs], dtype=bool)
    floats = np.asarray(values, dtype=float).tolist()  # Python floats: the threshold tests are per figure
    primary = np.array([not s.known and (s.primary if s.primary is not None
                                         else is_primary(floats[i], s.basis, rule, name=s.name))
                        for i, s in enumerate(specs)], dtype=bool)
    candidates = np.flatnonzero(shown & ~primary).tolist()
    targets = np.flatnonzero(primary)
    rows_of = _rows_all(vectors, values)
    extra_zero = np.zeros(n, dtype=bool)
    for _ in range(n + 1):
        base = _spanned(n, [r for i in np.flatnonzero(known) for r in rows_of[i]]
                        + [unit(n, j) for j in np.flatnonzero(extra_zero)])
        bad = [names[t] for t in targets[base.contains_rows(vectors[targets])]] if len(targets) else []
        if bad:
            raise ValueError(UNPROTECTABLE.format(names=", ".join(bad)))
        published, span = _best(candidates, base, vectors, values, rows_of, targets, specs)
        public = np.flatnonzero(known).tolist() + sorted(published)
        a, b = vectors[public], values[public]
        if not len(public) or (possible_zeros is not None
                               and span.contains_units(np.flatnonzero(possible_zeros)).all()):
            zeros = np.zeros(n, dtype=bool)  # nothing the programme could find is missing from the span
        else:
            zeros = implicit_zeros(a, b)
        # exact check: the affine hull of {x >= 0 : A x = b} is cut out by the published rows plus the
        # unit rows of the atoms forced to zero; when the greedy span already holds every such unit row
        # it IS that row space, and by construction no target lies in it
        if not len(targets):
            break  # nothing to protect: the zeros only join the span
        missed = np.flatnonzero(zeros)[~span.contains_units(np.flatnonzero(zeros))]
        if not missed.size:
            break
        extra_zero |= zeros
    else:  # pragma: no cover - each round adds at least one known zero, so this cannot loop forever
        raise RuntimeError(NOT_CONVERGED)
    for j in np.flatnonzero(zeros):
        span.add(unit(n, j))
    secondary = np.zeros(m, dtype=bool)
    secondary[sorted(set(candidates) - published)] = True
    return Solution(names, primary & shown, secondary, shown, span, primary)


def _rows_all(vectors: np.ndarray, values: np.ndarray) -> list[list[np.ndarray]]:
    """What publishing each quantity tells: its row, or — a zero total of non-negative atoms fixes each
    atom at 0 — the unit row of each of its atoms (the zero-total test over the whole matrix at once)."""
    split = (np.asarray(values) == 0) & (vectors >= 0).all(axis=1)
    n = vectors.shape[1]
    return [[unit(n, j) for j in np.flatnonzero(vectors[i])] if split[i] else [vectors[i]]
            for i in range(vectors.shape[0])]


def _best(candidates, base, vectors, values, rows_of, targets, specs) -> tuple[set[int], Span]:
    """The published candidates of the cheapest of the three greedy runs, and their span (with ``base``)."""
    support = (vectors != 0).sum(axis=1).tolist()
    floats = np.asarray(values, dtype=float).tolist()
    need = [-s.priority for s in specs]
    size_sign = {"value": 0, "cells_first": 1, "margins_first": -1}

    def key(order: str):
        sign = size_sign[order]
        return lambda i: (need[i], floats[i] != 0, sign * support[i], -floats[i], i)

    if not len(targets):  # nothing to protect: every run publishes every candidate (in one run)
        return set(candidates), _publish_all(base, rows_of, candidates)
    start = Greedy(base, rows_of, list(candidates), vectors[targets])
    best, best_cost = None, None
    tried: list[list[int]] = []
    shared, common = start, 0  # the state after the groups every run publishes whole, and how many
    for order in ("value", "cells_first", "margins_first"):
        offered = sorted(candidates, key=key(order))
        if offered in tried:  # the same order publishes the same: its cost ties, and the earlier run wins ties
            continue
        if not tried:
            run = start.copy()
            shared, common = _first_run(run, offered, [(need[i], floats[i] != 0) for i in offered])
        else:
            run = shared.copy()
            run.offer(offered[common:])
        tried.append(offered)
        kept = set(run.kept)
        # prune: a withheld candidate that can be published after all (re-offered after the published
        # ones; `Greedy.prune` knows the answer without a rank test)
        kept = run.prune(sorted(set(candidates) - kept, key=key("value")))
        lost = set(candidates) - kept
        cost = (sum(specs[i].priority for i in lost), len(lost), sum(values[i] for i in lost))
        if best_cost is None or cost < best_cost:
            best, best_cost = run, cost
    return best.kept, best.span


#: spans already built, by the rows that built them (`_spanned`, `_publish_all`): most blocks of a
#: national component are a few shapes repeated (10,595 of its 10,601 blocks with nothing to protect)
_SPANS: dict[bytes, np.ndarray] = {}
#: the memo is emptied when its keys and spans pass this many bytes
MEMO_BYTES = 32 << 20
_memo_bytes = [0]


def _remembered(key: bytes, n: int, build) -> Span:
    """The span ``build()`` gives, remembered by ``key`` (the rows that determine it); a copy each
    time (the caller extends it)."""
    basis = _SPANS.get(key)
    if basis is None:
        basis = build().basis.copy()
        if _memo_bytes[0] + len(key) + basis.nbytes > MEMO_BYTES:
            _SPANS.clear()
            _memo_bytes[0] = 0
        _SPANS[key] = basis
        _memo_bytes[0] += len(key) + basis.nbytes
    span = Span(n)
    for u in basis:
        span.append(u)
    return span


def _key(n: int, rows: list[np.ndarray]) -> bytes:
    """The bytes of ``rows`` over ``n`` atoms."""
    return n.to_bytes(4, "little") + len(rows).to_bytes(4, "little") + b"".join(r.tobytes() for r in rows)


def _spanned(n: int, rows: list[np.ndarray]) -> Span:
    """The span of ``rows`` added in order (`Span.add`), remembered for small blocks."""
    def build() -> Span:
        span = Span(n)
        for r in rows:
            span.add(r)
        return span
    return _remembered(b"base" + _key(n, rows), n, build)


def _publish_all(base: Span, rows_of: list[list[np.ndarray]], candidates: list[int]) -> Span:
    """The span after the greedy publishes every candidate in one run (nothing to protect). It depends
    only on the base span and the candidates' rows, so a block of the same shape as one before reuses
    its span (the same arithmetic once, not a similar one: the spans are equal to the last bit)."""
    def build() -> Span:
        run = Greedy(base, rows_of, list(candidates), np.zeros((0, base.n)))
        run.run = max(1, len(candidates))
        run.offer(list(candidates))
        return run.span
    rows = [r for i in candidates for r in rows_of[i]]
    return _remembered(b"all" + len(rows).to_bytes(4, "little") + _key(base.n, [*base.basis, *rows]), base.n, build)


def _first_run(run: Greedy, offered: list[int], group: list[tuple]) -> tuple[Greedy, int]:
    """Offer ``offered`` group by group (a group: the same priority, zero or not, which leads every
    order's key, so every order offers the same groups in the same order). Returns a copy of the state
    after the leading groups published whole, and how many candidates they hold: every other order
    publishes them whole too (their rows with the known ones derive no target, and a target's residual
    only shrinks as rows are added, so no order withholds one of them), so it continues from there."""
    shared, common, whole = run.copy(), 0, True
    pos = 0
    while pos < len(offered):
        end = pos
        while end < len(offered) and group[end] == group[pos]:
            end += 1
        before = len(run.kept)
        run.offer(offered[pos:end])
        whole = whole and len(run.kept) - before == end - pos
        if whole:
            shared, common = run.copy(), end
        pos = end
    return shared, common


def suppress_linked(atoms: Sequence[float] | np.ndarray, published: Sequence[Published],
                    rule: DisclosureRule | None = None) -> dict[str, bool]:
    """Which shown quantities to withhold (primary or complementary), by name.

    >>> from parity.disclosure.rules import DisclosureRule
    >>> qs = [Published("a", [0]), Published("b", [1]), Published("total", [0, 1])]
    >>> suppress_linked([3, 40], qs, DisclosureRule())
    {'a': True, 'b': True, 'total': False}
    """
    x = np.asarray(atoms, dtype=float)
    vectors = np.array([coefficient_vector(p.coefficients, x.size, p.name) for p in published]).reshape(
        len(published), x.size)
    return solve(vectors, vectors @ x, published, rule or DisclosureRule()).suppressed()
