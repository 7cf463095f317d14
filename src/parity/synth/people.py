"""Attributes of a batch of people (staff group, band, ethnicity, sex, disability, contract, age).

Each attribute is a small integer code into one of the vocabularies below, so a million people
are a handful of numpy arrays.
"""

from __future__ import annotations

import numpy as np

from parity.contract.codes import ETHNIC_CATEGORIES
from parity.synth import config as C
from parity.synth.arrays import draw

STAFF_GROUPS = list(C.STAFF_GROUP_SHARES) + ["10"]  # "10": non-executive directors only
NED_GROUP = len(STAFF_GROUPS) - 1
#: ethnicity vocabulary: the national codes then "" (blank)
ETHNICITY = list(ETHNIC_CATEGORIES) + [""]
N_WHITE, N_BME = 3, 13  # A–C, then D–S
CODE = {c: i for i, c in enumerate(ETHNICITY)}
SEXES = ["female", "male", "other", "unknown"]
DISABILITY = ["yes", "no", "unknown"]
CATEGORIES = ["permanent", "fixed_term", "bank", "locum", "other"]
PERMANENT, FIXED, BANK, LOCUM = 0, 1, 2, 3
GRADES = [""] + [g for labels in C.MEDICAL_GRADE_LABELS.values() for g in labels]
AGE_EDGES = np.array([21, 26, 31, 36, 41, 46, 51, 56, 61, 66, 71])
AGE_BANDS = ["<=20 Years", "21-25", "26-30", "31-35", "36-40", "41-45", "46-50", "51-55", "56-60",
             "61-65", "66-70", ">=71 Years"]
_BAND = {b: i for i, b in enumerate(C.BANDS)}
_SG_MIN_BAND = {i: min(_BAND[b] for b in C.BAND_SHARES[sg]) for i, sg in enumerate(STAFF_GROUPS[:-1])}


def is_white(eth: np.ndarray) -> np.ndarray:
    return eth < N_WHITE


def is_bme(eth: np.ndarray) -> np.ndarray:
    return (eth >= N_WHITE) & (eth < N_WHITE + N_BME)


def ethnicity(rng: np.random.Generator, p_bme: np.ndarray, unknown: float) -> np.ndarray:
    """Ethnic code indices given each person's P(BME | known) and the share unknown."""
    n = len(p_bme)
    u = rng.random(n)
    out = np.empty(n, dtype=np.int8)
    unknown_mask = u < unknown
    bme = ~unknown_mask & (rng.random(n) < p_bme)
    white = ~unknown_mask & ~bme
    out[white] = draw(rng, C.WHITE_CODE_SHARES, int(white.sum()))
    out[bme] = N_WHITE + draw(rng, C.BME_CODE_SHARES, int(bme.sum()))
    unk_codes = np.array([CODE[c] for c in C.UNKNOWN_CODE_SHARES])
    out[unknown_mask] = unk_codes[draw(rng, C.UNKNOWN_CODE_SHARES, int(unknown_mask.sum()))]
    return out


def draw_people(rng: np.random.Generator, n: int, *, joiners: bool,
                replacing: tuple[np.ndarray, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Attributes of `n` new staff; joiners are younger and start lower (see JOINER_DEMOTION).

    `replacing` = (staff group, band) of the leavers they replace: joiners take the same staff
    group (and doctors the same grade group), so the staff mix stays stable over the years.
    """
    sg = draw(rng, C.STAFF_GROUP_SHARES, n).astype(np.int8) if replacing is None else replacing[0].copy()
    band = np.empty(n, dtype=np.int8)
    for g, name in enumerate(STAFF_GROUPS[:-1]):  # loop over 9 staff groups, vectorised within
        m = sg == g
        shares = C.BAND_SHARES[name]
        idx = np.array([_BAND[b] for b in shares], dtype=np.int8)
        band[m] = idx[draw(rng, shares, int(m.sum()))]
    if replacing is not None:
        medical = replacing[1] >= C.FIRST_MEDICAL
        band[medical] = replacing[1][medical]
    if joiners:
        min_band = np.array([_SG_MIN_BAND[g] for g in range(len(STAFF_GROUPS) - 1)])[sg]
        demote = (band <= C.TOP_AFC) & (band > min_band) & (rng.random(n) < C.JOINER_DEMOTION)
        band[demote] -= 1
    sg_names = np.array(STAFF_GROUPS[:-1])[sg]
    p_bme = np.array([C.BME_SHARE[s] for s in STAFF_GROUPS[:-1]])[sg]
    senior = np.ones(len(C.BANDS))
    for b, f in C.SENIOR_BME_FACTOR.items():
        senior[_BAND[b]] = f
    p_bme = p_bme * senior[band]
    female = np.array([C.FEMALE_SHARE[s] for s in STAFF_GROUPS[:-1]])[sg]
    sex = (rng.random(n) >= female).astype(np.int8)  # 0 female, 1 male
    dis = draw(rng, [C.DISABLED, 1 - C.DISABLED - C.DISABILITY_UNKNOWN, C.DISABILITY_UNKNOWN], n)
    grade = np.zeros(n, dtype=np.int8)
    offset = 1
    for gg, labels in C.MEDICAL_GRADE_LABELS.items():
        m = band == _BAND[gg]
        grade[m] = offset + draw(rng, labels, int(m.sum()))
        offset += len(labels)
    cat = _categories(rng, sg_names, band)
    fte = _fte(rng, sg_names, cat)
    age = np.clip(rng.normal(34 if joiners else 42, 10 if joiners else 11, n), 18, 65)
    trainee = band == _BAND["trainee"]
    age[trainee] = np.clip(rng.normal(30, 4, int(trainee.sum())), 23, 45)
    return {
        "sg": sg, "band": band, "eth": ethnicity(rng, p_bme, C.UNKNOWN_ETHNICITY), "sex": sex,
        "dis": dis.astype(np.int8), "grade": grade, "cat": cat, "fte": fte,
        "age": age, "second": (cat != BANK) & (rng.random(n) < C.SECOND_ASSIGNMENT),
        "fte2": np.array([.1, .2, .3])[draw(rng, [.5, .3, .2], n)],  # FTE of a second assignment
    }


def _categories(rng: np.random.Generator, sg: np.ndarray, band: np.ndarray) -> np.ndarray:
    n = len(sg)
    cat = draw(rng, [.89, .06, .05], n).astype(np.int8)  # permanent, fixed term, bank
    med = sg == "01"
    cat[med] = np.array([PERMANENT, LOCUM, BANK], dtype=np.int8)[draw(rng, [.93, .04, .03], int(med.sum()))]
    trainee = band == _BAND["trainee"]
    cat[trainee] = FIXED
    other = band == _BAND["medical_other"]
    cat[other] = np.array([FIXED, LOCUM, BANK], dtype=np.int8)[draw(rng, [.6, .3, .1], int(other.sum()))]
    cat[sg == "02"] = FIXED
    return cat


def _fte(rng: np.random.Generator, sg: np.ndarray, cat: np.ndarray) -> np.ndarray:
    n = len(sg)
    part = np.array([0.4, 0.5, 0.6, 0.8, 0.9, 0.93])
    fte = np.where(rng.random(n) < .62, 1.0, part[rng.integers(0, len(part), n)])
    med = sg == "01"
    fte[med] = np.where(rng.random(int(med.sum())) < .88, 1.0, np.array([.6, .8, .9])[rng.integers(0, 3, int(med.sum()))])
    bank = cat == BANK
    fte[bank] = np.array([.1, .2, .3])[rng.integers(0, 3, int(bank.sum()))]
    return fte
