"""Applications to vacancies: shortlisting, interview, offer, decline, appointment.

The appointment biases act on P(appointed | shortlisted) exactly: White/non-disabled applicants
have the base probability, BME applicants base / R, Disabled applicants base / R_disability.
Offers and declines are drawn so that P(appointed | shortlisted) is that probability.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from parity.synth import config as C
from parity.synth import people as P
from parity.synth.arrays import bool_col, cat_col, date_col, draw, fy_bounds, id_col, table, uniform_days
from parity.synth.bias import Biases, check_probability
from parity.synth.population import Population

EXTERNAL_FIRST = 90_000_000  # external applicant numbers; employee numbers start at 10000001


def _external(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    group = draw(rng, C.APPLICANT_ETHNICITY, n)  # 0 White, 1 BME, 2 Unknown
    p_bme = (group == 1).astype(float)
    eth = P.ethnicity(rng, p_bme, 0.0)
    unknown = group == 2
    unk_codes = np.array([P.CODE[c] for c in C.UNKNOWN_CODE_SHARES])
    eth[unknown] = unk_codes[draw(rng, C.UNKNOWN_CODE_SHARES, int(unknown.sum()))]
    dis = draw(rng, [C.APPLICANT_DISABLED, 1 - C.APPLICANT_DISABLED - C.APPLICANT_DISABILITY_UNKNOWN,
                     C.APPLICANT_DISABILITY_UNKNOWN], n)
    return {"eth": eth, "sex": (rng.random(n) >= C.APPLICANT_FEMALE).astype(np.int8), "dis": dis.astype(np.int8)}


def _year(rng: np.random.Generator, pop: Population, t: int, ext_base: int, vac_base: int) -> dict[str, np.ndarray]:
    """Applications of financial year `t` for every organisation at once."""
    orgs = len(pop.org_codes)
    staff = pop.in_post(t)
    staff = staff[pop.board[staff] == 0]
    s_org = pop.attrs["org"][staff]
    staff = staff[np.argsort(s_org, kind="stable")]
    per_org = np.bincount(s_org, minlength=orgs)
    starts = np.cumsum(per_org) - per_org
    n_apps = rng.poisson(C.APPLICATIONS_PER_7000 * per_org / 7000)
    n = int(n_apps.sum())
    org = np.repeat(np.arange(orgs), n_apps)
    internal = rng.random(n) < C.INTERNAL_APPLICANTS
    pick = staff[starts[org] + np.floor(rng.random(n) * per_org[org]).astype(np.int64)]
    # external applicants: a pool per organisation, some applying to several posts
    pool = np.maximum((n_apps * (1 - C.INTERNAL_APPLICANTS) * .7).astype(np.int64), 1)
    ext_idx = (np.cumsum(pool) - pool)[org] + np.floor(rng.random(n) * pool[org]).astype(np.int64)
    ext = _external(rng, int(pool.sum()))
    a = pop.attrs
    eth = np.where(internal, a["eth"][pick], ext["eth"][ext_idx])
    sex = np.where(internal, a["sex"][pick], ext["sex"][ext_idx])
    dis = np.where(internal, a["dis"][pick], ext["dis"][ext_idx])
    n_vac = np.maximum(np.ceil(n_apps / C.APPLICATIONS_PER_VACANCY).astype(np.int64), 1)
    vacancy = (np.cumsum(n_vac) - n_vac)[org] + np.floor(rng.random(n) * n_vac[org]).astype(np.int64)
    fy0, fy1 = fy_bounds(pop.years[t])
    opened = uniform_days(rng, fy0, fy1 - 21, int(n_vac.sum()))
    date = opened[vacancy] + rng.integers(0, 22, n).astype(np.int32)
    return {"org": org, "internal": internal, "person": pick, "ext": ext_base + ext_idx, "eth": eth,
            "sex": sex, "dis": dis, "vacancy": vac_base + vacancy, "date": date,
            "year": np.full(n, pop.years[t], dtype=np.int64)}


def appointment_probability(eth: np.ndarray, dis: np.ndarray, bias: Biases, years: np.ndarray | None = None,
                            orgs: np.ndarray | None = None, org_codes: list[str] | None = None) -> np.ndarray:
    """P(appointed | shortlisted) per application; `years` (reporting years) lets a bias end (`improve`),
    `orgs` (organisation index per application, codes in `org_codes`) applies one organisation's bias."""
    p = np.full(len(eth), C.APPOINT)
    for name, hit in (("appointment", P.is_bme(eth)), ("appointment_disability", dis == 0)):
        factor = np.full(len(eth), bias[name])
        for (base, code), value in bias.by_org.items():
            if base == name and orgs is not None and code in (org_codes or []):
                factor[orgs == org_codes.index(code)] = value
        if years is not None and name in bias.improve:
            factor[years >= bias.improve[name]] = 1.0
        p[hit] /= factor[hit]
    return p


def applications(rng: np.random.Generator, pop: Population, bias: Biases) -> tuple[pa.Table, dict]:
    years, ext_base, vac_base = [], 1, 1
    for t in range(len(pop.years)):  # loop over years; applications are vectorised
        y = _year(rng, pop, t, ext_base, vac_base)
        ext_base = int(y["ext"].max(initial=ext_base)) + 1
        vac_base = int(y["vacancy"].max(initial=vac_base)) + 1
        years.append(y)
    d = {k: np.concatenate([y[k] for y in years]) for k in years[0]}
    n = len(d["org"])
    p_app = appointment_probability(d["eth"], d["dis"], bias, d["year"], d["org"], pop.org_codes)
    p_offer = p_app / (C.INTERVIEW * (1 - C.DECLINE))
    check_probability("appointment (offer after interview)", float(p_offer.max(initial=0)))
    shortlisted = rng.random(n) < C.SHORTLIST
    interviewed = shortlisted & (rng.random(n) < C.INTERVIEW)
    offered = interviewed & (rng.random(n) < p_offer)
    declined = offered & (rng.random(n) < C.DECLINE)
    appointed = offered & ~declined
    # internal applicants carry their employee number (= person_id); externals a number from 90000001
    applicant = id_col("", np.where(d["internal"], pop.number(d["person"]), EXTERNAL_FIRST + d["ext"]))
    tab = table({
        "application_id": id_col("APL", np.arange(1, n + 1), 8),
        "vacancy_id": id_col("VAC", d["vacancy"], 6),
        "applicant_id": applicant,
        "application_date": date_col(d["date"]),
        "org_code": cat_col(d["org"], pop.org_codes),
        "ethnic_category": cat_col(d["eth"], P.ETHNICITY),
        "sex": cat_col(d["sex"], P.SEXES),
        "disability": cat_col(d["dis"], P.DISABILITY),
        "shortlisted": bool_col(shortlisted), "interviewed": bool_col(interviewed),
        "offered": bool_col(offered), "appointed": bool_col(appointed),
        "offer_declined": bool_col(declined), "internal": bool_col(d["internal"]),
    })
    truth = {}
    for name, m in (("White", P.is_white(d["eth"])), ("BME", P.is_bme(d["eth"])),
                    ("Disabled", d["dis"] == 0), ("Non-disabled", d["dis"] == 1)):
        truth[name] = {"applications": int(m.sum()), "shortlisted": int((m & shortlisted).sum()),
                       "appointed": int((m & appointed).sum())}
    return tab, truth

