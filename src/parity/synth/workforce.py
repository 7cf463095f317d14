"""The canonical ``workforce`` (one row per assignment per snapshot) and ``leavers`` tables."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parity.contract.codes import STAFF_GROUPS as SG_CODES
from parity.synth import config as C
from parity.synth import people as P
from parity.synth.arrays import bool_col, cat_col, date_col, days, draw, id_col, table
from parity.synth.population import Population

LEAVE_REASONS = {
    "Voluntary Resignation - Relocation": .22, "Voluntary Resignation - Work Life Balance": .20,
    "Voluntary Resignation - Promotion": .12, "Voluntary Resignation - Better Reward Package": .06,
    "Retirement Age": .12, "Flexi Retirement": .05, "Voluntary Resignation - Other/Not Known": .13,
    "Dismissal - Conduct": .02, "Dismissal - Capability": .01, "Death in Service": .005,
    "Mutually Agreed Resignation - Local Scheme with Repayment": .005,
}
END_OF_CONTRACT = "End of Fixed Term Contract"


def snapshot_days(year: int) -> int:
    return days(dt.date(year, 3, 31))


def assignment_rows(pop: Population) -> dict[str, np.ndarray]:
    """Person index, year index and primary flag of every workforce row, in file order."""
    parts_p, parts_t, parts_s = [], [], []
    second = pop.attrs["second"]
    for t in range(len(pop.years)):
        idx = pop.in_post(t)
        sec = idx[second[idx]]
        parts_p += [idx, sec]
        parts_t += [np.full(len(idx) + len(sec), t, np.int8)]
        parts_s += [np.zeros(len(idx), bool), np.ones(len(sec), bool)]
    person = np.concatenate(parts_p)
    t = np.concatenate(parts_t)
    secondary = np.concatenate(parts_s)
    # file order: snapshot, organisation, person, primary before secondary
    key = ((t.astype(np.int64) * len(pop.org_codes) + pop.attrs["org"][person]) * pop.size + person) * 2 + secondary
    order = np.argsort(key)
    return {"person": person[order], "t": t[order], "secondary": secondary[order]}


def age_band(pop: Population, person: np.ndarray, t: np.ndarray) -> np.ndarray:
    snap = np.array([snapshot_days(y) for y in pop.years])[t]
    age = (snap - pop.birth[person]) / 365.25
    return np.searchsorted(P.AGE_EDGES, age, side="right")


def workforce_table(pop: Population, rows: dict[str, np.ndarray]) -> pa.Table:
    a = pop.attrs
    person, t, secondary = rows["person"], rows["t"], rows["secondary"]
    band_hist = np.stack(pop.band_hist)
    band = band_hist[t, person]
    cat = np.where(secondary, P.BANK, a["cat"][person])
    fte = np.where(secondary, a["fte2"][person], a["fte"][person])
    board = pop.board[person]
    on_board = board > 0
    clinical = np.array([SG_CODES[g][1] for g in P.STAFF_GROUPS])
    number = id_col("", pop.number(person))
    return table({
        "person_id": number,
        "assignment_id": assignment_numbers(number, secondary),
        "snapshot_date": date_col(np.array([snapshot_days(y) for y in pop.years])[t]),
        "org_code": cat_col(a["org"][person], pop.org_codes),
        "ethnic_category": cat_col(a["eth"][person], P.ETHNICITY),
        "sex": cat_col(a["sex"][person], P.SEXES),
        "disability": cat_col(a["dis"][person], P.DISABILITY),
        "pay_band": cat_col(band, C.BANDS),
        "staff_group": cat_col(a["sg"][person], P.STAFF_GROUPS),
        "clinical": bool_col(clinical[a["sg"][person]]),
        "assignment_category": cat_col(cat, P.CATEGORIES),
        "primary_assignment": bool_col(~secondary),
        "fte": pa.array(fte),
        "age_band": cat_col(age_band(pop, person, t), P.AGE_BANDS),
        "board_member": bool_col(on_board),
        "board_role": _board_role(board),
        "board_voting": bool_col(pop.voting[person], mask=~on_board),
    })


def assignment_numbers(number: pa.Array, secondary: np.ndarray) -> pa.Array:
    """ESR style: the employee number for the first assignment, "<number>-2" for the second."""
    return pc.if_else(pa.array(secondary), pc.binary_join_element_wise(number, "-2", ""), number)


def _board_role(board: np.ndarray) -> pa.DictionaryArray:
    return cat_col(board, [None, "executive", "non_executive"])


def leavers_table(pop: Population, rng: np.random.Generator) -> pa.Table:
    left = np.flatnonzero(pop.leave_t < len(pop.years))
    left = left[np.lexsort((left, pop.leave_date[left]))]
    labels = list(LEAVE_REASONS) + [END_OF_CONTRACT]
    reason = draw(rng, LEAVE_REASONS, len(left))
    fixed = pop.attrs["cat"][left] == P.FIXED
    reason[fixed & (rng.random(len(left)) < .7)] = len(labels) - 1
    return table({
        "person_id": id_col("", pop.number(left)),
        "leave_date": date_col(pop.leave_date[left]),
        "org_code": cat_col(pop.attrs["org"][left], pop.org_codes),
        "reason": cat_col(reason, labels),
    })
