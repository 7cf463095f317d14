"""The organisation hierarchy and the further protected characteristics of generated staff (issue 17).

Each person gets a division, directorate, department and site, drawn from their staff group (a
nurse is mostly in Medicine or Surgery, a porter in Corporate), and a religion, sexual orientation
and marital status. Everything is drawn from its own random stream *after* the population is
simulated, so adding it changed no other table. People stay in their department for the whole
period (a simplification, stated in docs/synth.md). Shares and their sources: docs/synth.md.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parity.contract.codes import MARITAL_STATUSES, RELIGIONS, SEXUAL_ORIENTATIONS
from parity.synth import people as P
from parity.synth.arrays import cat_col, draw, stream
from parity.synth.population import FIRST_PERSON, Population

#: division → directorate → departments (ESR Org L3, L4, L5)
HIERARCHY: dict[str, dict[str, tuple[str, ...]]] = {
    "Surgery": {"Theatres and Anaesthetics": ("Theatres", "Anaesthetics"),
                "Surgical Specialties": ("General Surgery", "Trauma and Orthopaedics", "Urology")},
    "Medicine": {"Urgent and Emergency Care": ("Emergency Department", "Acute Medical Unit"),
                 "Specialist Medicine": ("Cardiology", "Respiratory Medicine", "Elderly Care")},
    "Women and Children": {"Maternity": ("Labour Ward", "Antenatal Clinic"),
                           "Paediatrics": ("Children's Ward", "Neonatal Unit")},
    "Clinical Support": {"Diagnostics": ("Radiology", "Pathology"),
                         "Therapies and Pharmacy": ("Therapies", "Pharmacy")},
    "Corporate": {"Finance and Estates": ("Finance", "Estates and Facilities"),
                  "Workforce and Digital": ("Human Resources", "Digital Services")},
}
DIVISIONS = tuple(HIERARCHY)
DIRECTORATES = tuple(d for div in HIERARCHY.values() for d in div)
DEPARTMENTS = tuple(x for div in HIERARCHY.values() for deps in div.values() for x in deps)
#: department index → directorate index → division index
DEPT_DIRECTORATE = np.array([i for i, deps in enumerate(d for div in HIERARCHY.values() for d in div.values())
                             for _ in deps])
DIRECTORATE_DIVISION = np.array([i for i, div in enumerate(HIERARCHY.values()) for _ in div])
SITES = ("Main Hospital", "Community Hospital", "North Site")
SITE_SHARES = (.70, .18, .12)

#: P(division | staff group), staff groups in `people.STAFF_GROUPS` order (the last: non-executives)
DIVISION_BY_STAFF_GROUP = {
    "01": (.35, .35, .15, .15, 0), "02": (.25, .35, .25, .15, 0), "03": (.28, .40, .22, .08, .02),
    "04": (.10, .15, .05, .65, .05), "05": (.05, .10, .05, .80, 0), "06": (.05, .10, 0, .85, 0),
    "07": (.25, .40, .20, .15, 0), "08": (.12, .15, .08, .10, .55), "09": (0, 0, 0, .10, .90),
    "10": (0, 0, 0, 0, 1),
}

#: religion by broad ethnic group (codes of `codes.RELIGIONS`, in order)
RELIGION_SHARES = {
    "White": (.30, .50, .005, .002, .008, .005, .001, .01, .15, .019),
    "BME": (.07, .36, .02, .14, .002, .20, .03, .02, .14, .018),
    "Unknown": (.10, .20, .005, .02, .002, .04, .005, .01, .50, .118),
}
#: sexual orientation (codes 1, 2, 3, 4, U, Z, 9)
SEXUAL_ORIENTATION_SHARES = (.78, .018, .017, .003, .002, .14, .04)
#: marital status (codes S, M, D, W, P, N, 8, 9)
MARITAL_SHARES = (.34, .47, .07, .01, .02, .06, 0, .03)


def assign(seed: int, pop: Population) -> None:
    """Add ``dept``, ``site``, ``rel``, ``so``, ``mar`` (indices) to `pop.attrs`, from own streams."""
    a, n = pop.attrs, pop.size
    rng = stream(seed, "units")
    division = np.zeros(n, np.int16)
    for g, name in enumerate(P.STAFF_GROUPS):  # loop over 10 staff groups, vectorised within
        m = a["sg"] == g
        division[m] = draw(rng, DIVISION_BY_STAFF_GROUP[name], int(m.sum()))
    dept = np.zeros(n, np.int16)
    for d in range(len(DIVISIONS)):  # a department of the division, uniformly
        m = division == d
        choices = np.flatnonzero(DIRECTORATE_DIVISION[DEPT_DIRECTORATE] == d)
        dept[m] = choices[rng.integers(0, len(choices), int(m.sum()))]
    a["dept"] = dept
    a["site"] = draw(rng, SITE_SHARES, n)
    rng = stream(seed, "characteristics")
    rel = np.zeros(n, np.int16)
    groups = {"White": P.is_white(a["eth"]), "BME": P.is_bme(a["eth"])}
    groups["Unknown"] = ~(groups["White"] | groups["BME"])
    for name, m in groups.items():
        rel[m] = draw(rng, RELIGION_SHARES[name], int(m.sum()))
    a["rel"] = rel
    a["so"] = draw(rng, SEXUAL_ORIENTATION_SHARES, n)
    a["mar"] = draw(rng, MARITAL_SHARES, n)


def division_of(pop: Population, person: np.ndarray) -> np.ndarray:
    return DIRECTORATE_DIVISION[DEPT_DIRECTORATE[pop.attrs["dept"][person]]]


def unit_columns(pop: Population, person: np.ndarray, *, esr: bool = False) -> dict[str, pa.Array]:
    """The hierarchy columns of `person` (canonical names, or ESR headings with `esr`)."""
    dept = pop.attrs["dept"][person]
    directorate = DEPT_DIRECTORATE[dept]
    names = ("Org L3", "Org L4", "Org L5", "Site") if esr else ("org_l3", "org_l4", "org_l5", "site")
    values = (cat_col(DIRECTORATE_DIVISION[directorate], DIVISIONS), cat_col(directorate, DIRECTORATES),
              cat_col(dept, DEPARTMENTS), cat_col(pop.attrs["site"][person], SITES))
    return dict(zip(names, values, strict=True))


RELIGION_ESR = ("Atheism", "Christianity", "Buddhism", "Hinduism", "Judaism", "Islam", "Sikhism", "Other",
                "I do not wish to disclose my religion/belief", "")
ORIENTATION_ESR = ("Heterosexual or Straight", "Gay or Lesbian", "Bisexual", "Other sexual orientation not listed",
                   "Not sure", "I do not wish to disclose my sexual orientation", "")
MARITAL_ESR = ("Single", "Married", "Divorced", "Widowed", "Separated", "Not Disclosed", "Not applicable", "")


def characteristic_columns(pop: Population, person: np.ndarray, *, esr: bool = False) -> dict[str, pa.Array]:
    """Religion, sexual orientation and marital status of `person` (codes, or ESR labels with `esr`)."""
    a = pop.attrs
    if esr:
        return {"Religious Belief": cat_col(a["rel"][person], RELIGION_ESR),
                "Sexual Orientation": cat_col(a["so"][person], ORIENTATION_ESR),
                "Marital Status": cat_col(a["mar"][person], MARITAL_ESR)}
    return {"religion": cat_col(a["rel"][person], list(RELIGIONS)),
            "sexual_orientation": cat_col(a["so"][person], list(SEXUAL_ORIENTATIONS)),
            "marital_status": cat_col(a["mar"][person], list(MARITAL_STATUSES))}


def person_index(tab: pa.Table, column: str = "person_id") -> np.ndarray:
    """Population indices of a generated table's employee numbers."""
    return pc.cast(tab[column], pa.int64()).to_numpy() - FIRST_PERSON


def with_units(name: str, tab: pa.Table, pop: Population, seed: int) -> pa.Table:
    """Generated table `name` with the hierarchy (and, for workforce, the characteristics) appended."""
    if name in ("workforce", "disciplinary", "capability", "training", "leavers"):
        person = person_index(tab)
        cols = characteristic_columns(pop, person) if name == "workforce" else {}
        cols |= unit_columns(pop, person)
    elif name == "applications":
        cols = hiring_units(tab, pop, seed)
    else:
        return tab
    for col, arr in cols.items():
        tab = tab.append_column(col, arr)
    return tab


def hiring_units(tab: pa.Table, pop: Population, seed: int) -> dict[str, pa.Array]:
    """Each vacancy's hiring department (staff-weighted across departments); applicants' characteristics
    are not generated (applications carry the hierarchy only)."""
    rng = stream(seed, "hiring units")
    vacancy, codes = np.unique(tab["vacancy_id"].to_numpy(zero_copy_only=False), return_inverse=True)
    weights = np.bincount(pop.attrs["dept"], minlength=len(DEPARTMENTS)).astype(float)
    dept = draw(rng, weights, len(vacancy))[codes]
    site = draw(rng, SITE_SHARES, len(vacancy))[codes]
    directorate = DEPT_DIRECTORATE[dept]
    return {"org_l3": cat_col(DIRECTORATE_DIVISION[directorate], DIVISIONS),
            "org_l4": cat_col(directorate, DIRECTORATES), "org_l5": cat_col(dept, DEPARTMENTS),
            "site": cat_col(site, SITES)}
