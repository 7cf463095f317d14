"""Hypothesis: for random response sets no group of 1–10 is ever shown, and overall minus the shown
groups never pins down a withheld group (issue 16, "protected jointly with its margins")."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulse_helpers import survey

from parity.pulse.bank import ABOUT_YOU
from parity.pulse.protect import withheld
from parity.pulse.results import question_results

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ETHNIC = [v for v, _ in ABOUT_YOU["ethnicity"].options]
AGES = [v for v, _ in ABOUT_YOU["age_band"].options]
SURVEY = survey(about_you=["ethnicity", "disability", "age_band"])

response = st.tuples(st.sampled_from(["agree", "disagree", "strongly_agree", "neither"]),
                     st.sampled_from(["yes", "no"]),
                     # skewed choices, so small groups are common
                     st.sampled_from(["A"] * 6 + ["N", "H", "prefer_not_to_say"] + ETHNIC[:3]),
                     st.sampled_from(["no"] * 5 + ["yes", "prefer_not_to_say"]),
                     st.sampled_from(AGES))


@SETTINGS
@given(st.lists(response, min_size=11, max_size=90))
def test_no_small_group_shown_and_nothing_recoverable(answers):
    rows = [({"q1": a, "q2": b}, {"ethnicity": e, "disability": d, "age_band": g}) for a, b, e, d, g in answers]
    for q in question_results(SURVEY, rows):
        for attr in SURVEY.about_you:
            attribute = ABOUT_YOU[attr]
            groups = [g for g in q["groups"] if g["attribute"] == attr]
            true_n = {name: 0 for name in {attribute.groups[v] for v, _ in attribute.options}}
            for _, about in rows:
                true_n[attribute.groups[about[attr]]] += 1
            assert {g["group"] for g in groups} == set(true_n)  # every group listed, even empty ones
            shown = [g for g in groups if not g["withheld"]]
            assert all(g["n"] >= SURVEY.threshold for g in shown)  # never a group of 1–10
            assert all(g["n"] is None and g["percent"] is None for g in groups if g["withheld"])
            residual = q["overall"]["n"] - sum(g["n"] for g in shown)
            hidden_nonempty = [g["group"] for g in groups if g["withheld"] and true_n[g["group"]] > 0]
            # the withheld total is 0 or a crowd, spread over two or more groups: no one group is the residual
            assert residual == 0 or residual >= SURVEY.threshold
            assert len(hidden_nonempty) != 1
            assert residual == sum(true_n[g] for g in hidden_nonempty)


@SETTINGS
@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 40), min_size=1, max_size=8),
       st.integers(11, 20))
def test_withheld_rule(sizes, threshold):
    hidden = withheld(sizes, threshold)
    assert all(sizes[g] >= threshold for g in sizes if g not in hidden)
    total = sum(sizes[g] for g in hidden)
    assert total == 0 or total >= threshold or hidden == set(sizes)
    assert len([g for g in hidden if sizes[g] > 0]) != 1 or total == sum(sizes.values())
