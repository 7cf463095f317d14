"""`evaluate` on generated trusts (issue 15): an appointment bias that ends the year the action
starts is found improved, and an unchanged bias is not, in at least 9 of 10 seeds each."""

from __future__ import annotations

from datetime import date

import pytest

from parity.actions import Action, evaluate
from parity.synth import build, connect


def verdict(seed: int, improve: dict | None) -> str:
    tables = build(staff=2500, years=2, seed=seed, bias={"appointment": 2.0}, improve=improve)
    org = sorted(tables["workforce"].org_code.unique())[0]
    action = Action(id=1, org=org, title="Inclusive recruitment", indicators=["wres.2"], owner="Director of People",
                    start=date(2024, 4, 1), due=date(2025, 3, 31))
    [entry] = evaluate(connect(tables), [action], org=org)["actions"]
    assert (entry["before"]["year"], entry["latest"]["year"]) == (2024, 2025)
    return entry["verdict"]


@pytest.mark.slow
def test_verdicts_over_ten_seeds():
    improved = [verdict(seed, {"appointment": 2025}) for seed in range(10)]
    unchanged = [verdict(seed, None) for seed in range(10)]
    assert improved.count("improved") >= 9, improved
    assert unchanged.count("no_clear_change") >= 9, unchanged


def test_improvement_recorded_in_ground_truth_and_refused_when_meaningless(tmp_path):
    from parity.synth import BiasError, generate

    res = generate(tmp_path, staff=300, years=2, seed=1, bias={"appointment": 1.5}, improve={"appointment": 2025},
                   esr=False)
    assert res.ground_truth["biases"]["appointment"]["ends_in_reporting_year"] == 2025
    with pytest.raises(BiasError, match="needs the bias injected too"):
        build(staff=300, years=1, seed=1, improve={"appointment": 2025})
    with pytest.raises(BiasError, match="choose from appointment, appointment_disability, training"):
        build(staff=300, years=1, seed=1, bias={"disciplinary": 2}, improve={"disciplinary": 2025})
