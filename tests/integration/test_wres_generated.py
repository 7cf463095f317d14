"""WRES on generated trusts: an injected bias is recovered; with none, the verdict is within range."""

import pandas as pd
import pytest

import parity
from parity import backends
from parity.synth import build


def connect(**kwargs):
    tables = build(**kwargs)
    tables.pop("survey_responses")  # not needed here; stored long after ingest
    return backends.connect("duckdb", tables=tables)


def test_injected_appointment_bias_of_1_6_is_inside_the_interval():
    # a large trust: ~15k applications a year, so the interval is narrow
    con = connect(staff=7000, years=1, seed=101, bias={"appointment": 1.6})
    rl = parity.wres(con, year=2025)["wres.2"]
    assert rl.groups["BME"].denominator > 1000
    assert rl.ci_low < 1.6 < rl.ci_high
    assert rl.ci_high / rl.ci_low < 1.6  # narrow enough to mean something
    assert rl.assessment == "adverse"


def test_injected_disciplinary_and_training_biases_point_the_right_way():
    con = connect(staff=7000, years=2, seed=5, bias={"disciplinary": 2.0, "training": 1.5})
    res = parity.wres(con, year=2025)
    assert res["wres.3"].ci_low > 1.0 and res["wres.3"].period_rule == "two_year_rolling"
    assert res["wres.4"].ci_low < 1.5 < res["wres.4"].ci_high


SEEDS = range(20)


@pytest.mark.slow
def test_without_bias_appointment_is_within_range_for_the_large_majority_of_seeds():
    verdicts = []
    for seed in SEEDS:
        rl = parity.wres(connect(staff=7000, years=1, seed=1000 + seed), year=2025)["wres.2"]
        verdicts.append({"seed": seed, "value": rl.value, "assessment": rl.assessment})
    frame = pd.DataFrame(verdicts)
    rate = (frame.assessment == "within_range").mean()
    print(f"no-bias within_range rate: {rate:.0%} of {len(frame)} seeds")  # quoted in the README
    assert rate >= 0.9, frame
