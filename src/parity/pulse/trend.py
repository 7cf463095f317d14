"""One question across repeated pulses (same question id, same organisation), with an SPC chart.

Each published pulse that asked the question gives a point: its percentage positive with a Wilson
interval (the same figures as its results page, so closed surveys use every response and open ones
their released steps). With three or more points, a Laney p′ chart (`parity.spc.chart.laney`, as
the change-over-time pages use) says whether the latest moved beyond common-cause variation.
"""

from __future__ import annotations

from parity.pulse.results import results
from parity.pulse.store import PulseStore
from parity.spc.chart import laney

MIN_SPC_POINTS = 3


def trend(store: PulseStore, org: str, question_id: str) -> dict:
    points = []
    for survey in sorted(store.list(org=org), key=lambda s: (s.closes, s.id)):
        if question_id not in {q.id for q in survey.questions}:
            continue
        res = results(store, survey.id)
        q = next((q for q in res.get("questions", []) if q["id"] == question_id), None)
        if q is None or not q["overall"]["n"]:
            continue
        points.append({"survey": survey.id, "title": survey.title, "closes": survey.closes.isoformat(),
                       "state": survey.state, **q["overall"]})
    out = {"org": org, "question": question_id, "points": points, "spc": None}
    if len(points) >= MIN_SPC_POINTS:
        chart = laney([p["positive"] for p in points], [p["n"] for p in points], kind="p", scale=100)
        out["spc"] = {"kind": chart.kind, "centre": round(chart.mean, 2),
                      "upper": [round(float(u), 2) for u in chart.upper],
                      "lower": [round(float(v), 2) for v in chart.lower],
                      "special_cause": chart.special_cause, "variation": chart.variation}
    return out
