"""Which atoms are joined by shared quantities: a union-find over atom indices.

Used by `modular.blocks_of` to split one part of a release into the units its margins link (its
block numbering follows these representatives, so it stays); `components` splits a release with
SciPy's connected components of the rows-and-atoms graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def joined(n: int, supports: Iterable[Iterable[int]]) -> Callable[[int], int]:
    """``find(atom)``: one representative atom per group of atoms that some support joins."""
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for support in supports:
        atoms = [int(a) for a in support]
        for a in atoms[1:]:
            ra, rb = find(atoms[0]), find(a)
            if ra != rb:
                parent[rb] = ra
    return find
