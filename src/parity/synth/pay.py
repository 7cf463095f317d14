"""Pay at the latest snapshots (default 3): ordinary monthly pay, hours, bonuses, reduced pay.

Pay comes from Agenda for Change pay ranges (2024/25, uprated 4% a year), medical and VSM ranges;
the pay-gap biases multiply hourly pay within the band or grade, so the within-band mean gap is
G in expectation while the overall gap also reflects who is in which band.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from parity.synth import config as C
from parity.synth import people as P
from parity.synth.arrays import bool_col, cat_col, date_col, days, id_col, table
from parity.synth.bias import Biases
from parity.synth.population import Population

PERIOD_DAYS = 30.44
FULL_TIME_HOURS = 37.5
#: annual full-time pay range (2024/25) per band; doctors by ESR grade (index into people.GRADES)
BAND_RANGE = {
    "1": (23615, 23615), "2": (23615, 23615), "3": (24071, 25674), "4": (26530, 29114),
    "5": (29970, 36483), "6": (37338, 44962), "7": (46148, 52809), "8a": (53755, 60504),
    "8b": (62215, 72293), "8c": (74290, 85601), "8d": (88168, 101677), "9": (105385, 121271),
    "VSM": (110000, 230000),
}
GRADE_RANGE = {
    "Consultant": (105504, 139882), "Specialty Doctor": (59175, 95400),
    "Associate Specialist": (96990, 110000), "Specialty Registrar": (55329, 70425),
    "Foundation Year 1": (36616, 36616), "Core Training": (49909, 55329), "Clinical Fellow": (45000, 65000),
}
UPRATING = 1.04


def _ranges() -> tuple[np.ndarray, np.ndarray]:
    lo = np.zeros(len(C.BANDS))
    hi = np.zeros(len(C.BANDS))
    for b, (a, z) in BAND_RANGE.items():
        lo[C.BANDS.index(b)], hi[C.BANDS.index(b)] = a, z
    glo = np.array([0.0] + [GRADE_RANGE[g][0] for g in P.GRADES[1:]])
    ghi = np.array([0.0] + [GRADE_RANGE[g][1] for g in P.GRADES[1:]])
    return np.stack([lo, hi]), np.stack([glo, ghi])


def pay(rng: np.random.Generator, pop: Population, bias: Biases) -> tuple[pa.Table, dict]:
    a = pop.attrs
    band_rng, grade_rng = _ranges()
    parts = []
    first = max(0, len(pop.years) - C.PAY_YEARS)
    for t in range(first, len(pop.years)):  # loop over pay snapshots; people vectorised
        year = pop.years[t]
        idx = pop.in_post(t)
        idx = idx[pop.board[idx] != 2]  # non-executives are office holders, not employees
        n = len(idx)
        band = pop.band_at(t, idx)
        grade = a["grade"][idx]
        medical = grade > 0
        lo = np.where(medical, grade_rng[0][grade], band_rng[0][band])
        hi = np.where(medical, grade_rng[1][grade], band_rng[1][band])
        annual = (lo + rng.random(n) * (hi - lo)) * UPRATING ** (year - 2025)
        clinical_afc = np.isin(a["sg"][idx], [2, 3, 4, 5, 6]) & (band <= C.BANDS.index("7"))
        annual *= 1 + np.where(clinical_afc, rng.uniform(0, .12, n), 0)
        trainee = band == C.BANDS.index("trainee")
        annual *= 1 + np.where(trainee, rng.uniform(.1, .3, n), 0)
        # the injected gaps act within band: every other draw above is group-neutral
        annual *= np.where(a["sex"][idx] == 0, 1 - bias["pay_gap_sex"], 1.0)
        annual *= np.where(P.is_bme(a["eth"][idx]), 1 - bias["pay_gap_ethnicity"], 1.0)
        fte = a["fte"][idx] + np.where(a["second"][idx], a["fte2"][idx], 0)
        hours = np.round(FULL_TIME_HOURS * fte, 2)
        hourly = annual / (365.25 / 7) / FULL_TIME_HOURS
        ordinary = hourly * hours * PERIOD_DAYS / 7
        snap = days(dt.date(year, 3, 31))
        age = (snap - pop.birth[idx]) / 365.25
        p_reduced = np.where((a["sex"][idx] == 0) & (age < 45), C.REDUCED_PAY["young_women"], C.REDUCED_PAY["others"])
        reduced = rng.random(n) < p_reduced
        ordinary = np.where(reduced, ordinary * rng.uniform(0, .6, n), ordinary)
        consultant = band == C.BANDS.index("consultant")
        cea = consultant & (rng.random(n) < C.CEA_SHARE)
        national = rng.random(n) < .2
        bonus = np.where(cea, np.where(national, rng.uniform(20000, 45000, n), rng.uniform(3000, 15000, n)), 0.0)
        parts.append((idx, np.full(n, snap, np.int32), np.round(ordinary, 2), hours, np.round(bonus, 2), ~reduced))
    idx, snap, ordinary, hours, bonus, full = (np.concatenate([p[i] for p in parts]) for i in range(6))
    tab = table({
        "person_id": id_col("", pop.number(idx)),
        "snapshot_date": date_col(snap),
        "org_code": cat_col(a["org"][idx], pop.org_codes),
        "ordinary_pay": pa.array(ordinary),
        "pay_period_days": pa.array(np.full(len(idx), PERIOD_DAYS)),
        "weekly_hours": pa.array(hours),
        "bonus_12m": pa.array(bonus),
        "full_pay": bool_col(full),
        "sex": cat_col(a["sex"][idx], P.SEXES),
        "ethnic_category": cat_col(a["eth"][idx], P.ETHNICITY),
        "disability": cat_col(a["dis"][idx], P.DISABILITY),
    })
    truth = {"snapshots": [str(y) + "-03-31" for y in pop.years[first:]], "rows": len(idx),
             "full_pay_share": float(full.mean()) if len(full) else 0.0,
             "consultants_with_bonus_share": float(cea.sum() / max(consultant.sum(), 1))}
    return tab, truth
