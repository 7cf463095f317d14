"""Protection that scales with the number of organisations: each unit's sub-system alone, then the margins.

A release of many organisations is one connected component per year: the all-organisations unit
``()`` adds, for every figure, the known identity *all-organisations figure = the sum of the
organisations' figures* (`release._link_levels`), which joins every organisation into one linked
system. Solving it whole (`secondary.solve`) runs dense rank tests whose cost grows with the cube of
the number of organisations (one year, ~1,000 staff each: 3 organisations 2.6 s, 12 organisations
165–347 s), out of reach for a region, let alone the 220 organisations of the NHS.

**The decomposition** (the "modular" method statistical offices use for hierarchical tables, as in
tau-argus; de Wolf, *Statistical Disclosure Control*, 2012, ch. 4). The rows that are not level
links split the atoms into *blocks* (one per unit and year, in practice); the level links are the
only rows joining blocks. So:

1. each block is protected alone by the general engine (`secondary.solve`), exactly as a
   single-organisation report is;
2. **margins**: a level link with exactly one member (the all-organisations figure or one
   organisation's figure) that its block's published figures do not determine gives that member
   back by subtraction; so a second member is withheld — an organisation's figure before the
   all-organisations one (a national or regional figure is what its readers come for; an
   organisation's small count is not), the lowest priority, a non-zero figure, then the smallest
   value — by adding
   it to its block as a protected (primary) quantity and solving that block again;
3. **exact check** of the whole component (`modular_check`), linear in the number of blocks;
   a cell it finds derivable is protected by withholding, in another block, the part of the
   combination that derives it (added as a primary quantity there, and that block solved again);
   when a block's cells are found derivable again, in every block the combination uses (one block
   at a time could chase the same derivation round after round);
4. repeat 2–3 to a fixed point. If it is not reached within `MAX_ROUNDS`, or a block cannot take
   the quantity it is given, the component is solved whole the old way: never published unchecked.

The guarantee is the one `secondary.solve` gives: no withheld quantity (primary count, or a hidden
combination such as the people a rate did not count) lies in the row space of the published
figures, the known identities and the atoms that non-negativity forces to zero — the whole
component's zeros, found by one sparse linear programme, are added to their block before the check.

A component with one block, no level links or fewer than `MIN_BLOCKS` blocks (one organisation and
all organisations) is solved whole as before, so those decisions are unchanged. Sub-units
(divisions under an organisation) are the same shape one level down and use the same code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from parity.disclosure import parallel
from parity.disclosure.blocks import blocks_of, keys_up_to_sign, split
from parity.disclosure.implied_links import programme_rows
from parity.disclosure.linear import TOL, implicit_zeros, unit
from parity.disclosure.modular_check import Structure, Witness, _complement, check
from parity.disclosure.primary import is_primary
from parity.disclosure.rules import DisclosureRule
from parity.disclosure.secondary import Published, Solution, solve

#: the smallest number of blocks (units of one year) solved modularly; below it the joint engine
#: is fast and its choices are kept as they were (all organisations and two organisations: 3 blocks)
MIN_BLOCKS = 4
#: rounds of margins + exact check before falling back to the joint engine
MAX_ROUNDS = 20


@dataclass
class ModularSolution:
    """The same interface as `secondary.Solution` for a component solved block by block."""

    primary: np.ndarray
    secondary: np.ndarray
    structure: Structure

    def determined(self, vector: np.ndarray) -> bool:
        """True when ``vector . x`` follows from the published figures of the whole component."""
        return self.structure.determined(np.asarray(vector, dtype=float))

    def determined_items(self, atoms: np.ndarray, coefs: np.ndarray) -> bool:
        """`determined` of the vector with ``coefs`` on ``atoms`` (no dense vector over the component)."""
        return self.structure.determined_items(atoms, coefs)


def solve_modular(matrix: csr_matrix, values: np.ndarray, specs: list[Published], rule: DisclosureRule,
                  margins: set[int]) -> Solution | ModularSolution:
    """`secondary.solve` for a component whose units are linked by margins (see the module docstring).
    ``matrix`` is sparse: a year of many organisations is too large to hold dense."""
    matrix = csr_matrix(matrix)
    matrix.eliminate_zeros()
    label, links = blocks_of(matrix, margins) if margins else (np.zeros(matrix.shape[1], dtype=int), [])
    if not links or label.max() + 1 < MIN_BLOCKS:
        return solve(matrix.toarray(), values, specs, rule)
    try:
        return _Modular(matrix, values, specs, rule, label, links).run()
    except _Fallback:
        return solve(matrix.toarray(), values, specs, rule)


def _solve_block(inputs: tuple) -> Solution:
    """One block's `secondary.solve` (module level: the helper process runs it too)."""
    vectors, values, specs, rule, possible = inputs
    return solve(vectors, values, specs, rule, possible_zeros=possible)


def _pack(inputs: tuple) -> tuple:
    """A block's inputs as sent to the helper: its matrix's non-zeros only (mostly zeros, dense)."""
    vectors, values, specs, rule, possible = inputs
    where = np.nonzero(vectors)
    return (vectors.shape, where[0].astype(np.int32), where[1].astype(np.int32), vectors[where], values,
            parallel.spec_flags(specs), rule, possible)


def _solve_packed(packed: tuple) -> Solution:
    shape, rows, cols, coefs, values, flags, rule, possible = packed
    vectors = np.zeros(shape)
    vectors[rows, cols] = coefs
    return _solve_block((vectors, values, parallel.specs_of(flags), rule, possible))


class _Fallback(Exception):
    """The decomposition could not finish: solve the component whole."""


class _Modular:
    def __init__(self, matrix, values, specs, rule, label, links) -> None:
        self.matrix, self.values, self.specs, self.rule = matrix, values, specs, rule
        self.links = links
        k = int(label.max()) + 1
        self.atoms, self.rows, self.local, self.restricted, self.members = split(matrix, label, links, k)
        self.extra: list[list[np.ndarray]] = [[] for _ in range(k)]
        self.zeros: list[set[int]] = [set() for _ in range(k)]
        self.broken: dict[int, list] = {}  # block -> witnesses already broken there
        self.possible = self._possible_zeros(matrix, values)
        self.solutions: list[Solution] = self._solve_many(range(k), first=True)
        self.parent = [bool((self.restricted[b].sum(axis=0) > 0).any()) for b in range(k)]
        self.member_cost = [self._member_costs(b) for b in range(k)]
        self._link_cache: dict[int, tuple[Solution, np.ndarray, np.ndarray]] = {}

    def _possible_zeros(self, matrix: csr_matrix, values: np.ndarray) -> list[np.ndarray] | None:
        """Each block's atoms that what is published could ever force to zero (None: not known).

        Only known identities and shown figures under no threshold can ever be published (a hidden
        combination or a figure withheld on its own never is). Those rows of the whole component are
        one system; an atom it does not force to zero is positive in a solution that also solves any
        subset of its rows (and the zeros a round adds, which it implies), so no round's published
        figures force it to zero either. One sparse programme here lets each block's exact check skip
        its own programme when its span already holds these atoms, and the whole component's check
        too (`_zeros`)."""
        try:
            ever = [r for r, s in enumerate(self.specs) if s.known or (s.shown and not (
                s.primary if s.primary is not None else is_primary(values[r], s.basis, self.rule, name=s.name)))]
            # the level links put in by their members' values where those are rows too (`implied_links`)
            zeros = implicit_zeros(*programme_rows(matrix, values, ever, self.links, self.atoms))
        except ValueError:  # inconsistent figures: each block checks its own, as before
            return None
        return [zeros[a] for a in self.atoms]

    # --- one block -----------------------------------------------------------------------------
    def _local(self, b: int) -> np.ndarray:
        """Block b's rows over block b's atoms, dense (built once)."""
        return self.local[b]

    def _inputs(self, b: int) -> tuple:
        """`secondary.solve`'s arguments for block b: its rows, the margins it was given to withhold and
        the zeros the whole component forces on it."""
        rows, atoms = self.rows[b], self.atoms[b]
        mat = [self._local(b)]
        vals = [self.values[rows]]
        specs = [self.specs[r] for r in rows]
        for i, v in enumerate(self.extra[b]):
            specs.append(Published(f"margin:{b}:{i}", v, shown=False, primary=True))
        for j in sorted(self.zeros[b]):
            specs.append(Published(f"zero:{b}:{j}", {j: 1.0}, shown=False, known=True))
        extra = [v for v in self.extra[b]] + [unit(len(atoms), j) for j in sorted(self.zeros[b])]
        # the zero rows hold in every solution of the whole system, so its zeros still cover this block
        possible = None if self.possible is None else self.possible[b]
        if extra:
            mat.append(np.array(extra))
            vals.append(np.zeros(len(extra)))
        return np.vstack(mat), np.concatenate(vals), specs, self.rule, possible

    def _solve_many(self, blocks, first: bool = False) -> list[Solution]:
        """Each block's solution, the blocks shared with the helper process when there is one
        (`parallel.share`; each is a pure function of its inputs, so the decisions are the same)."""
        blocks = list(blocks)
        inputs = [self._inputs(b) for b in blocks]
        solved = parallel.share(_solve_block, inputs, [i[0].size for i in inputs], _pack, _solve_packed)
        for failed, sol in solved:  # the first failure in block order, as solving them in turn would
            if not failed:
                continue
            if not isinstance(sol, ValueError):
                raise sol
            if first:  # the block alone cannot be protected: neither can the component (as before)
                raise sol
            raise _Fallback from None
        return [sol for _, sol in solved]

    def _member_costs(self, b: int) -> list[tuple[float, float]]:
        """(priority, value) of the figure each link takes from block b: a row of b with that vector."""
        rows = self.rows[b]
        keys = keys_up_to_sign(self._local(b))
        found: dict[bytes, tuple[float, float]] = {}
        for r, key in zip(rows, keys, strict=True):
            if self.specs[r].shown and not self.specs[r].known:
                cost = (float(self.specs[r].priority), abs(float(self.values[r])))
                found[key] = min(found.get(key, cost), cost)
        none = (np.inf, np.inf)
        return [found.get(key, none) for key in keys_up_to_sign(self.restricted[b].T)]

    def _determined_links(self, b: int) -> np.ndarray:
        """For each link, whether block b's published figures determine its part in b (kept per solution)."""
        return self._block_check(b)[1]

    def _block_check(self, b: int) -> tuple[Solution, np.ndarray, np.ndarray]:
        """Block b's solution, which links its span determines and an orthonormal basis of its span's
        complement (`modular_check._complement`; the exact check's structure takes it too), once per
        solution: a link's part is determined when its projection on the complement is zero."""
        sol = self.solutions[b]
        cached = self._link_cache.get(b)
        if cached is None or cached[0] is not sol:
            cols = self.restricted[b]
            comp = _complement(sol.span.basis)
            det = np.linalg.norm(comp.T @ cols, axis=0) <= TOL * np.maximum(1.0, np.linalg.norm(cols, axis=0))
            cached = self._link_cache[b] = (sol, det, comp)
        return cached

    # --- the fixed point -----------------------------------------------------------------------
    def run(self) -> ModularSolution:
        for _ in range(MAX_ROUNDS):
            changed = self._margins()
            if not changed:
                zeros = self._zeros()  # the component's programme, on the helper process if there is one,
                structure = self._structure()  # while this one builds the exact check's structure
                changed = zeros()
                if not changed:
                    witnesses = check(structure, self._targets())
                    if not witnesses:
                        return self._solution(structure)
                    changed = set().union(*(self._break(w) for w in witnesses))
            changed = sorted(changed)
            for b, sol in zip(changed, self._solve_many(changed), strict=True):
                self.solutions[b] = sol
        raise _Fallback

    def _margins(self) -> set[int]:
        """Give every link with one undetermined member a second one (in the cheapest block)."""
        changed: set[int] = set()
        determined = [self._determined_links(b).tolist() for b in range(len(self.solutions))]  # per block, once
        for q in range(len(self.links)):
            members = self.members[q]
            open_ = [b for b in members if not determined[b][q]]
            if len(open_) != 1:
                continue
            # an organisation before the total; then the least needed figure; never a zero if avoidable (a
            # reader learns zeros elsewhere: the same board or headcount in the other standard's tables,
            # and the engine publishes zeros first); then a block already withholding for another link
            # this round (its complementary cells serve both); then the smallest
            b = min((b for b in members if b not in open_),
                    key=lambda b: (self.parent[b], self.member_cost[b][q][0], self.member_cost[b][q][1] == 0,
                                   b not in changed, self.member_cost[b][q][1], b))
            self.extra[b].append(self.restricted[b][:, q].copy())
            changed.add(b)
        return changed

    def _structure(self) -> Structure:
        return Structure([s.span.basis for s in self.solutions], self.restricted,
                         complements=[self._block_check(b)[2] for b in range(len(self.solutions))])

    def _published(self) -> list[int]:
        """Every published or known row of the component (chosen block by block with array masks)."""
        keep = np.zeros(self.matrix.shape[0], dtype=bool)
        known = np.array([s.known for s in self.specs], dtype=bool)
        for b, sol in enumerate(self.solutions):
            rows = np.asarray(self.rows[b], dtype=np.int64)
            public = known[rows] | (sol.shown[:len(rows)] & ~sol.primary[:len(rows)] & ~sol.secondary[:len(rows)])
            keep[rows[public]] = True
        return np.flatnonzero(keep).tolist()

    def _zeros(self) -> Callable[[], set[int]]:
        """Atoms the whole component forces to zero that a block's span does not hold yet: the blocks
        they change, when the returned function is called (`parallel.later`: the programme runs
        meanwhile on the helper process, if there is one)."""
        if self.possible is not None and all(self.solutions[b].span.contains_units(np.flatnonzero(self.possible[b])).all()
                                             for b in range(len(self.atoms))):
            return set  # every atom that could be forced to zero is already in its block's span
        values = np.asarray(self.values, dtype=float).copy()
        values[self.links] = 0.0  # a link: its members' figures sum to 0
        # the published rows and the links, each link's published parts put in by value (`implied_links`)
        found = parallel.later(implicit_zeros, *programme_rows(self.matrix, values, self._published() + list(self.links),
                                                               self.links, self.atoms))

        def changed() -> set[int]:
            try:
                zeros = found()
            except ValueError:
                raise _Fallback from None
            where = {int(a): (b, j) for b, atoms in enumerate(self.atoms) for j, a in enumerate(atoms)}
            out = set()
            for a in np.flatnonzero(zeros):
                b, j = where[int(a)]
                if j not in self.zeros[b] and not self.solutions[b].span.contains_units([j])[0]:
                    self.zeros[b].add(j)
                    out.add(b)
            return out
        return changed

    def _targets(self) -> list[list[np.ndarray]]:
        """The protected quantities of each block (its primary rows), as block vectors."""
        out = []
        for b, sol in enumerate(self.solutions):
            local = self._local(b)
            primary = [i for i, r in enumerate(self.rows[b]) if sol.protected[i]]
            out.append([local[i] for i in primary])
        return out

    def _break(self, witness: Witness) -> set[int]:
        """Withhold, in another block, the part of the combination that derived a protected cell."""
        parts = [(b, w) for b, w in witness.parts.items() if b != witness.block and np.abs(w).max() > TOL]
        if not parts:
            raise _Fallback
        if len(self.broken.setdefault(witness.block, [])) == 0:  # first time: the cheapest block
            parts = [min(parts, key=lambda p: (self.parent[p[0]], p[0]))]
        self.broken[witness.block].append(witness)  # again: every block the combination uses
        for b, w in parts:
            self.extra[b].append(w)
        return {b for b, _ in parts}

    def _solution(self, structure: Structure) -> ModularSolution:
        m = self.matrix.shape[0]
        primary, secondary = np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)
        for b, sol in enumerate(self.solutions):
            for i, r in enumerate(self.rows[b]):
                primary[r] = sol.primary[i]
                secondary[r] = sol.secondary[i]
        return ModularSolution(primary, secondary, structure.with_atoms(self.atoms, self.matrix.shape[1]))
