"""The population over the years: a starting workforce, then each financial year leavers,
promotions and joiners, ending in a 31 March snapshot.

People are rows of numpy arrays; a person's band at each snapshot is kept in `band_hist`.
Board members are created per organisation and stay in post for the whole period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from parity.synth import config as C
from parity.synth import people as P
from parity.synth.arrays import days, draw, fy_bounds, uniform_days
from parity.synth.bias import Biases

FIRST_PERSON = 10_000_001  # ESR-style 8-digit employee numbers
NEVER = 127  # leave_t of people who do not leave within the period


@dataclass
class Population:
    years: list[int]
    org_codes: list[str]
    attrs: dict[str, np.ndarray]
    join_t: np.ndarray
    leave_t: np.ndarray
    join_date: np.ndarray
    leave_date: np.ndarray
    birth: np.ndarray
    board: np.ndarray  # 0 none, 1 executive, 2 non-executive
    voting: np.ndarray
    band_hist: list[np.ndarray] = field(default_factory=list)
    promotions: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.join_t)

    def number(self, idx: np.ndarray) -> np.ndarray:
        return FIRST_PERSON + idx

    def in_post(self, t: int) -> np.ndarray:
        """Indices of people in post at snapshot `t` (0-based year index)."""
        return np.flatnonzero((self.join_t <= t) & (self.leave_t > t))

    def band_at(self, t: int, idx: np.ndarray) -> np.ndarray:
        return self.band_hist[t][idx]


def org_codes(m: int) -> list[str]:
    """Distinct 3-character codes R0A, R0B, …, R9Z, RAA, … (NHS trust codes start with R)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    firsts = "0123456789" + letters
    codes = [f"R{a}{b}" for a in firsts for b in letters]
    if m > len(codes):
        raise ValueError(f"At most {len(codes)} organisations")
    return codes[:m]


def org_sizes(rng: np.random.Generator, staff: int, orgs: int) -> np.ndarray:
    """Staff in post per organisation, lognormal sizes summing to `staff`."""
    if orgs == 1:
        return np.array([staff])
    w = rng.lognormal(0.0, 0.5, orgs)
    sizes = np.maximum(np.floor(staff * w / w.sum()).astype(np.int64), 20)
    sizes[np.argmax(sizes)] += staff - sizes.sum()
    return sizes


def _board(rng: np.random.Generator, orgs: int) -> dict[str, np.ndarray]:
    """14–16 members per organisation: 6–8 executives (VSM) and non-executives (staff group 10)."""
    total = rng.integers(14, 17, orgs)
    execs = rng.integers(6, 9, orgs)
    org = np.repeat(np.arange(orgs), total)
    rank = np.arange(len(org)) - np.repeat(np.cumsum(total) - total, total)
    n_exec = execs[org]
    is_exec = rank < n_exec
    n = len(org)
    # executives: chief executive, medical director, chief nurse, then directors (admin)
    sg = np.where(is_exec, np.select([rank == 1, rank == 2], [0, 2], 7), P.NED_GROUP).astype(np.int8)
    voting = np.where(is_exec, rank < 5, rank - n_exec < total[org] - n_exec - 1)
    p_bme = np.where(is_exec, .12, .15)
    return {
        "org": org, "sg": sg, "band": np.full(n, C.VSM, np.int8), "eth": P.ethnicity(rng, p_bme, .03),
        "sex": (rng.random(n) >= .5).astype(np.int8),
        "dis": draw(rng, [.05, .9, .05], n).astype(np.int8), "grade": np.zeros(n, np.int8),
        "cat": np.where(is_exec, P.PERMANENT, P.FIXED).astype(np.int8),
        "fte": np.where(is_exec, 1.0, 0.1), "age": rng.uniform(45, 66, n),
        "second": np.zeros(n, bool), "fte2": np.zeros(n), "board": np.where(is_exec, 1, 2).astype(np.int8), "voting": voting,
    }


def simulate(rng: np.random.Generator, *, staff: int, years: list[int], orgs: int, bias: Biases) -> Population:
    """Start from the workforce at 31 March before the first year, then run each year."""
    sizes = org_sizes(rng, staff, orgs)
    start = days(dt.date(years[0] - 1, 3, 31))
    first = P.draw_people(rng, int(sizes.sum()), joiners=False)
    first["org"] = np.repeat(np.arange(orgs), sizes)
    first["board"] = np.zeros(len(first["org"]), np.int8)
    first["voting"] = np.zeros(len(first["org"]), bool)
    board = _board(rng, orgs)
    batches = [first, board]
    n0 = len(first["org"]) + len(board["org"])
    join_t = [np.full(n0, -1, np.int8)]
    join_date = [start - np.minimum(rng.exponential(8 * 365, n0), 40 * 365).astype(np.int32)]
    birth = [(start - np.concatenate([first["age"], board["age"]]) * 365.25).astype(np.int32)]
    leave_t = np.full(n0, NEVER, np.int8)
    leave_date = np.zeros(n0, np.int32)
    band = np.concatenate([first["band"], board["band"]])
    cat = np.concatenate([first["cat"], board["cat"]])
    eth = np.concatenate([first["eth"], board["eth"]])
    sg = np.concatenate([first["sg"], board["sg"]])
    is_board = np.concatenate([first["board"], board["board"]]) > 0
    org = np.concatenate([first["org"], board["org"]])
    leave_p = np.array([C.LEAVE_RATE[c] for c in P.CATEGORIES])
    sg_max = np.array([max(C.BANDS.index(b) for b in C.BAND_SHARES[g]) for g in P.STAFF_GROUPS[:-1]] + [0])
    prom_p = np.full(len(P.ETHNICITY), C.PROMOTION)
    prom_p[P.N_WHITE:P.N_WHITE + P.N_BME] = bme_promotion(C.PROMOTION, bias["progression"], bias["promotion_hazard"])
    hist, counts = [], {"White": [0, 0], "BME": [0, 0], "Unknown": [0, 0]}
    for t, year in enumerate(years):  # loop over years only; people are vectorised
        fy0, fy1 = fy_bounds(year)
        alive = np.flatnonzero((np.concatenate(join_t) <= t - 1) & (leave_t >= t))
        leaving = alive[~is_board[alive] & (rng.random(len(alive)) < leave_p[cat[alive]])]
        leave_t[leaving] = t
        leave_date[leaving] = uniform_days(rng, fy0, fy1, len(leaving))
        stay = alive[leave_t[alive] != t]
        eligible = stay[(band[stay] <= C.TOP_AFC) & (band[stay] < sg_max[sg[stay]]) & (sg[stay] != 1)]
        promoted = eligible[rng.random(len(eligible)) < prom_p[eth[eligible]]]
        band[promoted] += 1
        for name, test in (("White", P.is_white), ("BME", P.is_bme)):
            counts[name][0] += int(test(eth[eligible]).sum())
            counts[name][1] += int(test(eth[promoted]).sum())
        new_counts = np.bincount(org[leaving], minlength=orgs)
        like = leaving[np.argsort(org[leaving], kind="stable")]  # joiners replace leavers, org by org
        new = P.draw_people(rng, int(new_counts.sum()), joiners=True, replacing=(sg[like], band[like]))
        new["org"] = np.repeat(np.arange(orgs), new_counts)
        new["board"] = np.zeros(len(new["org"]), np.int8)
        new["voting"] = np.zeros(len(new["org"]), bool)
        k = len(new["org"])
        batches.append(new)
        join_t.append(np.full(k, t, np.int8))
        jd = uniform_days(rng, fy0, fy1, k)
        join_date.append(jd)
        birth.append((jd - new["age"] * 365.25).astype(np.int32))
        leave_t = np.concatenate([leave_t, np.full(k, NEVER, np.int8)])
        leave_date = np.concatenate([leave_date, np.zeros(k, np.int32)])
        band = np.concatenate([band, new["band"]])
        cat = np.concatenate([cat, new["cat"]])
        eth = np.concatenate([eth, new["eth"]])
        sg = np.concatenate([sg, new["sg"]])
        org = np.concatenate([org, new["org"]])
        is_board = np.concatenate([is_board, np.zeros(k, bool)])
        hist.append(band.copy())
    attrs = {key: np.concatenate([b[key] for b in batches]) for key in first if key != "age"}
    attrs["band"] = band
    n = len(band)
    band_hist = [np.concatenate([h, np.full(n - len(h), -1, np.int8)]) for h in hist]
    promotions = {g: {"eligible": c[0], "promoted": c[1]} for g, c in counts.items() if g != "Unknown"}
    return Population(
        years=years, org_codes=org_codes(orgs), attrs=attrs, join_t=np.concatenate(join_t),
        leave_t=leave_t, join_date=np.concatenate(join_date), leave_date=leave_date,
        birth=np.concatenate(birth), board=attrs.pop("board"), voting=attrs.pop("voting"),
        band_hist=band_hist, promotions=promotions,
    )


def bme_promotion(base: float, progression: float, hazard_ratio: float) -> float:
    """BME staff's yearly promotion probability under the `progression` and `promotion_hazard` biases.

    `progression` divides the yearly probability (a ratio of proportions); `promotion_hazard` is a
    hazard ratio on the continuous time scale: surviving a year in band is S = 1 − p for White staff
    and S^R for BME staff, so p_BME = 1 − (1 − p)^R (the complementary log-log scale on which
    yearly snapshots of a proportional hazards process are exact). At p = 0.05 and R = 0.7 this is
    0.0353, beside R × p = 0.035.
    """
    p = base / progression
    return 1 - (1 - p) ** hazard_ratio


def headcount(pop: Population, t: int) -> np.ndarray:
    """People at risk of casework and training in year `t`: in post at the snapshot, not bank-only,
    not non-executives (the WRES headcount: substantive staff, one row per person)."""
    idx = pop.in_post(t)
    return idx[(pop.attrs["cat"][idx] != P.BANK) & (pop.board[idx] != 2)]


def event_days(rng: np.random.Generator, pop: Population, t: int, person: np.ndarray) -> np.ndarray:
    """A day in financial year `t`, not before the person joined."""
    fy0, fy1 = fy_bounds(pop.years[t])
    return uniform_days(rng, np.maximum(fy0, pop.join_date[person]), fy1, len(person))
