"""``ground_truth.json``: what was generated, every bias with its meaning and exact parameters,
and the realised group shares and counts (so a reader can check the indicators against them)."""

from __future__ import annotations

import numpy as np

from parity.synth import config as C
from parity.synth import people as P
from parity.synth import units as U
from parity.synth.core import Synth
from parity.synth.population import bme_promotion


def bias_parameters(s: Synth) -> dict[str, dict]:
    b = s.bias
    codes, sex = C.INTERSECTION_GROUPS[b.intersection_group]
    params = {
        "appointment": {"defined_as": "P(appointed | shortlisted)", "white": C.APPOINT,
                        "bme": C.APPOINT / b["appointment"]},
        "disciplinary": {"defined_as": "P(entering formal disciplinary in a year)", "white": C.DISCIPLINARY_FORMAL,
                         "bme": C.DISCIPLINARY_FORMAL * b["disciplinary"]},
        "training": {"defined_as": "P(at least one non-mandatory course in a year)", "white": C.NON_MANDATORY,
                     "bme": C.NON_MANDATORY / b["training"]},
        "progression": {"defined_as": "P(promoted one band in a year | AfC band below the group's top)",
                        "white": C.PROMOTION, "bme": C.PROMOTION / b["progression"]},
        "promotion_hazard": {"defined_as": "P(promoted one band in a year | AfC band below the group's top); "
                             "BME = 1 - (1 - White)^R: hazard ratio R on the continuous time scale",
                             "hazard_ratio": b["promotion_hazard"], "white": C.PROMOTION,
                             "bme": bme_promotion(C.PROMOTION, b["progression"], b["promotion_hazard"])},
        "capability": {"defined_as": "P(entering formal capability in a year)",
                       "non_disabled": C.CAPABILITY_FORMAL, "disabled": C.CAPABILITY_FORMAL * b["capability"]},
        "appointment_disability": {"defined_as": "P(appointed | shortlisted)", "non_disabled": C.APPOINT,
                                   "disabled": C.APPOINT / b["appointment_disability"]},
        "pay_gap_sex": {"women_hourly_multiplier": 1 - b["pay_gap_sex"]},
        "pay_gap_ethnicity": {"bme_hourly_multiplier": 1 - b["pay_gap_ethnicity"]},
        "intersection": {"group": b.intersection_group, "codes": list(codes), "sex": sex,
                         "everyone_else": C.DISCIPLINARY_FORMAL,
                         "group_probability": C.DISCIPLINARY_FORMAL * b["intersection"]},
    }
    return {name: {"value": b[name], "injected": b[name] != spec.neutral, "neutral": spec.neutral,
                   "meaning": spec.meaning, "parameters": params[name],
                   **({"ends_in_reporting_year": b.improve[name]} if name in b.improve else {}),
                   **({"by_organisation": {o: v for (n, o), v in b.by_org.items() if n == name}}
                      if any(n == name for n, _ in b.by_org) else {}),
                   **({"by_division": {d: v for (n, d), v in b.by_unit.items() if n == name}}
                      if any(n == name for n, _ in b.by_unit) else {})}
            for name, spec in C.BIASES.items()}


def group_shares(s: Synth) -> dict[str, dict[str, float]]:
    """Shares of people (primary assignments, including bank) at each snapshot."""
    a, out = s.pop.attrs, {}
    for t, year in enumerate(s.years):
        idx = s.pop.in_post(t)
        eth, n = a["eth"][idx], max(len(idx), 1)
        out[f"{year}-03-31"] = {
            "people": len(idx),
            "white": float(P.is_white(eth).sum() / n), "bme": float(P.is_bme(eth).sum() / n),
            "ethnicity_unknown": float((eth >= P.N_WHITE + P.N_BME).sum() / n),
            "female": float((a["sex"][idx] == 0).sum() / n),
            "disabled": float((a["dis"][idx] == 0).sum() / n),
            "disability_unknown": float((a["dis"][idx] == 2).sum() / n),
        }
    return out


def hierarchy_truth(s: Synth) -> dict:
    """The generated divisions → directorates → departments, and people in post in each division at the
    last snapshot (issue 17; docs/synth.md)."""
    idx = s.pop.in_post(len(s.years) - 1)
    per = np.bincount(U.division_of(s.pop, idx), minlength=len(U.DIVISIONS))
    return {"levels": {"org_l3": "division", "org_l4": "directorate", "org_l5": "department"},
            "divisions": {d: {k: list(v) for k, v in dirs.items()} for d, dirs in U.HIERARCHY.items()},
            "sites": list(U.SITES),
            "people_in_post_by_division": dict(zip(U.DIVISIONS, map(int, per), strict=True))}


def ground_truth(s: Synth, rows: dict[str, int]) -> dict:
    last = len(s.years) - 1
    idx = s.pop.in_post(last)
    org_people = np.bincount(s.pop.attrs["org"][idx], minlength=s.orgs)
    return {
        "generator": "parity synth",
        "seed": s.seed,
        "sizes": {"staff": s.staff, "years": len(s.years), "orgs": s.orgs,
                  "snapshots": [f"{y}-03-31" for y in s.years],
                  "survey_years": [y - 1 for y in s.years],
                  "people_in_post_by_org": dict(zip(s.pop.org_codes, map(int, org_people), strict=True)),
                  "rows": rows},
        "biases": bias_parameters(s),
        "intersection_group": s.bias.intersection_group,
        "base_rates": {"shortlisting": C.SHORTLIST, "interview_given_shortlisted": C.INTERVIEW,
                       "offer_declined": C.DECLINE, "disciplinary_informal": C.DISCIPLINARY_INFORMAL,
                       "capability_informal": C.CAPABILITY_INFORMAL, "capability_ill_health": C.CAPABILITY_ILL_HEALTH,
                       "leave_rate_by_category": C.LEAVE_RATE, "survey_response": C.SURVEY_RESPONSE,
                       "cea_share_of_consultants": C.CEA_SHARE},
        "realised_group_shares": group_shares(s),
        "hierarchy": hierarchy_truth(s),
        "realised_counts": s.realised,
        "notes": [
            "Casework, training and survey populations: staff in post at the snapshot ending each "
            "financial year, excluding bank-only staff and non-executive directors.",
            "Relative likelihoods are exact in expectation when computed as in `realised_counts` "
            "(appointment: appointed / shortlisted, all shortlisted applicants).",
            "Biases multiply: with both disciplinary and intersection injected, BME women in the "
            "intersection group get base × disciplinary × intersection.",
            "The overall pay gap also reflects the band mix; the injected gap is within band.",
            "A bias for one division (NAME@DIVISION=R) multiplies the group's probability in that division "
            "only (BME staff for disciplinary, Disabled staff for capability), on top of any "
            "organisation-wide bias.",
        ],
    }
