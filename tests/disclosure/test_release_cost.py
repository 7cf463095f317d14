"""The release's own cost (issue 18, "Scale"): the shortcuts `parity.disclosure.release` takes to build
the linked system and write the protected copies change nothing that is published.

* each result's system is built at its place in the joint system (`model.build` ``start`` and
  ``prefix``), instead of being built at atom 0 and copied with every atom shifted;
* a derived figure's quantities that are printed as they are count as determined without asking the
  solution (`release._published`);
* the level and standard links are kept as sums of rows (`system.Combination`) and the solver's
  sparse matrix is built with them as one product (`System.matrix`);
* the cycle collector is paused while a release is protected, and resumed as it was.
"""

from __future__ import annotations

import gc

import pytest
from reference_checks import release_of

from parity.disclosure import DisclosureRule
from parity.disclosure import release as release_module
from parity.disclosure.components import solve_components
from parity.disclosure.model import build
from parity.disclosure.release import Release
from parity.disclosure.system import Combination, System
from parity.report.release import standard_results
from parity.synth.api import build as synth
from parity.synth.stored import connect

RULE = DisclosureRule()
YEAR = 2025


@pytest.fixture(scope="module")
def region():
    """WRES and WDES of four generated organisations and all organisations, one year: the level links
    join them into one component solved block by block (`parity.disclosure.modular`)."""
    con = connect(synth(staff=400, years=1, orgs=4, seed=11, last_year=YEAR))
    return {name: standard_results(name, con, years=[YEAR])[0] for name in ("wres", "wdes")}


def _release(region) -> Release:
    return release_of(region, RULE)


def test_the_region_is_solved_block_by_block(region):
    assert len({unit for found in region.values() for unit, _ in found}) == 5  # 4 organisations + all
    release = _release(region)
    joint = release._system(list(release.results))[0]
    assert len(joint.margins) > 100  # the level links the shortcuts below are tested across


def test_a_part_built_at_its_place_is_the_part_at_zero_shifted(region):
    doc = next(iter(region["wres"].values())).to_dict()
    at_zero, placed = build(doc, RULE), build(doc, RULE, start=1000, prefix="7:")
    assert placed.n == at_zero.n + 1000
    assert placed.vectors == [{a + 1000: c for a, c in v.items()} for v in at_zero.vectors]
    assert [s.name for s in placed.specs] == ["7:" + s.name for s in at_zero.specs]
    assert placed.values == at_zero.values and placed.paths == at_zero.paths
    assert [d.deps for d in placed.derived] == [[{a + 1000: c for a, c in v.items()} for v in d.deps]
                                                 for d in at_zero.derived]


def test_every_figure_taken_as_published_is_determined_by_the_solution(region):
    release = _release(region)
    joint = release._system(list(release.results))[0]
    solution = solve_components(joint.n, joint.vectors, joint.values, joint.specs, RULE, margins=joint.margins)
    published = release_module._published(joint, (solution.primary | solution.secondary | solution.failed).tolist())
    by_id = {id(v): v for v in joint.vectors}
    assert published and len(published) < len(by_id)  # some figures are withheld
    assert all(solution.determined(by_id[i]) for i in published)
    withheld = solution.primary | solution.secondary
    assert not any(id(v) in published for v, out in zip(joint.vectors, withheld, strict=True) if out)


def test_the_shortcuts_publish_exactly_what_the_full_questions_publish(region, monkeypatch):
    fast = _release(region).protect()
    monkeypatch.setattr(release_module, "_published", lambda joint, solution: {})  # ask the solution every time
    slow = _release(region).protect()
    assert fast == slow
    assert sum(len(doc["suppressed"]) for doc in fast.values()) > 0


def test_the_collector_is_resumed_as_it_was(region, monkeypatch):
    small = {"wres": {key: r for key, r in region["wres"].items() if key[0] == ("R0A",)}}
    assert gc.isenabled()
    _release(small).protect()
    assert gc.isenabled()
    gc.disable()
    try:
        _release(small).protect()
        assert not gc.isenabled()
    finally:
        gc.enable()

    def fails(*args, **kwargs):
        assert not gc.isenabled()  # paused while solving
        raise RuntimeError("solver failed")

    monkeypatch.setattr(release_module, "solve_components", fails)
    with pytest.raises(RuntimeError, match="solver failed"):
        _release(small).protect()
    assert gc.isenabled()


def _by_coordinates(n, vectors):
    """The reference: the dicts through SciPy's coordinate form (zeros dropped, indices sorted)."""
    from scipy.sparse import coo_matrix

    entries = [(i, a, c) for i, v in enumerate(vectors) for a, c in v.items() if c]
    rows, cols, data = zip(*entries, strict=True) if entries else ((), (), ())
    out = coo_matrix((data, (rows, cols)), shape=(len(vectors), n)).tocsr()
    out.sort_indices()
    return out


def test_the_matrix_with_combinations_is_the_matrix_of_their_dicts(region):
    release = _release(region)
    joint = release._system(list(release.results))[0]
    lazy = [v for v in joint.vectors if isinstance(v, Combination)]
    assert len(lazy) == len(joint.combinations) > 100
    fast = joint.matrix()
    slow = _by_coordinates(joint.n, [dict(v.items()) for v in joint.vectors])  # every combination read as a dict
    assert fast.shape == slow.shape and fast.has_sorted_indices
    assert (fast.indptr == slow.indptr).all() and (fast.indices == slow.indices).all()
    assert (fast.data == slow.data).all()


def test_a_level_link_reads_as_the_unit_minus_its_children(region):
    release = _release(region)
    keys = list(release.results)
    joint = release._system(keys)[0]
    i = min(joint.margins)
    link = joint.vectors[i]
    parent, children = link.plus_rows, link.minus_rows
    assert len(parent) == 1 and len(children) == 4  # all organisations = the sum of the four
    by_hand: dict[int, float] = {}
    for r, sign in [(parent[0], 1)] + [(c, -1) for c in children]:
        for atom, coef in joint.vectors[r].items():
            by_hand[atom] = by_hand.get(atom, 0) + sign * coef
    assert dict(link.items()) == by_hand and len(link) == len(by_hand)
    assert sorted(link) == sorted(by_hand) and all(link[a] == by_hand[a] for a in by_hand)
    assert joint.values[i] == 0 and joint.specs[i].known and not joint.specs[i].shown


def test_a_combination_of_combinations_is_refused():
    system = System()
    a = system.quantity(("a",), system.atom(), 3)
    system.quantity(("b",), a, 3)
    system.link_rows("a=b", [0], [1])
    system.link_rows("link of a link", [2], [0])
    with pytest.raises(ValueError, match="plain rows"):
        system.matrix()


def test_zero_coefficients_and_empty_rows_are_dropped_as_the_dicts_give():
    system = System()
    a, b = system.atom(), system.atom()
    system.quantity(("a",), {0: 1.0, 1: 0.0}, 3)      # an explicit zero
    system.quantity(("b",), b, 4)
    system.quantity(("none",), {}, 0)                  # a sum of nothing
    system.quantity(("ab",), {1: 1.0, 0: 1.0}, 7)     # atoms out of order
    system.link_rows("a+b=ab", [0, 1], [3])            # cancels to nothing
    system.link_rows("ab-a", [3], [0])
    fast = system.matrix()
    slow = _by_coordinates(system.n, [dict(v.items()) for v in system.vectors])
    assert fast.toarray().tolist() == [[1, 0], [0, 1], [0, 0], [1, 1], [0, 0], [0, 1]]
    assert (fast.indptr == slow.indptr).all() and (fast.indices == slow.indices).all()
    assert (fast.data == slow.data).all() and a == {0: 1.0}


def test_components_of_the_release_are_those_of_the_symmetric_graph(region):
    """`components._groups` builds only the rows-to-atoms block of the graph; the reference below
    builds both blocks (rows-atoms and atoms-rows) and labels the components with SciPy."""
    import numpy as np
    from scipy.sparse import bmat, csr_matrix
    from scipy.sparse.csgraph import connected_components

    from parity.disclosure.components import _groups

    release = _release(region)
    joint = release._system(list(release.results))[0]
    matrix = joint.matrix()
    m, n = matrix.shape
    pattern = csr_matrix((np.ones(matrix.nnz), matrix.indices, matrix.indptr), shape=(m, n))
    count, label = connected_components(bmat([[None, pattern], [pattern.T, None]], format="csr"), directed=False)
    expected: dict[int, list[int]] = {}
    for row, lab in enumerate(label[:m].tolist()):
        expected.setdefault(lab, []).append(row)
    assert _groups(matrix) == sorted(expected.values(), key=lambda g: g[0])
    assert 1 < len(expected) < m
