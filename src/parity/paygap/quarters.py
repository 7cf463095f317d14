"""Four equal-sized pay quarters — Gender Pay Gap Information Regulations 2017, reg 13.

Rank full-pay relevant employees by hourly rate (lowest first) and cut the ranking into four
groups as equal in size as possible (reg 13(1)); the remainder rule is `REMAINDER_EXTRAS`.
People on the same hourly rate who straddle a cut are split so that each quarter holds, as far as
possible, the same mix of groups as everyone on that rate (reg 13(2)): see `split_tied`.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations

import numpy as np

from parity.paygap.rounding import shares

QUARTER_NAMES = ("lower", "lower_middle", "upper_middle", "top")

#: N mod 4 → extra person per quarter (lower, lower-middle, upper-middle, top): government guidance
#: puts 1 extra in the lower quarter; 2 in lower and upper-middle; 3 in all but the top.
REMAINDER_EXTRAS = {0: (0, 0, 0, 0), 1: (1, 0, 0, 0), 2: (1, 0, 1, 0), 3: (1, 1, 1, 0)}

#: Rates are compared to a millionth of a pound, so float noise (15.33333333 vs 15.333333330000001
#: from two spellings of the same pay) does not break a tie.
TIE_DECIMALS = 6


def quarter_sizes(n: int) -> tuple[int, int, int, int]:
    """Sizes of the four quarters for `n` people (4,445 → 1,112 / 1,111 / 1,111 / 1,111)."""
    base, rem = divmod(n, 4)
    return tuple(base + extra for extra in REMAINDER_EXTRAS[rem])  # type: ignore[return-value]


def assign_quarters(rates: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Quarter (0 = lower … 3 = top) of each person, in input order.

    `groups` holds each person's group as an integer 0..n_groups-1. Ties straddling a cut are split
    by `split_tied`; within a group the tied people keep their input order (any order gives the
    same counts, which are all that is published).
    """
    n = len(rates)
    if n == 0:
        return np.empty(0, dtype=int)
    key = np.round(np.asarray(rates, dtype="float64"), TIE_DECIMALS)
    order = np.argsort(key, kind="stable")
    seat = np.repeat(np.arange(4), quarter_sizes(n))  # quarter of each ranked position
    ranked = key[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    ends = np.r_[starts[1:], n]
    out = seat.copy()
    straddling = seat[starts] != seat[ends - 1]
    for s, e in zip(starts[straddling], ends[straddling], strict=True):  # at most 3 blocks
        block = groups[order[s:e]]
        alloc = split_tied(np.bincount(block, minlength=n_groups), np.bincount(seat[s:e], minlength=4))
        for g in range(n_groups):
            out[s + np.flatnonzero(block == g)] = np.repeat(np.arange(4), alloc[g])
    assigned = np.empty(n, dtype=int)
    assigned[order] = out
    return assigned


def split_tied(counts: np.ndarray, seats: np.ndarray) -> np.ndarray:
    """Split a block of people on one rate across quarters: a groups × 4 matrix of whole people.

    Group g's exact share of quarter k is ``counts[g] × seats[k] / block size``. Every cell is that
    share rounded down or up (never further), every group's row adds to its count and every
    quarter's column to its seats; among such roundings we take the one whose rounded-up cells have
    the largest remainders in total (largest remainder in two dimensions; with two quarters it is
    plain largest remainder). Equal remainders: earlier groups take the lower quarters.
    Acme Ltd: 4 men + 36 women, seats 10 / 30 → 1 man + 9 women, 3 men + 27 women.
    """
    counts = np.asarray(counts, dtype=int)
    seats = np.asarray(seats, dtype=int)
    total = int(counts.sum())
    numer = np.outer(counts, seats)  # share × total, exact integers
    floor, rem = np.divmod(numer, total)
    row_need = counts - floor.sum(axis=1)
    col_need = tuple(int(v) for v in seats - floor.sum(axis=0))
    free = [tuple(int(k) for k in np.flatnonzero(rem[g])) for g in range(len(counts))]
    rem_list = rem.tolist()

    @cache
    def best(g: int, need: tuple[int, ...]) -> tuple[int, tuple[tuple[int, ...], ...]] | None:
        # maximise the summed remainders of the cells rounded up; None when infeasible
        if g == len(counts):
            return (0, ()) if not any(need) else None
        found = None
        for pick in combinations(free[g], int(row_need[g])):  # lexicographic: lower quarters first
            if any(need[k] == 0 for k in pick):
                continue
            rest = best(g + 1, tuple(v - (k in pick) for k, v in enumerate(need)))
            if rest is not None:
                value = sum(rem_list[g][k] for k in pick) + rest[0]
                if found is None or value > found[0]:
                    found = (value, (pick, *rest[1]))
        return found

    result = best(0, col_need)
    if result is None:  # cannot happen: integer margins always admit such a rounding
        raise RuntimeError(f"no whole-person split of tied block {counts.tolist()} into seats {seats.tolist()}")
    alloc = floor.copy()
    for g, pick in enumerate(result[1]):
        alloc[g, list(pick)] += 1
    return alloc


def quarter_table(quarter: np.ndarray, groups: np.ndarray, labels: list[str]) -> list[dict]:
    """Published quarters, lower → top: size, count per group and percent per group (sum 100.0)."""
    table = np.zeros((4, len(labels)), dtype=int)
    np.add.at(table, (quarter, groups), 1)
    rows = []
    for k, name in enumerate(QUARTER_NAMES):
        counts = [int(c) for c in table[k]]
        pct = shares(counts)
        rows.append(
            {
                "quarter": name,
                "size": sum(counts),
                "counts": dict(zip(labels, counts, strict=True)),
                "percent": dict(zip(labels, pct, strict=True)) if pct else dict.fromkeys(labels),
            }
        )
    return rows
