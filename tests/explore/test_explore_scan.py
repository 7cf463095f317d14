"""The intersectional scan: a bias hidden from the single-axis indicator, BH, cells not tested."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import false_discovery_control

import parity
from parity.explore import scan
from parity.explore.compare import Settings, combos


def _people(trust, eth: str, sex: str, n: int, cases: int) -> None:
    for pid in trust.staff(n, ethnic_category=eth, sex=sex)[:cases]:
        trust.add("disciplinary", person_id=pid)


@pytest.fixture
def hidden_bias(trust):
    """Black women 3 times as likely as White men to enter formal disciplinary, yet BME staff as a
    whole as likely as White staff (40 of 4,010 vs 40 of 4,000): WRES indicator 3 is 1.00."""
    _people(trust, "A", "female", 2000, 20)
    _people(trust, "A", "male", 2000, 20)
    _people(trust, "N", "female", 1000, 30)
    _people(trust, "N", "male", 1000, 5)
    _people(trust, "H", "female", 1000, 3)
    _people(trust, "H", "male", 1000, 2)
    _people(trust, "D", "female", 10, 0)   # too small to test
    _people(trust, "Z", "female", 100, 1)  # unknown ethnicity: counted, never compared
    return trust.connect()


def test_intersectional_bias_ranked_first_while_wres_does_not_move(hidden_bias):
    wres3 = next(i for i in parity.wres(hidden_bias, year=2025).indicators if i.id == "wres.3")
    assert wres3.value == pytest.approx(1.0, abs=0.01)  # 40 of 4,010 BME vs 40 of 4,000 White
    result = scan(hidden_bias, year=2025, outcomes=["disciplinary"])
    top = result.findings[0]
    assert top["group"] == {"ethnicity": "Black", "sex": "female"}
    assert top["reference_group"] == {"ethnicity": "White", "sex": "male"}
    assert top["relative_likelihood"] == pytest.approx(3.0)
    assert top["significant"] and top["counts"] == {"events": 30, "n": 1000, "reference_events": 20,
                                                     "reference_n": 2000}
    assert top["narrative"].startswith("In 2024/25, Black women were 3.00 times as likely as White men to enter")
    assert "FDR-adjusted p" in top["narrative"]
    assert result.comparisons == sum(1 for f in result.findings)


def test_reference_within_strata(hidden_bias):
    result = scan(hidden_bias, year=2025, outcomes=["disciplinary"], reference={"ethnicity": "White"})
    black_women = next(f for f in result.findings if f["group"] == {"ethnicity": "Black", "sex": "female"})
    assert black_women["reference_group"] == {"ethnicity": "White", "sex": "female"}
    assert black_women["reference_label"] == "White women"
    rest = scan(hidden_bias, year=2025, outcomes=["disciplinary"], reference="rest")
    black_women = next(f for f in rest.findings if f["group"] == {"ethnicity": "Black", "sex": "female"})
    assert black_women["counts"]["reference_n"] == 8110 - 1000  # everyone else, unknowns included


def test_small_and_unknown_cells_listed_not_tested(hidden_bias):
    result = scan(hidden_bias, year=2025, outcomes=["disciplinary"], min_cell=30)
    reasons = {(tuple(sorted(c["group"].items())), c["reason"]) for c in result.not_tested}
    assert ((("ethnicity", "Mixed"),), "too_small") in reasons
    assert ((("ethnicity", "Mixed"), ("sex", "female")), "too_small") in reasons
    assert ((("ethnicity", "Unknown"),), "unknown") in reasons
    assert all(c["explanation"] for c in result.not_tested)
    tested_groups = [f["group"] for f in result.findings]
    assert {"ethnicity": "Mixed"} not in tested_groups


def test_bh_matches_scipy(hidden_bias):
    result = scan(hidden_bias, year=2025, outcomes=["disciplinary", "training"], by=("ethnicity", "sex", "band"),
                  min_cell=5)
    tested = result.frame[result.frame["tested"] & result.frame["p_value"].notna()]
    assert result.comparisons == len(tested) > 10
    expected = false_discovery_control(tested["p_value"].to_numpy(), method="bh")
    np.testing.assert_allclose(tested["p_adjusted"].to_numpy(), expected)
    assert (tested["significant"] == (tested["p_adjusted"] <= 0.05)).all()


def test_combinations():
    settings = Settings.make()
    got = combos(("ethnicity", "ethnicity_wres", "sex", "band"), settings)
    assert ("ethnicity", "ethnicity_wres") not in got and ("band",) not in got
    assert ("ethnicity", "sex", "band") in got and all(len(c) <= 3 for c in got)
    assert ("band",) in combos(("ethnicity", "band"), Settings.make("rest"))


def test_bad_arguments_fail_clearly(hidden_bias):
    with pytest.raises(ValueError, match="Unknown attribute 'ethnicty'"):
        scan(hidden_bias, year=2025, by=("ethnicty",))
    with pytest.raises(ValueError, match="Unknown outcome"):
        scan(hidden_bias, year=2025, outcomes=["promotions"])
    with pytest.raises(ValueError, match="reference must be"):
        scan(hidden_bias, year=2025, reference="everyone")


def test_trend_with_one_year_of_data_says_so(trust):
    """A workspace with one reporting year: no trend to fit — a note, not a KeyError (found on main)."""
    from parity.explore import explore

    plan = (("A", "female", 300, 3), ("N", "female", 300, 12))
    for eth, sex, n, cases in plan:
        for pid in trust.staff(n, ethnic_category=eth, sex=sex)[:cases]:
            trust.add("disciplinary", person_id=pid)
    result = explore(trust.connect(), kind="trend", year=2025, by=("ethnicity",), outcomes=["disciplinary"])
    assert result.findings == [] and result.comparisons == 0
    assert any(n.startswith("No trend could be tested") for n in result.notes)


def test_cells_of_several_outcomes_compared_at_once_as_one_outcome_at_a_time():
    """The scan compares every outcome's cells in one pass (the outcome one more stratum, issue 19):
    each outcome's rows are the ones a call of its own gives, orientation included."""
    import pandas as pd

    from parity.explore.compare import compare

    settings = Settings.make(None)
    cells = {  # outcome -> (adverse, people and events by ethnicity, White the reference)
        "disciplinary": (True, {"White": (4000, 40), "Black": (1000, 30), "Asian": (900, 2)}),
        "training": (False, {"White": (4000, 900), "Black": (1000, 160), "Asian": (25, 9)}),
    }
    one = {}
    parts = []
    for i, (name, (adverse, groups)) in enumerate(cells.items()):
        frame = pd.DataFrame({"year": 2025, "ethnicity": list(groups), "n": [n for n, _ in groups.values()],
                              "events": [e for _, e in groups.values()]})
        one[name] = compare(frame, ["ethnicity"], strata=["year"], adverse=adverse, settings=settings)
        parts.append(frame.assign(_o=i))
    both = pd.concat(parts, ignore_index=True)
    adverse = np.array([list(cells.values())[i][0] for i in both["_o"]])
    out = compare(both, ["ethnicity"], strata=["_o", "year"], adverse=adverse, settings=settings)
    for i, name in enumerate(cells):
        got = out[out["_o"] == i].drop(columns="_o").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, one[name], check_exact=True)
    black_training = out[(out["_o"] == 1) & (out["ethnicity"] == "Black")].iloc[0]
    assert black_training["rl"] == pytest.approx((900 / 4000) / (160 / 1000))  # favourable: reference ÷ cell
