"""protect() on real WRES result dicts built from a small in-memory trust."""

from __future__ import annotations

import copy
import json
import re

import pytest

import parity
from parity.disclosure import MARKING, DisclosureRule, protect

ALLOWED_IN_WRES3 = {  # numbers that may remain in indicator 3: none of them involve the one BME case
    "groups.White.numerator", "groups.White.denominator", "groups.BME.denominator", "groups.Unknown.numerator",
    "groups.Unknown.denominator", "confidence", "data_quality.total", "data_quality.unknown_count",
    "data_quality.unknown_percent",
}


def leaves(doc, path=""):
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from leaves(v, f"{path}.{k}" if path else k)
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from leaves(v, f"{path}[{i}]")
    else:
        yield path, doc


@pytest.fixture(scope="module")
def one_bme_case():
    """One BME person of 30 disciplined; 12 White of 200; indicator 2 with healthy numbers."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("_t", Path(__file__).parents[1] / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    trust = module.Trust()
    bme = trust.staff(30, ethnic_category="M")
    white = trust.staff(200, ethnic_category="B", pay_band="6")
    trust.add("disciplinary", person_id=bme[0])
    for person in white[:12]:
        trust.add("disciplinary", person_id=person)
    trust.add("applications", 40, ethnic_category="A", appointed=True)
    trust.add("applications", 60, ethnic_category="A")
    trust.add("applications", 20, ethnic_category="N", appointed=True)
    trust.add("applications", 30, ethnic_category="N")
    return parity.wres(trust.connect(), year=2025).to_dict()


def test_the_one_disciplined_bme_person_cannot_be_inferred(one_bme_case):
    original = one_bme_case
    assert original["indicators"][2]["groups"]["BME"]["numerator"] == 1  # the scenario really has the 1
    out = protect(original)
    ind = out["indicators"][2]
    assert ind["id"] == "wres.3"
    for name in ("value", "ci_low", "ci_high", "p_value", "assessment", "within_non_adverse_range"):
        assert ind[name] is None, name
    assert ind["groups"]["BME"]["numerator"] is None
    assert not re.search(r"\b1\b", ind["narrative"]) and "withheld" in ind["narrative"]
    for path, value in leaves(ind):
        if isinstance(value, int | float) and not isinstance(value, bool) and path not in ALLOWED_IN_WRES3:
            raise AssertionError(f"wres.3 still shows {path} = {value}")
    text = json.dumps(out, ensure_ascii=False)
    assert not re.search(r"\b1 of\b", text)
    assert "indicators[2].groups.BME.numerator" in out["suppressed"]
    assert ind["disclosure"]["reason"].startswith("Counts of 1 to 9 are withheld")
    # what is not small stays: the White figures and all of indicator 2
    assert ind["groups"]["White"] == {"numerator": 12, "denominator": 200}
    assert out["indicators"][1] == original["indicators"][1]
    assert original["indicators"][2]["groups"]["BME"]["numerator"] == 1  # input untouched


def test_top_level_disclosure_block(one_bme_case):
    out = protect(one_bme_case, DisclosureRule(k=5, marker="[c]"))
    assert out["disclosure"]["rule"] == {"k": 5, "suppress_zero": False, "marker": "[c]", "survey_min_responses": 11}
    assert out["disclosure"]["cells_suppressed"] >= 1
    assert out["disclosure"]["methods_note"] == DisclosureRule(k=5, marker="[c]").methods_note()
    assert set(out["suppressed"]) >= {"indicators[2].groups.BME.numerator"}


def test_unsuppressed_view_is_marked_and_unchanged(one_bme_case):
    out = protect(one_bme_case, unsuppressed=True)
    assert out["not_for_publication"] is True and out["marking"] == MARKING
    assert {k: v for k, v in out.items() if k not in ("not_for_publication", "marking")} == one_bme_case
    assert "not_for_publication" not in protect(one_bme_case)


def survey(one_bme_case, bme_responses: int, bme_yes: int) -> dict:
    result = copy.deepcopy(one_bme_case)
    ind = result["indicators"][4]
    assert ind["kind"] == "percentages"
    ind["groups"] = {"White": {"numerator": 40, "denominator": 120, "percent": 33.3, "ci_low": 25.5, "ci_high": 42.2},
                     "BME": {"numerator": bme_yes, "denominator": bme_responses, "percent": 0.0, "ci_low": 0.0,
                             "ci_high": 27.8},
                     "Unknown": {"numerator": 0, "denominator": 0, "percent": None, "ci_low": None, "ci_high": None}}
    ind.update(value=-33.3, ci_low=-45.0, ci_high=-5.0, narrative="33.3% of White respondents (40 of 120) ...")
    ind["difference"].update(value=-33.3, ci_low=-45.0, ci_high=-5.0)
    ind["data_quality"] = {"unknown_count": 0, "total": 120 + bme_responses, "unknown_percent": 0.0}
    return result


def test_survey_group_of_10_is_withheld(one_bme_case):
    ind = protect(survey(one_bme_case, 10, 0))["indicators"][4]
    assert all(ind["groups"]["BME"][k] is None for k in ("numerator", "denominator", "percent", "ci_low", "ci_high"))
    assert ind["value"] is None and ind["difference"]["value"] is None
    assert "fewer than 11 survey responses" in ind["narrative"]
    assert ind["groups"]["White"]["numerator"] == 40  # the total is hidden instead of White's figures
    assert ind["data_quality"]["total"] is None
    assert "fewer than 11 survey responses" in ind["disclosure"]["reason"]


def test_survey_group_of_11_is_shown(one_bme_case):
    ind = protect(survey(one_bme_case, 11, 0))["indicators"][4]
    assert ind["groups"]["BME"]["denominator"] == 11 and ind["value"] == -33.3
    assert "disclosure" not in ind


def test_survey_numerators_are_counts_too(one_bme_case):
    ind = protect(survey(one_bme_case, 40, 4))["indicators"][4]
    assert ind["groups"]["BME"]["numerator"] is None and ind["groups"]["BME"]["percent"] is None
