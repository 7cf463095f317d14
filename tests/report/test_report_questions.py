"""Questions to ask: a versioned data file covering every indicator, selected by the finding."""

from __future__ import annotations

import pytest

from parity.indicators.catalogue import indicators
from parity.report.questions import findings, load_questions, paygap_findings, questions_for

RL = ("adverse", "favourable", "within_range", "inconclusive", "undefined")
SURVEY = ("worse_for_minority", "no_clear_difference", "undefined")


def test_version_and_common_findings():
    data = load_questions()
    assert data["version"]
    assert {"data_quality_high_unknown", "data_quality_low_declaration", "suppressed"} <= set(data["common"])


@pytest.mark.parametrize("ind", indicators("WRES") + indicators("WDES"), ids=lambda i: i.id)
def test_every_indicator_has_questions_for_its_findings(ind):
    own = load_questions()["indicators"][ind.id]
    needed = {"relative_likelihood": RL, "percentages": SURVEY if ind.id != "wdes.8" else ("reported", "undefined"),
              "score": SURVEY, "distribution": ("lower_share_in_senior_bands", "similar_shares", "undefined"),
              "difference": ("under_represented", "representative", "undefined"),
              "narrative": ("supplied", "undefined")}[ind.kind]
    assert set(needed) <= set(own), ind.id
    assert all(q.strip().endswith("?") for qs in own.values() for q in qs)


@pytest.mark.parametrize("by", ["sex", "ethnicity", "disability"])
def test_pay_gaps_covered(by):
    assert {"gap_favours_reference", "no_clear_gap", "withheld"} <= set(load_questions()["indicators"][f"paygap.{by}"])


def test_adverse_appointment_selects_the_funnel_questions():
    ind = {"id": "wres.2", "kind": "relative_likelihood", "value": 1.52, "assessment": "adverse",
           "data_quality": {"unknown_percent": 2.0}}
    assert findings(ind, "WRES") == ["adverse"]
    qs = questions_for("wres.2", findings(ind, "WRES"))
    assert "Are shortlisting and interview panels diverse?" in qs
    assert any("between shortlisting and appointment" in q for q in qs)


def test_survey_direction_and_data_quality():
    worse = {"id": "wres.6", "kind": "percentages", "value": 6.0, "ci_low": 1.0, "ci_high": 11.0,
             "data_quality": {"unknown_percent": 25.0}}
    assert findings(worse, "WRES") == ["worse_for_minority", "data_quality_high_unknown"]
    progression = dict(worse, id="wres.7")  # higher is better: a positive gap favours BME staff
    assert findings(progression, "WRES")[0] == "better_for_minority"
    low = {"id": "wdes.2", "kind": "relative_likelihood", "value": None, "data_quality": {"declaration_rate": 60.0}}
    assert findings(low, "WDES") == ["undefined", "data_quality_low_declaration"]


def test_withheld_value_asks_about_suppression_not_recording():
    ind = {"id": "wres.3", "kind": "relative_likelihood", "value": None,
           "disclosure": {"suppressed_fields": ["indicators[2].value"]}}
    assert findings(ind, "WRES") == ["suppressed"]


def test_paygap_findings():
    result = {"mean_hourly_gap": 12.0}
    assert paygap_findings(result, {"mean": {"ci_low": 5.0, "ci_high": 20.0}},
                           {"band_mix": 9.0, "total_gap": 12.0}, [{"mean_gap": 2.0}]) == [
        "gap_favours_reference", "mostly_band_mix", "within_band_gaps"]
    assert paygap_findings({"withheld": True}, None, None, []) == ["withheld"]
