"""NHS Staff Survey style responses (one survey per calendar year Y−1 for reporting year Y) and the
question map that tells the indicators which answers count.

Answers are drawn with the same probabilities for every group (no survey bias is injected);
disability is self-declared in the survey far more often than in ESR, as nationally.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from parity.synth import config as C
from parity.synth import people as P
from parity.synth.arrays import cat_col, draw, id_col, table
from parity.synth.population import Population, headcount

FREQ = ["Never", "1-2", "3-5", "6-10", "More than 10"]
YND = ["Yes", "No", "Don't know"]
AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
SCALE = ["1", "2", "3", "4", "5"]
#: question column → (answers, probabilities)
QUESTIONS: dict[str, tuple[list[str], list[float]]] = {
    "q_harassment_public": (FREQ, [.72, .15, .07, .03, .03]),
    "q_harassment_manager": (FREQ, [.89, .07, .02, .01, .01]),
    "q_harassment_colleagues": (FREQ, [.81, .12, .04, .015, .015]),
    "q_reported": (YND, [.45, .45, .10]),  # routed: only those harassed answer
    "q_equal_opportunities": (YND, [.55, .15, .30]),
    "q_discrimination": (["Yes", "No"], [.09, .91]),
    "q_pressure_work_unwell": (["Yes", "No", "Not applicable"], [.20, .50, .30]),
    "q_valued": (AGREE, [.08, .17, .27, .38, .10]),
    "q_adjustments": (["Yes", "No", "Not applicable"], [.70, .15, .15]),  # Disabled only
    **{f"q_eng_{i}": (SCALE, [.05, .10, .25, .42, .18]) for i in range(1, 10)},
}
ITEM_NONRESPONSE = .015
#: indicator → (question column(s), "|"-separated: positive on any), positive answers, excluded
#: answers (";"-separated), kind — the same as the packaged default in parity.indicators
_HARMED = ";".join(FREQ[1:])
QUESTION_MAP: dict[str, tuple[str, str, str, str]] = {
    "wres.5": ("q_harassment_public", _HARMED, "", "percent"),
    "wres.6": ("q_harassment_manager|q_harassment_colleagues", _HARMED, "", "percent"),
    "wres.7": ("q_equal_opportunities", "Yes", "Don't know", "percent"),
    "wres.8": ("q_discrimination", "Yes", "", "percent"),
    "wdes.4a.i": ("q_harassment_public", _HARMED, "", "percent"),
    "wdes.4a.ii": ("q_harassment_manager", _HARMED, "", "percent"),
    "wdes.4a.iii": ("q_harassment_colleagues", _HARMED, "", "percent"),
    "wdes.4b": ("q_reported", "Yes", "Don't know;Not applicable", "percent"),
    "wdes.5": ("q_equal_opportunities", "Yes", "Don't know", "percent"),
    "wdes.6": ("q_pressure_work_unwell", "Yes", "Not applicable", "percent"),
    "wdes.7": ("q_valued", "Agree;Strongly agree", "", "percent"),
    "wdes.8": ("q_adjustments", "Yes", "Not applicable;Don't know", "percent"),
    "wdes.9a": ("|".join(f"q_eng_{i}" for i in range(1, 10)), "", "", "score"),
}


def question_map(survey_years: list[int]) -> pa.Table:
    rows = [(y, ind, *spec) for y in survey_years for ind, spec in QUESTION_MAP.items()]
    names = ["survey_year", "indicator", "question", "positive", "exclude", "kind"]
    return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})


def _answers(rng: np.random.Generator, name: str, n: int, asked: np.ndarray | None = None):
    """Answer codes (len(labels) = blank) and the column."""
    labels, p = QUESTIONS[name]
    codes = draw(rng, p, n).astype(np.int32)
    blank = rng.random(n) < ITEM_NONRESPONSE
    if asked is not None:
        blank |= ~asked
    codes[blank] = len(labels)
    return codes, cat_col(codes, labels + [None])


def responses(rng: np.random.Generator, pop: Population) -> tuple[pa.Table, dict]:
    parts = []
    for t, year in enumerate(pop.years):  # one survey per year; respondents vectorised
        staff = headcount(pop, t)
        resp = staff[rng.random(len(staff)) < C.SURVEY_RESPONSE]
        parts.append((np.full(len(resp), year - 1, np.int64), resp))
    survey_year = np.concatenate([p[0] for p in parts])
    person = np.concatenate([p[1] for p in parts])
    n = len(person)
    a = pop.attrs
    eth = a["eth"][person].copy()
    eth[rng.random(n) < .03] = P.CODE[""]
    dis = a["dis"][person].copy()
    declares = (dis != 0) & (rng.random(n) < C.SURVEY_DISABLED_EXTRA)
    dis[declares] = 0
    dis[(dis == 1) & (rng.random(n) < .03)] = 2
    sex = a["sex"][person].copy()
    u = rng.random(n)
    sex[u < .02] = 3  # prefer not to say
    sex[u < .005] = 2  # other
    cols: dict[str, pa.Array] = {
        "response_id": id_col("SR", np.arange(1, n + 1), 8),
        "survey_year": pa.array(survey_year),
        "org_code": cat_col(a["org"][person], pop.org_codes),
        "ethnic_category": cat_col(eth, P.ETHNICITY),
        "disability": cat_col(dis, P.DISABILITY),
        "sex": cat_col(sex, P.SEXES),
    }
    harmed = None
    for q in QUESTIONS:
        asked = harmed if q == "q_reported" else (dis == 0) if q == "q_adjustments" else None
        codes, cols[q] = _answers(rng, q, n, asked=asked)
        if q.startswith("q_harassment"):
            hit = (codes >= 1) & (codes <= 4)
            harmed = hit if harmed is None else harmed | hit
    truth = {"responses": n, "disabled_share": float((dis == 0).mean()) if n else 0.0}
    return table(cols), truth
