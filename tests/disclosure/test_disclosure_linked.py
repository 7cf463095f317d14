"""The same people in two breakdowns: band x ethnicity and clinical x ethnicity."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from parity.disclosure import DisclosureRule, Published, is_protected, suppress_linked
from parity.disclosure.secondary import UNPROTECTABLE

BANDS, CLINICAL, GROUPS = ("5", "6", "7"), (True, False), ("White", "BME", "Unknown")
ATOMS = list(itertools.product(BANDS, CLINICAL, GROUPS))


def quantities() -> list[Published]:
    """Two tables over the same atoms, each with its own margins (shared grand and group totals)."""
    def idx(**fixed):
        return [k for k, (b, c, g) in enumerate(ATOMS)
                if all({"band": b, "clinical": c, "group": g}[key] == v for key, v in fixed.items())]
    out = []
    for b in BANDS:
        out += [Published(f"band {b} {g}", idx(band=b, group=g)) for g in GROUPS]
        out.append(Published(f"band {b} total", idx(band=b)))
    for c in CLINICAL:
        out += [Published(f"clinical={c} {g}", idx(clinical=c, group=g)) for g in GROUPS]
        out.append(Published(f"clinical={c} total", idx(clinical=c)))
    out += [Published(f"{g} total", idx(group=g)) for g in GROUPS]
    out.append(Published("grand total", list(range(len(ATOMS)))))
    return out


def dense(p: Published) -> np.ndarray:
    v = np.zeros(len(ATOMS))
    v[list(p.coefficients)] = 1
    return v


@pytest.mark.parametrize("seed", range(6))
def test_suppression_holds_across_both_breakdowns(seed, lp):
    rng = np.random.default_rng(seed)
    atoms = np.where(rng.random(len(ATOMS)) < 0.4, rng.integers(0, 6, len(ATOMS)), rng.integers(5, 40, len(ATOMS)))
    qs = quantities()
    hidden = suppress_linked(atoms, qs, DisclosureRule())
    coefs = np.array([dense(q) for q in qs])
    values = coefs @ atoms
    shown = np.array([not hidden[q.name] for q in qs])
    assert all(not 0 < v < 10 for v, s in zip(values, shown, strict=True) if s)
    for k in np.flatnonzero(~shown):
        assert lp(coefs[shown], values[shown], coefs[k]), qs[k].name
    assert is_protected(atoms, {q.name: dense(q) for q in qs}, [n for n, h in hidden.items() if h])


def test_a_cell_shown_in_one_table_is_not_rebuilt_from_the_other():
    # band 5 BME = 3: hidden in the band table; clinical x ethnicity must not give it away either
    atoms = np.zeros(len(ATOMS), dtype=int)
    for k, (b, c, g) in enumerate(ATOMS):
        atoms[k] = (3 if c else 0) if (b, g) == ("5", "BME") else 20 if g != "BME" else (12 if c else 15)
    qs = quantities()
    hidden = suppress_linked(atoms, qs, DisclosureRule())
    assert hidden["band 5 BME"]
    assert is_protected(atoms, {q.name: dense(q) for q in qs}, [n for n, h in hidden.items() if h])
    # and the checker itself notices a leak: show everything except the small cell
    assert not is_protected(atoms, {q.name: dense(q) for q in qs}, ["band 5 BME"])


def test_zero_totals_reveal_their_cells():
    # a + b = 3 with b's column total 0: b = 0 is public, so a = 3 unless the row total is hidden too
    coefs = {"a": [1, 0, 0], "b": [0, 1, 0], "c": [0, 0, 1], "row": [1, 1, 0], "col b": [0, 1, 0],
             "all": [1, 1, 1]}
    assert not is_protected([3, 0, 40], coefs, ["a"])
    assert not is_protected([3, 0, 40], coefs, ["a", "row"])
    assert is_protected([3, 0, 40], coefs, ["a", "row", "all"])


def test_known_totals_that_pin_a_cell_are_refused():
    qs = [Published("a", [0]), Published("b", [1]), Published("known total", [0, 1], known=True),
          Published("b zero", [1], known=True)]
    with pytest.raises(ValueError, match=UNPROTECTABLE.split("{")[0]):
        suppress_linked([3, 0], qs, DisclosureRule())
