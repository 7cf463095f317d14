"""Statistics for many tables computed at once (`parity.stats.arrays`), then handed out one by one as
the scalar functions' results (issue 19).

Assembling every organisation-year asks for a few thousand Wilson intervals, Newcombe differences
and relative likelihoods. ``with prepared(confidence=..., small_count=...) as store:`` makes a
store; ``store.add_*`` computes whole arrays of tables; inside the block `relative_likelihood`,
`wilson`, `difference_of_proportions` and `p_value` below return the stored result when the table
was prepared and otherwise call the scalar function — the two are bit-identical
(tests/stats/test_stats_arrays.py), so a table left out costs time, never a different answer.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np

from parity import stats
from parity.stats import arrays
from parity.stats._table_tests import two_by_two_p_value
from parity.stats.proportions import NEWCOMBE_WILSON, Difference, Proportion
from parity.stats.relative_likelihood import (
    NO_EVENTS_A,
    NO_EVENTS_B,
    NO_EVENTS_EITHER,
    NO_PEOPLE,
    NO_PEOPLE_EITHER,
    RelativeLikelihood,
)

_ACTIVE: ContextVar[Store | None] = ContextVar("parity_prepared_statistics", default=None)


def _f(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


class Store:
    """Prepared results by table, for one confidence level and small-count threshold.

    The arrays are computed when tables are added (Fisher's exact test for the small ones too, in
    one array pass); each result object is made on first use."""

    def __init__(self, confidence: float, small_count: int):
        self.confidence, self.small_count = confidence, small_count
        self.rates: dict[tuple[int, int, int, int], RelativeLikelihood] = {}
        self.proportions: dict[tuple[int, int], Proportion] = {}
        self.differences: dict[tuple[int, int, int, int], Difference] = {}
        self.tests: dict[tuple[int, int, int, int], tuple[float, str]] = {}
        self._raw: dict[str, dict[tuple[int, ...], tuple]] = {"rates": {}, "proportions": {}, "differences": {}}

    def add_proportions(self, count, n) -> None:
        """Wilson intervals of ``count / n`` for each pair."""
        count, n = _new(self._raw["proportions"], *arrays.counts(count, n))
        percent, low, high = arrays.wilson(count, n, confidence=self.confidence)
        raw = self._raw["proportions"]
        for k, m, p, lo, hi in zip(count.tolist(), n.tolist(), percent.tolist(), low.tolist(), high.tolist(),
                                   strict=True):
            raw[(k, m)] = (p, lo, hi)

    def add_differences(self, a, na, b, nb) -> None:
        """Newcombe differences ``a/na - b/nb`` for each table."""
        a, na, b, nb = _new(self._raw["differences"], *arrays.counts(a, na, b, nb))
        d, low, high = arrays.newcombe(a, na, b, nb, confidence=self.confidence)
        raw = self._raw["differences"]
        for key, v, lo, hi in zip(zip(a.tolist(), na.tolist(), b.tolist(), nb.tolist(), strict=True),
                                  d.tolist(), low.tolist(), high.tolist(), strict=True):
            raw[key] = (v, lo, hi)

    def add_tests(self, a, na, b, nb) -> None:
        """p-values of each table with people in both rows (chi-square, or Fisher's exact test for
        small tables)."""
        a, na, b, nb = _new(self.tests, *arrays.counts(a, na, b, nb))
        keep = (na > 0) & (nb > 0)
        a, na, b, nb = a[keep], na[keep], b[keep], nb[keep]
        p, test = arrays.two_by_two_p_values(a, na, b, nb, small_count=self.small_count)
        for key, pv, t in zip(zip(a.tolist(), na.tolist(), b.tolist(), nb.tolist(), strict=True),
                              p.tolist(), test.tolist(), strict=True):
            self.tests[key] = (pv, t)

    def add_rates(self, a, na, b, nb) -> None:
        """Relative likelihoods ``(a/na) / (b/nb)`` with their intervals and tests."""
        a, na, b, nb = _new(self._raw["rates"], *arrays.counts(a, na, b, nb))
        self.add_tests(a, na, b, nb)
        value, low, high, corrected = arrays.katz(a, na, b, nb, confidence=self.confidence)
        raw = self._raw["rates"]
        for key, v, lo, hi, c in zip(zip(a.tolist(), na.tolist(), b.tolist(), nb.tolist(), strict=True),
                                     value.tolist(), low.tolist(), high.tolist(), corrected.tolist(), strict=True):
            raw[key] = (v, lo, hi, c)

    def test(self, key: tuple[int, int, int, int]) -> tuple[float, str] | None:
        return self.tests.get(key)

    def rate(self, key) -> RelativeLikelihood | None:
        found = self.rates.get(key)
        if found is None and key in self._raw["rates"]:
            v, lo, hi, c = self._raw["rates"][key]
            found = self.rates[key] = self._rate(key, _f(v), _f(lo), _f(hi), c)
        return found

    def proportion(self, key) -> Proportion | None:
        found = self.proportions.get(key)
        if found is None and key in self._raw["proportions"]:
            p, lo, hi = self._raw["proportions"][key]
            found = self.proportions[key] = Proportion(*key, _f(p), _f(lo), _f(hi), self.confidence)
        return found

    def difference(self, key) -> Difference | None:
        found = self.differences.get(key)
        if found is None and key in self._raw["differences"]:
            v, lo, hi = self._raw["differences"][key]
            found = self.differences[key] = Difference(_f(v), _f(lo), _f(hi), self.confidence, NEWCOMBE_WILSON)
        return found

    def _rate(self, key, value, low, high, corrected) -> RelativeLikelihood:
        a, na, b, nb = key
        counts = dict(confidence=self.confidence, events_a=a, n_a=na, events_b=b, n_b=nb)
        if na == 0 or nb == 0:
            reason = NO_PEOPLE_EITHER if na == nb == 0 else NO_PEOPLE.format(group="group a" if na == 0 else "group b")
            return RelativeLikelihood(None, None, None, None, None, **counts, undefined_reason=reason,
                                      continuity_correction=False)
        p, test = self.test(key)
        reason = (NO_EVENTS_EITHER if a == b == 0 else NO_EVENTS_A.format(group="group a") if a == 0
                  else NO_EVENTS_B.format(group="group b") if b == 0 else None)
        return RelativeLikelihood(value, low, high, p, test, **counts, undefined_reason=reason,
                                  continuity_correction=bool(corrected))


def _new(done: dict, *columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """The distinct tables among `columns` not yet in `done`."""
    if not columns[0].size:
        return columns
    unique = np.unique(np.stack(columns, axis=1), axis=0)
    fresh = [i for i, row in enumerate(map(tuple, unique.tolist())) if row not in done]
    return tuple(unique[fresh, j] for j in range(len(columns)))


@contextmanager
def prepared(*, confidence: float, small_count: int) -> Iterator[Store]:
    """A store the functions below read from inside the block (and only there)."""
    store = Store(confidence, small_count)
    token = _ACTIVE.set(store)
    try:
        yield store
    finally:
        _ACTIVE.reset(token)


def _store(confidence: float, small_count: int | None = None) -> Store | None:
    store = _ACTIVE.get()
    if store is None or store.confidence != confidence or (small_count is not None and store.small_count != small_count):
        return None
    return store


def _key(*values) -> tuple[int, ...] | None:
    """Plain whole numbers as a lookup key; anything else (bad input) goes to the scalar function,
    which says what is wrong."""
    if all(type(v) is int for v in values):
        return values
    return None


def relative_likelihood(a, na, b, nb, *, confidence: float, small_count: int) -> RelativeLikelihood:
    store, key = _store(confidence, small_count), _key(a, na, b, nb)
    found = store.rate(key) if store is not None and key is not None else None
    return found or stats.relative_likelihood(a, na, b, nb, confidence=confidence, small_count=small_count)


def wilson(count, n, *, confidence: float) -> Proportion:
    store, key = _store(confidence), _key(count, n)
    found = store.proportion(key) if store is not None and key is not None else None
    return found or stats.wilson(count, n, confidence=confidence)


def difference_of_proportions(a, na, b, nb, *, confidence: float) -> Difference:
    store, key = _store(confidence), _key(a, na, b, nb)
    found = store.difference(key) if store is not None and key is not None else None
    return found or stats.difference_of_proportions(a, na, b, nb, confidence=confidence)


def p_value(a: int, na: int, b: int, nb: int, *, small_count: int) -> tuple[float, str]:
    """`two_by_two_p_value` of ``[[a, na - a], [b, nb - b]]`` (both rows with people)."""
    store = _ACTIVE.get()
    key = _key(a, na, b, nb)
    found = store.test(key) if store is not None and store.small_count == small_count and key is not None else None
    return found or two_by_two_p_value(np.array([[a, na - a], [b, nb - b]]), small_count=small_count)
