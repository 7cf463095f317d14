"""The funnel plot's limits and encoding (issue 18), checked against hand-worked values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from parity.benchmark.chart import funnel_spec, limit_lines, sentence

NATIONAL = {"value": 0.3 / (110 / 600), "White": {"numerator": 180, "denominator": 600},
            "BME": {"numerator": 110, "denominator": 600}}


def comparison(kind="relative_likelihood"):
    orgs = [{"org": "RXA", "value": 3.0, "denominator": 400, "position": "above_998", "rank": 3, "peer_percentile": 100.0},
            {"org": "RXB", "value": 1.5, "denominator": 400, "position": "within", "rank": 2, "peer_percentile": 66.7},
            {"org": "RXC", "value": 0.9, "denominator": 400, "position": "below_998", "rank": 1, "peer_percentile": 33.3}]
    return {"indicator": "wres.2", "year": 2025, "kind": kind, "better": "lower", "national": NATIONAL,
            "organisations": orgs, "peers": {"organisations": 3, "q1": 1.2, "q3": 2.25},
            "outliers": {"above_998": ["RXA"], "above_95": [], "below_95": [], "below_998": ["RXC"]}}


def test_limits_at_the_national_split_by_hand():
    lines = {p["line"]: p["limit"] for p in limit_lines(comparison(), np.array([400.0]))}
    se = math.sqrt(0.7 / (200 * 0.3) + (1 - 110 / 600) / (200 * 110 / 600))  # 200 of each group
    rl = 0.3 / (110 / 600)
    assert lines["99.8% upper"] == pytest.approx(rl * math.exp(3.090232 * se), rel=1e-6)
    assert lines["95% lower"] == pytest.approx(rl * math.exp(-1.959964 * se), rel=1e-6)
    diff = {p["line"]: p["limit"] for p in limit_lines(comparison("percentages") | {"national": {
        **NATIONAL, "value": 100 * (0.3 - 110 / 600)}}, np.array([400.0]))}
    se_pp = 100 * math.sqrt(0.3 * 0.7 / 200 + (110 / 600) * (490 / 600) / 200)
    assert diff["95% upper"] == pytest.approx(100 * (0.3 - 110 / 600) + 1.959964 * se_pp, rel=1e-6)


def test_spec_highlights_one_names_none_else_and_logs_ratios():
    spec = funnel_spec(comparison(), highlight="RXB")
    points = spec["layer"][-1]["data"]["values"]
    assert {p["organisation"] for p in points} == {"RXB", "Another organisation"}
    assert [p["who"] for p in points].count("This organisation") == 1
    assert spec["layer"][-1]["encoding"]["y"]["scale"] == {"type": "log"}
    assert spec["layer"][-1]["encoding"]["color"]["scale"]["domain"] == ["This organisation", "Other organisations"]
    assert funnel_spec(comparison("percentages"))["layer"][-1]["encoding"]["y"]["scale"] == {"zero": False}
    assert sentence(comparison(), "RXA").startswith("RXA: 3.00 against 1.64 nationally — above the 99.8% limit")
