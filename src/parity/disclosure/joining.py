"""Which atoms are joined by shared quantities: a union-find over atom indices.

Used twice: `components` splits a release into the parts that cannot reveal each other, and
`modular.blocks_of` splits one part into the units its margins link.
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
