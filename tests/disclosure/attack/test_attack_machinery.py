"""The attacker can succeed: hand-worked cases it must recover, and cases it must not."""

from __future__ import annotations

import copy

from attack_audit import LAST_YEAR, Audit, audit, check_documents, targets
from attack_extract import of_pairs
from attack_lp import Bounds, System
from attack_model import Document, Model, build_model


def rl_doc(*, white=(12, 120), bme=(None, 80), value=None, org="X", year=2025, truth_bme=4) -> Document:
    """A one-indicator WRES document: BME ÷ White; `bme[0]` None = withheld."""
    ind = {"id": "wres.3", "kind": "relative_likelihood", "direction": "BME ÷ White", "value": value,
           "groups": {"White": {"numerator": white[0], "denominator": white[1]},
                      "BME": {"numerator": bme[0], "denominator": bme[1]}}}
    raw = copy.deepcopy(ind)
    raw["groups"]["BME"]["numerator"] = truth_bme
    raw["value"] = (truth_bme / bme[1]) / (white[0] / white[1])
    return Document(org, year, {"WRES": {"indicators": [ind]}}, {"WRES": {"indicators": [raw]}})


def test_bounds_count_integers():
    assert Bounds(3.0, 3.0).pinned and Bounds(2.6, 3.4).pinned and not Bounds(3.0, 4.0).pinned
    assert Bounds(0.2, 0.8).integers == 0 and not Bounds(0.0, float("inf")).pinned


def test_withheld_cell_with_nothing_derived_is_safe():
    doc = rl_doc()
    model = build_model([doc])
    (t,) = [t for t in targets([doc], 10) if t.what == "count"]
    b = System(model.constraints).bounds(t.coefs)
    assert (b.low, b.high) == (0.0, 80.0)  # 0 <= numerator <= published denominator 80


def test_published_ratio_pins_the_cell():
    # (n / 80) / (12 / 120) = 0.5  =>  n = 0.5 * 0.1 * 80 = 4, worked by hand
    doc = rl_doc(value=0.5)
    model = build_model([doc])
    (t,) = [t for t in targets([doc], 10) if t.what == "count"]
    b = System(model.constraints).bounds(t.coefs)
    assert abs(b.low - 4) < 1e-6 and abs(b.high - 4) < 1e-6


def test_rounded_percentage_pins_a_numerator():
    # 33.3% of 3 people: 100 n / 3 in [33.25, 33.35]  =>  n in [0.9975, 1.0005]: only n = 1
    m = Model(truth={"n": 1, "d": 3})
    m.add({"d": 1.0}, 3, 3, {"doc"}, "published denominator", check=False)
    m.between(lambda v: {"n": 100.0, "d": -v}, 33.3, {"doc"}, "percent")
    b = System(m.constraints).bounds({"n": 1.0})
    assert b.pinned and round(b.low, 3) == 0.998 and round(b.high, 4) == 1.0005


def test_levels_difference_pins_a_cell():
    # all organisations 18 of 80, B 15 of 40 published, A withheld: 18 - 15 = 3
    a = rl_doc(org="A", white=(30, 60), bme=(None, 40), truth_bme=3)
    b = rl_doc(org="B", white=(30, 60), bme=(15, 40), truth_bme=15)
    top = rl_doc(org="ALL", white=(60, 120), bme=(18, 80), truth_bme=18)

    class R:
        documents, web = [a, b, top], {}

        class rule:
            k = 10

    result = audit(R, formats=False)
    assert [(f.target.doc.org, f.method, f.target.truth) for f in result.findings] == [("A", "differencing levels", 3)]


def test_check_documents_names_the_figure():
    a = rl_doc(org="A", white=(30, 60), bme=(None, 40), truth_bme=3)
    b = rl_doc(org="B", white=(30, 60), bme=(15, 40), truth_bme=15)
    top = rl_doc(org="ALL", white=(60, 120), bme=(18, 80), truth_bme=18)
    assert check_documents([a, b, top]) == [
        "A 2025 WRES indicators.wres.3.groups.BME.numerator = 3 recovered by differencing levels (json): "
        "linprog interval [3.000, 3.000]"]
    assert check_documents([a, b]) == []


def test_an_unprotected_release_is_recovered_completely(org_release):
    """Publishing the raw results (the analyst's view) must let the attack read every small count."""
    docs = [Document(d.org, d.year, d.raw, d.raw) for d in org_release.documents]

    class R:
        documents, web, rule = docs, {}, org_release.rule

    result: Audit = audit(R, formats=False)
    counted = [t for t in result.targets if t.coefs]
    assert counted and {f.target.name for f in result.findings if f.target.coefs} == {t.name for t in counted}


def test_sentences_are_parsed():
    text = "(95% CI 0.20 to 1.43; 4 of 44 Disabled staff vs 30 of 1,176 non-disabled staff)"
    assert [(n, d, w) for n, d, w, _ in of_pairs(text)] == [(4, 44, "disabled"), (30, 1176, "non-disabled")]
    assert LAST_YEAR.findall("It is higher than last year (0.78). Last year 2.00: a change") == ["0.78", "2.00"]
