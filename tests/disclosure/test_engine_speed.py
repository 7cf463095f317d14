"""Issue 18: the shortcuts that make the protection engine cheaper decide exactly as before.

* `linear.implicit_zeros` is one linear programme (zeros and consistency together): each atom's
  zero/non-zero answer is checked against scipy's LP maximising that atom alone, and an inconsistent
  system still raises;
* `greedy.Greedy` (residuals kept up to date, runs of candidates that add nothing skipped, candidates
  offered in runs with one update each, the prune without a rank test) publishes exactly what the
  from-scratch rank test below publishes;
* `secondary.solve(possible_zeros=...)` skips its programme only when the span holds every possible
  zero, and then decides as the programme would.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_checks import forced_zero_by_lp

import parity.disclosure.secondary as secondary
from parity.disclosure import DisclosureRule
from parity.disclosure.greedy import Greedy
from parity.disclosure.linear import Span, implicit_zeros
from parity.disclosure.secondary import Published, solve

RULE = DisclosureRule()


@st.composite
def systems(draw):
    """A small non-negative table x and rows of 0/1 (and some -1) coefficients over it."""
    n = draw(st.integers(2, 7))
    x = np.array(draw(st.lists(st.one_of(st.just(0), st.integers(0, 12)), min_size=n, max_size=n)), dtype=float)
    m = draw(st.integers(1, 8))
    rows = np.array(draw(st.lists(st.lists(st.sampled_from([0, 0, 1, 1, -1]), min_size=n, max_size=n),
                                  min_size=m, max_size=m)), dtype=float)
    return rows, x


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(systems())
def test_implicit_zeros_match_one_lp_per_atom(system):
    rows, x = system
    b = rows @ x
    assert (implicit_zeros(rows, b) == forced_zero_by_lp(rows, b)).all()
    from scipy.sparse import csr_matrix

    assert (implicit_zeros(csr_matrix(rows), b) == forced_zero_by_lp(rows, b)).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(systems(), st.data())
def test_implicit_zeros_with_atoms_published_alone(system, data):
    """Atoms published alone with a non-zero value skip their part of the programme (issue 19): the
    zeros are still those of one LP per atom, dense and sparse, with such rows (some negated) added."""
    from scipy.sparse import csr_matrix

    rows, x = system
    n = rows.shape[1]
    alone = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from([1.0, -1.0, 2.0])), max_size=n))
    extra = np.zeros((len(alone), n))
    for i, (j, c) in enumerate(alone):
        extra[i, j] = c
    a = np.vstack([rows, extra])
    b = a @ x
    expected = forced_zero_by_lp(a, b)
    assert (implicit_zeros(a, b) == expected).all()
    assert (implicit_zeros(csr_matrix(a), b) == expected).all()


def test_implicit_zeros_worked_example_and_inconsistency():
    # a + b = 0 forces a and b; b + c = 5 leaves c = 5 (positive); d free
    a = np.array([[1, 1, 0, 0], [0, 1, 1, 0]], dtype=float)
    assert implicit_zeros(a, np.array([0.0, 5.0])).tolist() == [True, True, False, False]
    # a = 3 and a + b = 2: no non-negative table (b would be -1)
    with pytest.raises(ValueError, match="inconsistent"):
        implicit_zeros(np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([3.0, 2.0]))
    with pytest.raises(ValueError, match="inconsistent"):  # a = 3 alone and a = 2 alone: no t left at all
        implicit_zeros(np.array([[1.0], [1.0]]), np.array([3.0, 2.0]))


def reference_greedy(order, known_rows, rows_of, targets) -> set[int]:
    """Publish each candidate unless a target then lies in the span (rank test from scratch)."""
    published: list[np.ndarray] = list(known_rows)
    kept = set()

    def derivable(rows, t):
        if not rows:
            return False
        a = np.array(rows)
        return np.linalg.matrix_rank(np.vstack([a, t]), tol=1e-9) == np.linalg.matrix_rank(a, tol=1e-9)

    for i in order:
        trial = published + list(rows_of[i])
        if any(derivable(trial, t) for t in targets):
            continue
        published = trial
        kept.add(i)
    return kept


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(systems(), st.data())
def test_greedy_publishes_what_the_rank_test_publishes(system, data):
    rows, x = system
    m, n = rows.shape
    target_ids = data.draw(st.lists(st.integers(0, m - 1), max_size=3, unique=True))
    targets = rows[target_ids]
    known = []
    base = Span(n)
    candidates = [i for i in range(m) if i not in target_ids]
    rows_of = secondary._rows_all(rows, rows @ x)
    if any(base.contains(t) for t in targets) or any(not t.any() for t in targets):
        return
    order = data.draw(st.permutations(candidates))
    run = Greedy(base, rows_of, candidates, targets)
    first = set(run.offer(list(order)))
    assert first == reference_greedy(order, known, rows_of, targets)
    rest = [i for i in order if i not in first]
    again = run.copy()
    assert run.offer(rest) == reference_greedy(sorted(first) + rest, known, rows_of, targets)
    # the prune decides without a rank test: what re-offering after the published ones decides
    assert again.prune(rest) == reference_greedy(sorted(first) + rest, known, rows_of, targets)


def test_greedy_runs_of_candidates_decide_as_one_at_a_time():
    """Larger tables than the property above: candidates are offered in runs of up to `greedy.RUN`
    (one span update per run), with withheld candidates in the middle and at the start of runs and
    zero totals that stand for several unit rows; every pass publishes what the from-scratch rank test
    publishes, and the span is that of the published rows."""
    rng = np.random.default_rng(18)
    n, m = 14, 60
    published_some = withheld_some = several_rows = 0
    for _ in range(12):
        x = rng.integers(0, 4, n).astype(float) * (rng.random(n) < 0.8)
        rows = (rng.random((m, n)) < 0.25).astype(float)
        rows[rng.random((m, n)) < 0.05] = -1.0
        target_ids = sorted(rng.choice(np.flatnonzero(rows.any(axis=1)), 4, replace=False).tolist())
        targets = rows[target_ids]
        candidates = [i for i in range(m) if i not in target_ids]
        rows_of = secondary._rows_all(rows, rows @ x)
        several_rows += any(len(rows_of[i]) > 1 for i in candidates)
        order = rng.permutation(candidates).tolist()
        run = Greedy(Span(n), rows_of, candidates, targets)
        kept = run.offer(order)
        expected = reference_greedy(order, [], rows_of, targets)
        assert kept == expected
        published_some += bool(expected)
        withheld_some += len(expected) < len(candidates)
        if expected:
            published = np.array([r for i in sorted(kept) for r in rows_of[i]])
            assert run.span.k == np.linalg.matrix_rank(published, tol=1e-9)
    assert published_some == withheld_some == 12 and several_rows > 0


def table():
    """2 x 2 table with totals; cell (0, 0) = 3 is small."""
    cells = np.array([3.0, 20.0, 15.0, 0.0])
    masks = [[0], [1], [2], [3], [0, 1], [2, 3], [0, 2], [1, 3], [0, 1, 2, 3]]
    vectors = np.zeros((len(masks), 4))
    for r, mask in enumerate(masks):
        vectors[r, mask] = 1.0
    specs = [Published(f"q{r}", mask) for r, mask in enumerate(masks)]
    return vectors, vectors @ cells, specs


def test_possible_zeros_skip_the_programme_and_decide_the_same(monkeypatch):
    vectors, values, specs = table()
    plain = solve(vectors, values, specs, RULE)
    calls = []
    real = secondary.implicit_zeros
    monkeypatch.setattr(secondary, "implicit_zeros", lambda a, b: calls.append(1) or real(a, b))
    # the only zero is the cell of value 0, published as a zero total: in the span, so no programme
    hinted = solve(vectors, values, specs, RULE, possible_zeros=np.array([False, False, False, True]))
    assert calls == []
    assert (hinted.primary == plain.primary).all() and (hinted.secondary == plain.secondary).all()
    # an atom the span does not hold: the programme runs (and finds nothing new)
    again = solve(vectors, values, specs, RULE, possible_zeros=np.array([True, False, False, True]))
    assert calls == [1]
    assert (again.secondary == plain.secondary).all()


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12).flatmap(lambda n: st.tuples(st.just(n), st.lists(
    st.dictionaries(st.integers(0, n - 1), st.sampled_from([1.0, -1.0, 0.0]), max_size=3), max_size=10))))
def test_components_group_vectors_that_share_atoms(case):
    from parity.disclosure.components import components

    n, vectors = case
    # reference: grow each group by breadth-first search over shared atoms (zero coefficients share nothing)
    atoms = [{a for a, c in v.items() if c} for v in vectors]
    seen, expected = set(), []
    for i in range(len(vectors)):
        if i in seen:
            continue
        group, frontier = {i}, [i]
        while frontier:
            j = frontier.pop()
            for k in range(len(vectors)):
                if k not in group and atoms[j] & atoms[k]:
                    group.add(k)
                    frontier.append(k)
        seen |= group
        expected.append(sorted(group))
    assert components(n, vectors) == expected


def test_link_keys_match_rows_equal_up_to_sign():
    from parity.disclosure.blocks import keys_up_to_sign

    rows = np.array([[1.0, -1.0, 0.0], [-1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    keys = keys_up_to_sign(rows)
    # a flipped zero is -0.0: it must not make the key differ (it did: no organisation's figure was
    # ever matched to its link, so the margins' preferences never applied to organisations)
    assert keys[0] == keys[1] and keys[0] != keys[2] and keys[3] != keys[0]



def test_every_member_of_a_link_has_the_figure_it_takes(monkeypatch, four_organisations):
    """Each organisation's part of an all-organisations link is one of its own figures (a cell or a
    total), so the margins can weigh its priority and value; none is left at 'no such figure'."""
    import parity.disclosure.modular as modular

    n, vectors, values, specs, margins = four_organisations  # 2 x 2 tables and their totals
    seen = []
    real = modular._Modular.run
    monkeypatch.setattr(modular._Modular, "run", lambda self: seen.append(self) or real(self))
    from parity.disclosure.components import solve_components

    solve_components(n, vectors, values, specs, RULE, margins=margins)
    (engine,) = seen
    costs = [engine.member_cost[b][q] for q, members in enumerate(engine.members) for b in members]
    assert costs and all(np.isfinite(c[0]) for c in costs)



def test_best_of_three_orders_with_the_shared_groups_solved_once(monkeypatch):
    """`secondary._best` runs the groups every order publishes whole (same priority, zero or not) once
    and the three orders from there; it picks what three full one-at-a-time passes pick (least total
    priority withheld, then fewest, then smallest value; the earlier order on ties), and its span is
    the span of the rows it publishes."""
    rng = np.random.default_rng(280)
    n, m = 12, 40
    shared_some = 0
    calls = []
    real = secondary._first_run
    monkeypatch.setattr(secondary, "_first_run", lambda *a: calls.append(real(*a)) or calls[-1])
    for _ in range(15):
        x = rng.integers(0, 6, n).astype(float) * (rng.random(n) < 0.7)
        rows = (rng.random((m, n)) < 0.3).astype(float)
        rows[: n // 2, :] = np.eye(n)[: n // 2]  # some cells, so small counts and zeros are common
        values = rows @ x
        specs = [Published(f"q{i}", np.flatnonzero(rows[i]).tolist(), priority=int(rng.integers(0, 3)))
                 for i in range(m)]
        targets = np.array([i for i in range(m) if 0 < values[i] < RULE.k and rows[i].any()][:3], dtype=int)
        if not targets.size:
            continue
        candidates = [i for i in range(m) if i not in targets]
        rows_of = secondary._rows_all(rows, np.asarray(values, dtype=float))
        support = (rows != 0).sum(axis=1)
        best, best_cost = None, None
        for sign in (0, 1, -1):  # value, cells first, margins first
            order = sorted(candidates, key=lambda i: (-specs[i].priority, values[i] != 0, sign * support[i],
                                                      -values[i], i))
            kept = reference_greedy(order, [], rows_of, rows[targets])
            lost = set(candidates) - kept
            cost = (sum(specs[i].priority for i in lost), len(lost), sum(values[i] for i in lost))
            if best_cost is None or cost < best_cost:
                best, best_cost = kept, cost
        got, span = secondary._best(candidates, Span(n), rows, values, rows_of, targets, specs)
        shared_some += calls[-1][1] > 0
        assert got == best
        published = np.array([r for i in sorted(got) for r in rows_of[i]]).reshape(-1, n)
        assert span.k == (np.linalg.matrix_rank(published, tol=1e-9) if len(published) else 0)
    assert shared_some >= 3
