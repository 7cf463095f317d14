"""The exact check of a component solved block by block, linear in the number of blocks.

Atoms ``x = (x_1 … x_k)`` split into blocks (units); block ``b``'s published figures, known
identities and atoms forced to zero span ``S_b`` (an orthonormal basis from `secondary.solve`);
the level links are rows ``L^q = (L_1^q … L_k^q)`` (``q`` = 1..Q) known to be 0. What a reader can
derive is the row space ``W = S_1 + … + S_k + span(L^q)``. A vector ``v = (v_1 … v_k)`` lies in
``W`` exactly when some ``z`` in R^Q gives ``v_b - Σ_q z_q L_b^q ∈ S_b`` for every block, i.e.
``P_b v_b = M_b z`` with ``P_b`` the projection orthogonal to ``S_b`` and ``M_b = P_b L_b``.

For a vector inside block A (every protected cell is): ``v_b = 0`` elsewhere, so ``z`` must lie in
``Z_-A = ∩_{b≠A} null(M_b)`` and ``P_A v_A`` in the column space of ``M_A B_-A`` (``B_-A`` a basis
of ``Z_-A``). The intersections for every A come from prefix and suffix intersections (each block's
small matrix once each way), so the check costs O(k) small dense computations of size Q, never one
over all atoms. A vector over several blocks (a derived figure's dependencies) is checked against
the stacked system, built once on first use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.linalg import lapack

from parity.disclosure.linear import TOL, row_norms

#: singular values below this (relative) count as zero: a larger null space finds more derivations
NULL_TOL = 1e-9


def _null(matrix: np.ndarray) -> np.ndarray:
    """Orthonormal basis (columns) of the null space of ``matrix``."""
    cols = matrix.shape[1]
    if matrix.shape[0] == 0 or cols == 0 or _negligible(matrix):
        return np.eye(cols)  # rank 0: every direction (most blocks' links are determined in the block)
    _, s, vt = np.linalg.svd(matrix, full_matrices=matrix.shape[0] < cols)  # all of V, never all of U
    rank = int((s > NULL_TOL * max(1.0, s[0] if s.size else 0.0)).sum())
    return vt[rank:].T


def _negligible(matrix: np.ndarray) -> bool:
    """True when every singular value is at most ``NULL_TOL`` (the Frobenius norm bounds the largest),
    so the rank tests of `_null` and `_orth` find rank 0 without a singular value decomposition: 3,118
    of 3,400 in a 44-organisation release (a link's part in a block is mostly determined there)."""
    return bool(math.sqrt(np.add.reduce((matrix * matrix).ravel())) <= NULL_TOL)


def _orth(matrix: np.ndarray) -> np.ndarray:
    """Orthonormal basis (columns) of the column space of ``matrix``."""
    if matrix.size == 0 or _negligible(matrix):
        return np.zeros((matrix.shape[0], 0))
    u, s, _ = np.linalg.svd(matrix, full_matrices=False)
    rank = int((s > NULL_TOL * max(1.0, s[0])).sum())
    return u[:, :rank]


def _project_out(basis: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``x`` minus its projection on the row space of ``basis`` (orthonormal rows), twice for rounding."""
    r = np.array(x, dtype=float)
    for _ in range(2):
        r = r - basis.T @ (basis @ r)
    return r


def _complement(basis: np.ndarray) -> np.ndarray:
    """Orthonormal basis (columns) of the complement of the row space of ``basis`` (orthonormal rows):
    the last columns of the Q of a QR of its transpose, the Householder reflectors applied to those
    columns only (LAPACK ``geqrf`` and ``ormqr``; forming all of Q took twice as long)."""
    k, n = basis.shape
    if k == 0:
        return np.eye(n)
    if k >= n:
        return np.zeros((n, 0))
    qr, tau, _, info = lapack.dgeqrf(np.asarray(basis.T, dtype=float))
    tail = np.zeros((n, n - k))
    tail[k:] = np.eye(n - k)
    out, _, info2 = lapack.dormqr("L", "N", qr, tau, tail, max(1, 64 * (n - k)))
    if info or info2:  # pragma: no cover - LAPACK reports bad arguments only
        raise np.linalg.LinAlgError(f"QR of a span failed (LAPACK info {info}, {info2})")
    return out


def _meet(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Orthonormal basis of span(u) ∩ span(v) (orthonormal columns each)."""
    if u.shape[1] == 0 or v.shape[1] == 0:
        return np.zeros((u.shape[0], 0))
    return u @ _null(u - v @ (v.T @ u))


@dataclass
class Witness:
    """A protected cell of ``block`` that the published figures determine; ``parts``: for each other
    block, the combination of its published figures the derivation uses."""

    block: int
    parts: dict[int, np.ndarray]


@dataclass
class Structure:
    bases: list[np.ndarray]       # S_b: orthonormal rows over block b's atoms
    restricted: list[np.ndarray]  # L_b: block b's atoms x links
    atoms: list[np.ndarray] = field(default_factory=list)
    n: int = 0
    #: N_b: orthonormal bases of the complements of S_b (`_complement`), when the caller has them
    complements: list[np.ndarray] | None = None

    def __post_init__(self) -> None:
        # M_b = P_b L_b = N_b C_b with N_b an orthonormal basis of S_b's complement and C_b = N_b' L_b: the
        # complement is small (a national block: 216 atoms, a span of ~190), and the null spaces and
        # column spaces below come from C_b (26 x Q) instead of M_b (216 x Q): N_b has orthonormal
        # columns, so M_b X and C_b X have the same singular values and right singular vectors
        comps = self.complements if self.complements is not None else [_complement(s) for s in self.bases]
        self.complements = None  # not kept: the moves and reaches below are what the checks use
        coords = [n.T @ r for n, r in zip(comps, self.restricted, strict=True)]  # C_b
        moves = [n @ c for n, c in zip(comps, coords, strict=True)]  # M_b
        # a link whose every member is published (M_b's column 0 in every block) derives nothing new:
        # only the links with a withheld member take part (few, however many links there are)
        size = np.max([np.abs(m).max(axis=0) if m.size else np.zeros(m.shape[1]) for m in moves], axis=0)
        self.active = np.flatnonzero(size > TOL)
        self.moves = [m[:, self.active] for m in moves]
        coords = [c[:, self.active] for c in coords]
        self.restricted = [r[:, self.active] for r in self.restricted]
        q = len(self.active)
        k = len(self.bases)
        prefix = [np.eye(q)]
        for b in range(k - 1):
            prefix.append(prefix[-1] @ _null(coords[b] @ prefix[-1]))
        suffix = [np.eye(q)] * k
        for b in range(k - 1, 0, -1):
            suffix[b - 1] = suffix[b] @ _null(coords[b] @ suffix[b])
        self.others = [_meet(prefix[b], suffix[b]) for b in range(k)]  # B_-A
        self.reach = [n @ _orth(c @ o) for n, c, o in zip(comps, coords, self.others, strict=True)]  # W_A
        self._stacked: np.ndarray | None = None
        self._where: dict[int, tuple[int, int]] = {}

    def with_atoms(self, atoms: list[np.ndarray], n: int) -> Structure:
        self.atoms, self.n = atoms, n
        self._where = {int(a): (b, j) for b, block in enumerate(atoms) for j, a in enumerate(block)}
        return self

    # --- one block ---------------------------------------------------------------------------------
    def derives(self, block: int, vector: np.ndarray) -> np.ndarray | None:
        """The link weights ``z`` that derive ``vector`` (block atoms of ``block``), or None."""
        r = _project_out(self.bases[block], vector)
        scale = TOL * max(1.0, float(np.linalg.norm(vector)))
        if np.linalg.norm(r) <= scale:
            return np.zeros(self.restricted[block].shape[1])
        w = self.reach[block]
        if w.shape[1] == 0 or np.linalg.norm(r - w @ (w.T @ r)) > scale:
            return None
        a = self.moves[block] @ self.others[block]
        y, *_ = np.linalg.lstsq(a, r, rcond=None)
        return self.others[block] @ y

    def derives_rows(self, block: int, vectors: np.ndarray) -> np.ndarray:
        """``derives(block, v) is not None`` for each row ``v`` of ``vectors`` (one matrix product per
        pass for all of them: `_apply` asks this of tens of thousands of derived figures' inputs)."""
        basis = self.bases[block]
        r = vectors
        for _ in range(2):
            r = r - (r @ basis.T) @ basis
        scale = TOL * np.maximum(1.0, row_norms(vectors))
        out = row_norms(r) <= scale
        w = self.reach[block]
        rest = np.flatnonzero(~out)
        if w.shape[1] and rest.size:
            rr = r[rest]
            out[rest] = row_norms(rr - (rr @ w) @ w.T) <= scale[rest]
        return out

    # --- any vector over the component -------------------------------------------------------------
    def determined(self, vector: np.ndarray) -> bool:
        atoms = np.flatnonzero(vector)
        return self.determined_items(atoms, vector[atoms])

    def determined_items(self, atoms: np.ndarray, coefs: np.ndarray) -> bool:
        """`determined` for the vector with ``coefs`` on ``atoms`` (component atom indices, no repeats,
        no zeros): a derived figure names a few atoms of a component of tens of thousands, so the
        dense vector's scan per figure made deciding them quadratic in the number of organisations."""
        by_block: dict[int, np.ndarray] = {}
        for a, c in zip(atoms.tolist(), coefs.tolist(), strict=True):
            b, j = self._where[a]
            if b not in by_block:
                by_block[b] = np.zeros(len(self.atoms[b]))
            by_block[b][j] += c
        if len(by_block) == 1:
            (b, v), = by_block.items()
            return self.derives(b, v) is not None
        residual = np.concatenate([_project_out(self.bases[b], by_block[b]) if b in by_block
                                   else np.zeros(len(self.atoms[b])) for b in range(len(self.atoms))])
        scale = TOL * max(1.0, float(np.linalg.norm(coefs)))
        if np.linalg.norm(residual) <= scale:
            return True
        if self._stacked is None:
            self._stacked = _orth(np.vstack(self.moves))
        u = self._stacked
        return bool(np.linalg.norm(residual - u @ (u.T @ residual)) <= scale)


def check(structure: Structure, targets: list[list[np.ndarray]]) -> list[Witness]:
    """Every protected cell (``targets[b]``: block b's protected vectors) the release determines."""
    found = []
    for a, vectors in enumerate(targets):
        if not vectors:
            continue
        derivable = structure.derives_rows(a, np.array(vectors))  # all of a block's at once; z for those only
        for t in (t for t, yes in zip(vectors, derivable.tolist(), strict=True) if yes):
            z = structure.derives(a, t)
            if z is not None:
                found.append(Witness(a, {b: structure.restricted[b] @ z for b in range(len(structure.bases))
                                         if b != a}))
    return found
