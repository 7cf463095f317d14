"""Published pulse results: the issue 16 JSON, protected by the threshold and stepped refresh.

``results(store, id)`` gives ``{"survey", "responses", "published", "threshold"}`` and, once the
responses the results may use (`PulseStore.responses`: whole steps of ``threshold``, or all at
close) reach the threshold, ``questions``: per yes/no or agreement question the overall percentage
positive (Wilson interval, `parity.stats.wilson`) and, once the survey is closed, each "about you"
group's, withheld by the rule in `parity.pulse.protect`. A shown group is compared with its attribute's reference group
(White, Non-disabled) or, where there is none, with everyone else: the difference in percentage
points with Newcombe's interval, a chi-square or Fisher p-value, Benjamini–Hochberg across every
comparison in the survey, and the standards' words (`parity.indicators.narrative.percentages`,
certainty tags from `parity.stats.certainty`).
"""

from __future__ import annotations

import numpy as np

from parity import stats
from parity.indicators.narrative import percentages
from parity.pulse.bank import ABOUT_YOU, POSITIVE, group_order
from parity.pulse.protect import withheld
from parity.pulse.store import PulseStore
from parity.pulse.survey import Survey
from parity.stats._table_tests import two_by_two_p_value

CONFIDENCE = 0.95
FDR = 0.05
#: expected counts below this use Fisher's exact test (as the standards' tables do)
SMALL_COUNT = 5


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 2)


def _figures(positive: int, n: int) -> dict:
    p = stats.wilson(positive, n, confidence=CONFIDENCE)
    return {"n": n, "positive": positive, "percent": _r(p.percent), "ci_low": _r(p.ci_low), "ci_high": _r(p.ci_high)}


def _group_counts(rows: list[tuple[dict, dict]], qid: str, qtype: str, attr: str) -> dict[str, list[int]]:
    attribute = ABOUT_YOU[attr]
    counts = {g: [0, 0] for g in group_order(attribute)}  # group → [positive, n]
    for answers, about in rows:
        if qid in answers and attr in about:
            cell = counts[attribute.groups[about[attr]]]
            cell[0] += answers[qid] in POSITIVE[qtype]
            cell[1] += 1
    return counts


#: why a group is withheld (``reason``): the threshold — too few people, or hidden so that a smaller group
#: cannot be worked out (one reason for both: telling them apart would say which groups are large) —
#: or the survey is still open (groups are shown only at close)
THRESHOLD, UNTIL_CLOSE = "threshold", "until_close"


def _withheld(attr: str, group: str, reason: str) -> dict:
    return {"attribute": attr, "group": group, "n": None, "percent": None, "ci_low": None, "ci_high": None,
            "withheld": True, "reason": reason}


def _groups(counts: dict[str, list[int]], attr: str, threshold: int) -> list[dict]:
    hidden = withheld({g: n for g, (_, n) in counts.items()}, threshold)
    out = []
    for g, (pos, n) in counts.items():
        if g in hidden:
            out.append(_withheld(attr, g, THRESHOLD))
        else:
            f = _figures(pos, n)
            out.append({"attribute": attr, "group": g, "n": n, "positive": pos, "percent": f["percent"],
                        "ci_low": f["ci_low"], "ci_high": f["ci_high"], "withheld": False})
    return out


def _compare(text: str, group: dict, ref_name: str, ref: tuple[int, int]) -> dict:
    """``group`` against the reference (``ref`` = positive, n), in the standards' words."""
    a, na, b, nb = group["positive"], group["n"], *ref
    d = stats.difference_of_proportions(a, na, b, nb, confidence=CONFIDENCE)
    p, test = two_by_two_p_value(np.array([[a, na - a], [b, nb - b]]), small_count=SMALL_COUNT)
    sure = stats.certainty(d.ci_low, d.ci_high, no_difference=0.0)
    words = percentages(title=text, group_a=group["group"], group_b=ref_name, pa=100 * a / na, pb=100 * b / nb,
                        counts=(a, na, b, nb), diff=d.value, ci=(d.ci_low, d.ci_high), survey_year=None,
                        higher_is_worse=None, certainty=sure)
    return {"vs": ref_name, "difference": _r(d.value), "ci_low": _r(d.ci_low), "ci_high": _r(d.ci_high),
            "method": d.method, "p_value": p, "test": test, "certainty": sure, "narrative": words}


def _comparisons(text: str, groups: list[dict], attr: str, overall: dict) -> None:
    """Add ``comparison`` to every shown group that has something to be compared with."""
    reference = ABOUT_YOU[attr].reference
    shown = {g["group"]: g for g in groups if not g["withheld"]}
    for g in shown.values():
        if reference is not None:
            if g["group"] == reference or reference not in shown:
                continue
            ref = shown[reference]
            g["comparison"] = _compare(text, g, reference, (ref["positive"], ref["n"]))
        elif overall["n"] - g["n"] > 0:  # everyone else: overall minus a shown group, itself shown
            g["comparison"] = _compare(text, g, "everyone else",
                                       (overall["positive"] - g["positive"], overall["n"] - g["n"]))


def _adjust(questions: list[dict]) -> None:
    """Benjamini–Hochberg across every comparison of the survey (all questions and attributes)."""
    found = [g["comparison"] for q in questions for g in q["groups"] if "comparison" in g]
    if not found:
        return
    adjusted, rejected = stats.benjamini_hochberg([c["p_value"] for c in found], alpha=FDR)
    for c, adj, rej in zip(found, adjusted, rejected, strict=True):
        c["p_adjusted"] = None if np.isnan(adj) else round(float(adj), 4)
        c["significant"] = bool(rej)
        c["p_value"] = None if c["p_value"] is None else round(float(c["p_value"]), 4)


def results(store: PulseStore, survey_id: str) -> dict:
    """The results JSON (docs/pulse.md, "Results"); nothing beyond the counts until published."""
    survey = store.get(survey_id)
    rows = store.responses(survey_id)
    out = {"survey": survey_id, "responses": store.response_count(survey_id),
           "published": len(rows) >= survey.threshold, "threshold": survey.threshold}
    if not out["published"]:
        return out
    out.update({"title": survey.title, "org": survey.org, "state": survey.state, "used": len(rows),
                "closes": survey.closes.isoformat()})
    # Group breakdowns only once the survey is closed: while it is open, comparing a group's figures
    # before and after a step would show the answers of the few group members that step added
    # (White 15 → 24 and BME 11 → 13 gives away two BME colleagues' answers). The overall figure
    # moves by `threshold` answers at a time, which is safe.
    out["groups_published"] = survey.state == "closed"
    out["questions"] = question_results(survey, rows, with_groups=out["groups_published"])
    return out


def question_results(survey: Survey, rows: list[tuple[dict, dict]], *, with_groups: bool = True) -> list[dict]:
    """The protected ``questions`` list from (answers, about you) rows; the caller checks the
    threshold for the whole survey first (`results`). ``with_groups=False``: every group withheld (``reason`` ``until_close``)."""
    questions = []
    for q in survey.questions:
        if q.type == "text":
            continue
        answered = [a[q.id] for a, _ in rows if q.id in a]
        overall = _figures(sum(v in POSITIVE[q.type] for v in answered), len(answered))
        groups = []
        for attr in survey.about_you:
            if not with_groups:  # listed, so the page can say why, but every one withheld until close
                groups += [_withheld(attr, g, UNTIL_CLOSE) for g in group_order(ABOUT_YOU[attr])]
                continue
            attr_groups = _groups(_group_counts(rows, q.id, q.type, attr), attr, survey.threshold)
            _comparisons(q.text, attr_groups, attr, overall)
            groups += attr_groups
        questions.append({"id": q.id, "text": q.text, "type": q.type, "bank": q.bank, "overall": overall,
                          "groups": groups})
    _adjust(questions)
    return questions
