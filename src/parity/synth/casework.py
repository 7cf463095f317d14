"""Disciplinary and capability cases.

The probability of entering the *formal* process in a year is set per person from the base rate
and the biases, so the relative likelihoods are exact in expectation; informal cases
(``formal`` false) are drawn separately at a group-neutral rate.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from parity.synth import config as C
from parity.synth import people as P
from parity.synth.arrays import bool_col, cat_col, date_col, id_col, table
from parity.synth.bias import Biases, check_probability
from parity.synth.population import Population, event_days, headcount
from parity.synth.units import DIVISIONS, division_of


def unit_factor(pop: Population, bias: Biases, name: str, staff: np.ndarray, group: np.ndarray) -> np.ndarray:
    """The ``NAME@DIVISION=R`` biases (issue 17): R for `group` members in that division, else 1."""
    f = np.ones(len(staff))
    for (bias_name, division), r in bias.by_unit.items():
        if bias_name == name:
            f[group & (division_of(pop, staff) == DIVISIONS.index(division))] *= r
    return f


def intersection_mask(pop: Population, person: np.ndarray, group: str) -> np.ndarray:
    codes, sex = C.INTERSECTION_GROUPS[group]
    eth_ok = np.isin(pop.attrs["eth"][person], [P.CODE[c] for c in codes])
    return eth_ok if sex is None else eth_ok & (pop.attrs["sex"][person] == P.SEXES.index(sex))


def _cases(rng, pop: Population, p_formal_fn, informal: float, prefix: str, ill_health: bool):
    person, formal, date, truth_rows = [], [], [], []
    for t in range(len(pop.years)):  # loop over years; staff are vectorised
        staff = headcount(pop, t)
        p = p_formal_fn(staff)
        check_probability(prefix, float(p.max(initial=0)))
        f = staff[rng.random(len(staff)) < p]
        i = staff[rng.random(len(staff)) < informal]
        truth_rows.append((staff, f))
        for who, is_formal in ((f, True), (i, False)):
            person.append(who)
            formal.append(np.full(len(who), is_formal))
            date.append(event_days(rng, pop, t, who))
    person, formal, date = np.concatenate(person), np.concatenate(formal), np.concatenate(date)
    order = np.lexsort((person, date))
    person, formal, date = person[order], formal[order], date[order]
    cols = {
        "case_id": id_col(prefix, np.arange(1, len(person) + 1), 6),
        "person_id": id_col("", pop.number(person)),
        "case_start_date": date_col(date),
        "org_code": cat_col(pop.attrs["org"][person], pop.org_codes),
        "formal": bool_col(formal),
    }
    if ill_health:
        cols["ill_health"] = bool_col(rng.random(len(person)) < C.CAPABILITY_ILL_HEALTH)
    return table(cols), truth_rows


def _counts(pop: Population, truth_rows, groups) -> dict:
    out = {}
    for name, fn in groups.items():
        staff = sum(int(fn(s).sum()) for s, _ in truth_rows)
        cases = sum(int(fn(f).sum()) for _, f in truth_rows)
        out[name] = {"person_years": staff, "formal_cases": cases}
    return out


def disciplinary(rng: np.random.Generator, pop: Population, bias: Biases) -> tuple[pa.Table, dict]:
    eth = pop.attrs["eth"]

    def p_formal(staff: np.ndarray) -> np.ndarray:
        p = np.full(len(staff), C.DISCIPLINARY_FORMAL)
        p[P.is_bme(eth[staff])] *= bias["disciplinary"]
        p[intersection_mask(pop, staff, bias.intersection_group)] *= bias["intersection"]
        return p * unit_factor(pop, bias, "disciplinary", staff, P.is_bme(eth[staff]))

    tab, rows = _cases(rng, pop, p_formal, C.DISCIPLINARY_INFORMAL, "DIS", ill_health=False)
    groups = {"White": lambda s: P.is_white(eth[s]), "BME": lambda s: P.is_bme(eth[s]),
              bias.intersection_group: lambda s: intersection_mask(pop, s, bias.intersection_group),
              "everyone_else": lambda s: ~intersection_mask(pop, s, bias.intersection_group)}
    return tab, _counts(pop, rows, groups)


def capability(rng: np.random.Generator, pop: Population, bias: Biases) -> tuple[pa.Table, dict]:
    dis = pop.attrs["dis"]

    def p_formal(staff: np.ndarray) -> np.ndarray:
        p = np.where(dis[staff] == 0, C.CAPABILITY_FORMAL * bias["capability"], C.CAPABILITY_FORMAL)
        return p * unit_factor(pop, bias, "capability", staff, dis[staff] == 0)

    tab, rows = _cases(rng, pop, p_formal, C.CAPABILITY_INFORMAL, "CAP", ill_health=True)
    groups = {"Disabled": lambda s: dis[s] == 0, "Non-disabled": lambda s: dis[s] == 1}
    return tab, _counts(pop, rows, groups)
