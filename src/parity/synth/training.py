"""Training records: non-mandatory courses/CPD (where the training bias acts) and mandatory ones.

A person's courses in a year are distinct, so the table key (person, date, course_id) never repeats;
each course has a learning-system code (``course_id``), as the key uses it rather than the title.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from parity.synth import config as C
from parity.synth import people as P
from parity.synth.arrays import bool_col, cat_col, date_col, id_col, table
from parity.synth.bias import Biases, check_probability
from parity.synth.population import Population, event_days, headcount

NON_MANDATORY = ["Leadership Development Programme", "Clinical Skills Workshop", "Coaching Skills",
                 "Quality Improvement Foundations", "Conference Attendance", "Mentoring Programme",
                 "Masters Module (CPD)", "Project Management", "Research Skills", "Mary Seacole Programme"]
MANDATORY = ["Fire Safety", "Information Governance", "Safeguarding Adults Level 2",
             "Infection Prevention and Control", "Moving and Handling",
             "Equality, Diversity and Human Rights", "Basic Life Support", "Conflict Resolution"]
COURSE_IDS = [f"NM{i + 1:02d}" for i in range(len(NON_MANDATORY))] + [f"M{i + 1:02d}" for i in range(len(MANDATORY))]


def _courses(rng: np.random.Generator, people: np.ndarray, counts: np.ndarray, n_courses: int):
    """Repeat each person `count` times with distinct course numbers."""
    counts = np.minimum(counts, n_courses)
    who = np.repeat(people, counts)
    rank = np.arange(len(who)) - np.repeat(np.cumsum(counts) - counts, counts)
    start = np.repeat(rng.integers(0, n_courses, len(people)), counts)
    return who, (start + rank) % n_courses


def training(rng: np.random.Generator, pop: Population, bias: Biases) -> tuple[pa.Table, dict]:
    eth = pop.attrs["eth"]
    parts, truth = [], {"White": [0, 0], "BME": [0, 0]}
    for t in range(len(pop.years)):  # loop over years; staff are vectorised
        p_bme = check_probability("training", C.NON_MANDATORY / bias.at("training", pop.years[t]))
        staff = headcount(pop, t)
        p = np.where(P.is_bme(eth[staff]), p_bme, C.NON_MANDATORY)
        attend = staff[rng.random(len(staff)) < p]
        for name, fn in (("White", P.is_white), ("BME", P.is_bme)):
            truth[name][0] += int(fn(eth[staff]).sum())
            truth[name][1] += int(fn(eth[attend]).sum())
        who, course = _courses(rng, attend, 1 + rng.poisson(C.EXTRA_COURSES, len(attend)), len(NON_MANDATORY))
        parts.append((who, course, event_days(rng, pop, t, who)))
        who, course = _courses(rng, staff, rng.poisson(C.MANDATORY_COURSES, len(staff)), len(MANDATORY))
        parts.append((who, course + len(NON_MANDATORY), event_days(rng, pop, t, who)))
    who = np.concatenate([p[0] for p in parts])
    course = np.concatenate([p[1] for p in parts])
    date = np.concatenate([p[2] for p in parts])
    tab = table({
        "person_id": id_col("", pop.number(who)),
        "course_date": date_col(date),
        "org_code": cat_col(pop.attrs["org"][who], pop.org_codes),
        "non_mandatory": bool_col(course < len(NON_MANDATORY)),
        "course": cat_col(course, NON_MANDATORY + MANDATORY),
        "course_id": cat_col(course, COURSE_IDS),
    })
    return tab, {g: {"person_years": v[0], "accessed_non_mandatory": v[1]} for g, v in truth.items()}
