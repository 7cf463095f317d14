"""Solve a linked system one connected component at a time.

Quantities that share no atom (directly or through a chain of quantities) cannot reveal each other,
so primary and secondary suppression can be decided for each connected component of the
"shares an atom" graph on its own. A release of many years and organisations decomposes into many
small components (each year is one; within a year, separate indicator tables are), which keeps the
dense rank tests of `secondary.solve` small. A component the engine cannot protect (its published
values are inconsistent, or a small count follows from identities everyone knows) is withheld
whole, with the reason, instead of failing the whole release (issue 12, item 10).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import chain

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from parity.disclosure import parallel
from parity.disclosure.modular import ModularSolution, solve_modular
from parity.disclosure.primary import is_primary
from parity.disclosure.rules import DisclosureRule
from parity.disclosure.secondary import Published, Solution

Vector = dict[int, float]


def components(n: int, vectors: list[Vector]) -> list[list[int]]:
    """Indices of ``vectors`` grouped by connected component of shared atoms (empty vectors alone),
    each group in index order, the groups in the order of their first member."""
    return _groups(_matrix(n, vectors))


def _matrix(n: int, vectors) -> csr_matrix:
    """Every vector (a dict, or a mapping such as `system.Combination`) as a row of one sparse matrix,
    zero coefficients dropped and indices sorted; straight into CSR arrays (a vector's atoms are
    distinct, so there is nothing to sum)."""
    lengths = np.fromiter(map(len, vectors), dtype=np.int64, count=len(vectors))
    total = int(lengths.sum())
    cols = np.fromiter(chain.from_iterable(vectors), dtype=np.int64, count=total)
    coefs = np.fromiter(chain.from_iterable(v.values() for v in vectors), dtype=float, count=total)
    indptr = np.zeros(len(vectors) + 1, dtype=np.int64)
    keep = coefs != 0
    if not keep.all():
        lengths = lengths - np.bincount(np.repeat(np.arange(len(vectors)), lengths)[~keep], minlength=len(vectors))
        cols, coefs = cols[keep], coefs[keep]
    np.cumsum(lengths, out=indptr[1:])
    out = csr_matrix((coefs, cols, indptr), shape=(len(vectors), n))
    out.sort_indices()
    return out


def _groups(matrix: csr_matrix) -> list[list[int]]:
    """Rows grouped by the connected components of the rows-and-atoms graph (a row with no atom alone)."""
    m, n = matrix.shape
    # rows 0..m-1 point at atoms m..m+n-1; the atoms' own rows are empty: the weakly connected components
    # of these one-way edges are the components (the transpose block is never built: bmat of a national
    # year took 1-2 s; and SciPy's undirected search took 0.4 s of it against 0.05 s for the weak one)
    indptr = np.concatenate([matrix.indptr, np.full(n, matrix.indptr[-1], dtype=matrix.indptr.dtype)])
    graph = csr_matrix((np.ones(matrix.nnz, dtype=bool), matrix.indices + m, indptr), shape=(m + n, m + n))
    _, label = connected_components(graph, directed=True, connection="weak")
    rows = label[:m]
    order = np.argsort(rows, kind="stable")
    bounds = np.flatnonzero(np.diff(rows[order])) + 1
    groups = [g.tolist() for g in np.split(order, bounds)] if m else []
    return sorted(groups, key=lambda g: g[0])


@dataclass
class Part:
    atoms: list[int]
    solution: Solution | ModularSolution | None  # None: the component could not be protected
    error: str | None = None


@dataclass
class JointSolution:
    """Per quantity primary / complementary / unprotectable, and what the published figures determine."""

    primary: np.ndarray
    secondary: np.ndarray
    failed: np.ndarray
    errors: list[str] = field(default_factory=list)
    _parts: list[Part] = field(default_factory=list)
    _where: dict[int, tuple[int, int]] = field(default_factory=dict)  # atom -> (part, local index)
    _seen: dict[frozenset, bool] = field(default_factory=dict)

    def determined(self, vector: Vector) -> bool:
        """True when ``vector . x`` can be worked out from the published quantities."""
        key = frozenset(vector.items())  # a zero coefficient only makes another key: the same answer
        if key not in self._seen:
            self._seen[key] = self._determined(vector)
        return self._seen[key]

    def determine(self, vectors: Iterable[Vector]) -> None:
        """Decide `determined` for many vectors at once; `determined` then only looks them up.

        A vector within one block of a component solved block by block (nearly every input of a
        derived figure) is tested with the other vectors of its block in one matrix product per pass
        (`Structure.derives_rows`); any other vector as `determined` would."""
        pending: dict[tuple[int, int], list[tuple[frozenset, list[int], list[float]]]] = {}
        asked: set[frozenset] = set()
        done: set[int] = set()  # ids of the vectors seen in this call (the same dicts recur: one per figure)
        for vector in vectors:
            if id(vector) in done:
                continue
            done.add(id(vector))
            key = frozenset(vector.items())
            if key in self._seen or key in asked:
                continue
            asked.add(key)
            items = [(a, c) for a, c in vector.items() if c]
            where = [self._where.get(a) for a, _ in items]
            part = where[0][0] if items and where[0] is not None else None
            sol = self._parts[part].solution if part is not None else None
            if not isinstance(sol, ModularSolution) or any(w is None or w[0] != part for w in where):
                self._seen[key] = self._determined(vector)
                continue
            found = [sol.structure._where[local] for _, local in where]
            if any(b != found[0][0] for b, _ in found):  # over several blocks: the stacked system
                self._seen[key] = self._determined(vector)
                continue
            pending.setdefault((part, found[0][0]), []).append((key, [j for _, j in found], [c for _, c in items]))
        for (part, block), rows in pending.items():
            structure = self._parts[part].solution.structure
            dense = np.zeros((len(rows), len(structure.atoms[block])))
            for row, (_, js, cs) in enumerate(rows):
                dense[row, js] = cs  # atoms of a vector are distinct: no sums
            for (key, _, _), got in zip(rows, structure.derives_rows(block, dense).tolist(), strict=True):
                self._seen[key] = got

    def _determined(self, vector: Vector) -> bool:
        by_part: dict[int, tuple[list[int], list[float]]] = {}
        for atom, coef in vector.items():
            if not coef:
                continue
            if atom not in self._where:  # an atom no quantity uses: never published, never known
                return False
            part, local = self._where[atom]
            by_part.setdefault(part, ([], []))
            by_part[part][0].append(local)
            by_part[part][1].append(coef)
        for part, (locals_, coefs) in by_part.items():
            sol = self._parts[part].solution
            if sol is None:
                return False
            if isinstance(sol, ModularSolution):  # a component of many units: never a dense vector over it
                order = np.argsort(locals_, kind="stable")
                if not sol.determined_items(np.array(locals_)[order], np.array(coefs, dtype=float)[order]):
                    return False
                continue
            local_vector = np.zeros(len(self._parts[part].atoms))
            np.add.at(local_vector, locals_, coefs)
            if not sol.determined(local_vector):
                return False
        return True


def solve_components(n: int, vectors: list[Vector], values: list[float], specs: list[Published],
                     rule: DisclosureRule, margins: set[int] | None = None,
                     matrix: csr_matrix | None = None) -> JointSolution:
    """``margins``: indices of the level links; a component of many units joined by them is solved
    block by block (`parity.disclosure.modular`). ``matrix``: ``_matrix(n, vectors)`` when the caller
    has it already (`parity.disclosure.system.System.matrix`)."""
    margins = margins or set()
    m = len(vectors)
    out = JointSolution(np.zeros(m, dtype=bool), np.zeros(m, dtype=bool), np.zeros(m, dtype=bool))
    everything = _matrix(n, vectors) if matrix is None else matrix
    pieces: list[tuple[list[int], list[int], tuple]] = []  # (members, atoms, the solver's inputs)
    for members in _groups(everything):
        rows_of = everything[members]
        atoms = np.unique(rows_of.indices).tolist()
        if not atoms:  # a number that is a sum of nothing: only the threshold applies
            for i in members:
                s = specs[i]
                out.primary[i] = s.shown and not s.known and (
                    s.primary if s.primary is not None else is_primary(values[i], s.basis, rule, name=s.name))
            continue
        matrix = rows_of[:, atoms]  # a year of many organisations is too large to hold dense
        pieces.append((members, atoms, (matrix, np.array([values[i] for i in members]), [specs[i] for i in members],
                                        rule, {r for r, i in enumerate(members) if i in margins})))
    # each distinct component solved once (`alike`), on two processes when the release is large
    # (`parallel`): the same decisions
    like = alike([p[2] for p in pieces])
    firsts = [i for i, j in enumerate(like) if i == j]
    once = parallel.share(_solve_one, [pieces[i][2] for i in firsts], [pieces[i][2][0].nnz for i in firsts], _pack,
                          _solve_packed, priority=parallel.LATER, keep_heaviest=True)
    solved = dict(zip(firsts, once, strict=True))
    for i, j in enumerate(like):
        if i != j:
            failed, sol = solved[j]
            if not failed:
                solved[i] = (False, renamed(sol, pieces[i][2][2]))
                continue
            try:  # a failure is solved again for its own message (it names the component's quantities)
                solved[i] = (False, _solve_one(pieces[i][2]))
            except Exception as exc:  # noqa: BLE001 - handled below, as the first one's failure is
                solved[i] = (True, exc)
    for (members, atoms, _inputs), (failed, sol) in zip(pieces, (solved[i] for i in range(len(pieces))), strict=True):
        index = len(out._parts)
        if failed and not isinstance(sol, ValueError | RuntimeError):
            raise sol
        if failed:  # cannot be protected: withhold every shown figure of the component
            out._parts.append(Part(atoms, None, str(sol)))
            out.errors.append(str(sol))
            for i in members:
                out.failed[i] = specs[i].shown and not specs[i].known
        else:
            out._parts.append(Part(atoms, sol))
            for r, i in enumerate(members):
                out.primary[i] = sol.primary[r]
                out.secondary[i] = sol.secondary[r]
        for j, a in enumerate(atoms):
            out._where[a] = (index, j)
    return out


def alike(inputs: list[tuple]) -> list[int]:
    """For each component's solver inputs, the first component with the same inputs but for its
    quantities' names (itself if none): the same matrix, values, bases, flags, priorities and
    margins give the same decisions (the solvers read a name only to report it), so it is solved
    once. A national year holds dozens of such components: a figure every organisation reports as 0
    (no survey imported, no unknown ethnicity) is a component of one cell per organisation and the
    total, 40 ms each to solve block by block. Compared by SHA-256 of the inputs; a matrix stored
    differently is only a missed reuse."""
    first: dict[bytes, int] = {}
    sizes = Counter((m.shape, m.nnz) for m, *_ in inputs)
    out = []
    for i, (matrix, values, specs, rule, margins) in enumerate(inputs):
        if sizes[matrix.shape, matrix.nnz] < 2:  # alike no other: not hashed (the largest is tens of MB)
            out.append(i)
            continue
        digest = hashlib.sha256(repr((matrix.shape, matrix.has_canonical_format, rule, sorted(margins),
                                      [(s.basis, s.shown, s.known, s.priority, s.primary) for s in specs])).encode())
        for part in (matrix.data, matrix.indices, matrix.indptr, np.asarray(values, dtype=float)):
            digest.update(np.ascontiguousarray(part).tobytes())
        names = [s.name for s in specs]
        # a component with a repeated name is left alone: its own solve reports it
        out.append(first.setdefault(digest.digest(), i) if len(set(names)) == len(names) else i)
    return out


def renamed(sol: Solution | ModularSolution, specs: list[Published]) -> Solution | ModularSolution:
    """``sol`` for a component `alike` another: the same decisions, its own quantities' names."""
    return replace(sol, names=[s.name for s in specs]) if isinstance(sol, Solution) else sol


def _solve_one(inputs: tuple) -> Solution | ModularSolution:
    """One component's solution (module level: the helper process runs it too)."""
    return solve_modular(*inputs)


def _pack(inputs: tuple) -> tuple:
    matrix, values, specs, rule, margins = inputs
    return matrix, values, parallel.spec_flags(specs), rule, margins


def _solve_packed(packed: tuple) -> Solution | ModularSolution:
    matrix, values, flags, rule, margins = packed
    return solve_modular(matrix, values, parallel.specs_of(flags), rule, margins)
