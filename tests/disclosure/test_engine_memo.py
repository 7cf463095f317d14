"""Issue 18: blocks with nothing to protect reuse the span of an earlier block of the same shape
(`secondary._publish_all`, `secondary._spanned`), and the spans are those the greedy builds, to the bit."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parity.disclosure.secondary as secondary
from parity.disclosure import DisclosureRule
from parity.disclosure.greedy import Greedy
from parity.disclosure.linear import Span
from parity.disclosure.secondary import Published, solve

RULE = DisclosureRule()


@st.composite
def unprotected(draw):
    """Rows of 0/1/-1 over a non-negative table, none primary (some known), and a second table."""
    n = draw(st.integers(1, 6))
    m = draw(st.integers(1, 7))
    rows = np.array(draw(st.lists(st.lists(st.sampled_from([0, 1, 1, -1]), min_size=n, max_size=n),
                                  min_size=m, max_size=m)), dtype=float)
    tables = [np.array(draw(st.lists(st.integers(0, 40), min_size=n, max_size=n)), dtype=float) for _ in range(2)]
    known = draw(st.lists(st.booleans(), min_size=m, max_size=m))
    return rows, tables, known


def greedy_span(rows: np.ndarray, values: np.ndarray, specs: list[Published]) -> np.ndarray:
    """The span before the memo: the known rows added one by one, then one greedy run publishing all."""
    n = rows.shape[1]
    rows_of = secondary._rows_all(rows, values)
    base = Span(n)
    for i, s in enumerate(specs):
        if s.known:
            for r in rows_of[i]:
                base.add(r)
    candidates = [i for i, s in enumerate(specs) if not s.known]
    run = Greedy(base, rows_of, candidates, np.zeros((0, n)))
    run.run = max(1, len(candidates))
    run.offer(candidates)
    return run.span.basis.copy()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unprotected())
def test_blocks_with_nothing_to_protect_share_the_greedy_span_to_the_bit(case):
    rows, tables, known = case
    specs = [Published(f"q{i}", rows[i], known=k, primary=False) for i, k in enumerate(known)]
    for x in tables + tables:  # the second time round every span comes from the memo
        values = rows @ x
        want = greedy_span(rows, values, specs)
        # no programme: the spans alone are compared (possible_zeros says nothing can be zero)
        got = solve(rows, values, specs, RULE, possible_zeros=np.zeros(rows.shape[1], dtype=bool))
        assert np.array_equal(got.span.basis, want)
        assert not got.secondary.any()


def test_the_memo_is_emptied_when_full_and_a_returned_span_is_a_copy(monkeypatch):
    monkeypatch.setattr(secondary, "_SPANS", {})
    monkeypatch.setattr(secondary, "_memo_bytes", [0])
    monkeypatch.setattr(secondary, "MEMO_BYTES", 200)
    rows = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
    specs = [Published("a", rows[0]), Published("b", rows[1])]
    first = solve(rows, rows @ [20, 30, 40.0], specs, RULE, possible_zeros=np.zeros(3, dtype=bool))
    first.span.add(np.array([1.0, 0.0, 0.0]))  # a caller extending its span leaves the memo's alone
    again = solve(rows, rows @ [25, 35, 45.0], specs, RULE, possible_zeros=np.zeros(3, dtype=bool))
    assert again.span.k == 2 and first.span.k == 3
    assert secondary._memo_bytes[0] <= 200 + max(len(k) + v.nbytes for k, v in secondary._SPANS.items())
    wide = np.eye(5)
    solve(wide, wide @ np.arange(10, 15.0), [Published(f"w{i}", r) for i, r in enumerate(wide)], RULE,
          possible_zeros=np.zeros(5, dtype=bool))
    assert len(secondary._SPANS) <= 2  # emptied, then the wide block's spans
