"""Time in band and in post (issue 17): Kaplan–Meier, log-rank and spells, against hand-worked
numbers and SciPy; censoring of leavers; the synthetic promotion hazard ratio."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from parity.explore.survival import sentence, survival
from parity.explore.survival_fit import km_curve, logrank, median
from parity.synth import build, connect, generate
from parity.synth.population import bme_promotion

# group A: times 1, 2, 2+, 3, 4, 5+ (+ = censored); group B: 1+, 3, 4, 5, 6+, 6+
A_T, A_E = np.array([1, 2, 2, 3, 4, 5.]), np.array([1, 1, 0, 1, 1, 0])
B_T, B_E = np.array([1, 3, 4, 5, 6, 6.]), np.array([0, 1, 1, 1, 0, 0])


def test_kaplan_meier_hand_worked():
    # by hand: S(1) = 5/6; S(2) = 5/6 × 4/5 (the one censored at 2 is still at risk) = 2/3;
    # S(3) = 2/3 × 2/3 = 4/9; S(4) = 4/9 × 1/2 = 2/9; median = first time S <= 1/2 = 3
    curve = km_curve(A_T, A_E).set_index("time")
    assert curve.survival.tolist() == pytest.approx([1, 5 / 6, 2 / 3, 4 / 9, 2 / 9, 2 / 9])
    assert curve.at_risk.tolist() == [6, 6, 5, 3, 2, 1]
    assert (curve.events.sum(), curve.censored.sum()) == (4, 2)
    scipy_km = stats.ecdf(stats.CensoredData(uncensored=A_T[A_E == 1], right=A_T[A_E == 0])).sf
    assert curve.survival.loc[1:].tolist() == pytest.approx(scipy_km.evaluate(np.arange(1, 6)))
    assert median(A_T, A_E)["median"] == 3
    # B: at risk 5 at 3 → 4/5, then 3/4 → 3/5, then 2/3 → 2/5: median 5
    assert median(B_T, B_E)["median"] == 5
    assert median(B_T, np.zeros(6))["median"] is None  # nobody promoted: no median


def test_median_interval_brackets_the_median():
    rng = np.random.default_rng(1)
    t = np.ceil(rng.exponential(3, 400))  # yearly ties, median of the continuous time ≈ 2.1
    m = median(t, np.ones(400))
    assert m["median_ci_low"] <= m["median"] <= m["median_ci_high"]


def test_logrank_matches_scipy_and_hand_worked():
    r = logrank(np.r_[A_T, B_T], np.r_[A_E, B_E], np.array(["a"] * 6 + ["b"] * 6))
    res = stats.logrank(stats.CensoredData(uncensored=A_T[A_E == 1], right=A_T[A_E == 0]),
                        stats.CensoredData(uncensored=B_T[B_E == 1], right=B_T[B_E == 0]))
    assert r["chi2"] == pytest.approx(res.statistic ** 2)
    assert r["p_value"] == pytest.approx(res.pvalue)
    # by hand, observed − expected for A at the event times (at risk A, B; events):
    # 1 (6, 6; 1 of A): 1 − 6/12; 2 (5, 5; 1 of A): 1 − 5/10; 3 (3, 5; 1 each): 1 − 2×3/8;
    # 4 (2, 4; 1 each): 1 − 2×2/6; 5 (1, 3; 1 of B): 0 − 1/4 → O − E = 4/3
    # variance Σ d·(nA/n)(nB/n)(n − d)/(n − 1) = 1/4 + 1/4 + 45/112 + 16/45 + 3/16
    o_minus_e, var = 0.5 + 0.5 + 0.25 + 1 / 3 - 0.25, 0.25 + 0.25 + 45 / 112 + 16 / 45 + 3 / 16
    assert r["chi2"] == pytest.approx(o_minus_e ** 2 / var)
    assert r["df"] == 1


SNAPS = [date(y, 3, 31) for y in (2021, 2022, 2023, 2024)]


def _career(trust, eth: str, bands: list[str | None], count: int, **kw) -> list[str]:
    """`count` people with these bands at the 31 Marches 2021… (None: not in post)."""
    pids = []
    for _ in range(count):
        pid = None
        for snap, band in zip(SNAPS, bands, strict=False):
            if band is not None:
                pid = trust.staff(1, person_id=pid, ethnic_category=eth, pay_band=band, snapshot_date=snap, **kw)[0]
        pids.append(pid)
    return pids


@pytest.fixture
def careers(trust):
    for eth in ("A", "N"):
        _career(trust, eth, ["5", "6", "6", "6"], 10)        # promoted after a year (t = 1)
        leavers = _career(trust, eth, ["5", "5"], 10)        # in band 5 at 2021 and 2022, then gone
        _career(trust, eth, ["5", "5", "5", "6"], 10)        # promoted after three years (t = 3)
        _career(trust, eth, ["5", "5", "5", "5"], 10)        # never promoted while seen (censored at 3)
        for pid in leavers:
            trust.add("leavers", person_id=pid, leave_date=date(2022, 9, 30))
    return trust


def test_leavers_are_censored_not_failures(careers):
    """40 spells in band 5: 10 promoted at 1, 10 leave (censored at 1), 10 promoted at 3, 10 censored
    at 3. KM: S(1) = 1 − 10/40 = 0.75; at risk at 3: 20, so S(3) = 0.75 × (1 − 10/20) = 0.375.
    Counting leavers as failures would give S(1) = 0.5; keeping them at risk to the end S(3) = 0.5."""
    r = survival(careers.connect(), kind="progression", year=2024, by=("ethnicity",), band="5", adjust=(),
                 min_cell=5)
    curves = r.tables["curves"]
    white = curves[curves.group == "White"].set_index("time")
    assert white.survival.loc[1] == pytest.approx(0.75)
    assert white.survival.loc[3] == pytest.approx(0.375)
    groups = r.tables["groups"].set_index("group")
    assert (groups.loc["White", "n"], groups.loc["White", "events"]) == (40, 20)
    assert groups.loc["White", "median"] == 3
    f = r.findings[0]
    assert f["group"] == {"ethnicity": "Black"} and f["hazard_ratio"] == pytest.approx(1)  # identical groups
    assert f["counts"] == {"events": 20, "n": 40, "reference_events": 20, "reference_n": 40}
    assert f["logrank_chi2"] == pytest.approx(0)


def test_time_to_leaving_uses_the_leave_date(careers):
    r = survival(careers.connect(), kind="retention", year=2024, by=("ethnicity",), adjust=(), min_cell=5)
    groups = r.tables["groups"].set_index("group")
    # per group 40 people; the 10 leavers left on 30 September 2022, 1.5 years after 31 March 2021
    assert (groups.loc["White", "n"], groups.loc["White", "events"]) == (40, 10)
    curve = r.tables["curves"]
    white = curve[curve.group == "White"].set_index("time")
    assert white.survival.loc[1] == 1 and white.survival.loc[2] == pytest.approx(0.75)
    assert r.findings[0]["counts"]["events"] == 10


def test_promotion_hazard_in_ground_truth_and_mechanism(tmp_path):
    truth = generate(tmp_path, staff=300, years=2, bias={"promotion_hazard": 0.7}, esr=False).ground_truth
    b = truth["biases"]["promotion_hazard"]
    assert b["injected"] and b["value"] == 0.7 and b["parameters"]["hazard_ratio"] == 0.7
    assert b["parameters"]["bme"] == pytest.approx(1 - (1 - b["parameters"]["white"]) ** 0.7)
    # the yearly probability is 1 − (1 − p)^R: the continuous-time hazard ratio, not R × p
    assert bme_promotion(0.05, 1.0, 0.7) == pytest.approx(1 - 0.95 ** 0.7)
    assert np.log(1 - bme_promotion(0.05, 1.0, 0.7)) / np.log(0.95) == pytest.approx(0.7)
    assert bme_promotion(0.05, 2.0, 1.0) == pytest.approx(0.025)


def test_cox_recovers_injected_hazard_ratio():
    """A few small generated trusts: the mean log hazard ratio is within 0.12 of log 0.7 (about
    three standard errors of a mean of three), and with no bias the estimate is near 1."""
    logs = []
    for seed in (11, 12, 13):
        tables = build(staff=6000, years=6, seed=seed, bias={"promotion_hazard": 0.7})
        r = survival(connect(tables), kind="progression", year=2025, by=("ethnicity_wres",),
                     adjust=("band", "staff_group"))
        (f,) = r.findings
        assert f["group"] == {"ethnicity_wres": "BME"}
        logs.append(np.log(f["hazard_ratio"]))
    assert abs(np.mean(logs) - np.log(0.7)) < 0.12, np.exp(logs)
    r = survival(connect(build(staff=6000, years=6, seed=14)), kind="progression", year=2025,
                 by=("ethnicity_wres",), adjust=("band", "staff_group"))
    assert abs(np.log(r.findings[0]["hazard_ratio"])) < 0.25


def _finding(m, m_ref, hr=0.68):
    return {"group": {"ethnicity_wres": "BME"}, "reference_group": {"ethnicity_wres": "White"}, "median_years": m,
            "reference_median_years": m_ref, "follow_up_years": 6.0, "hazard_ratio": hr, "ci_low": 0.59,
            "ci_high": 0.78}


def test_sentences():
    adjust = ("band", "staff_group", "fte", "age_band")
    assert sentence(_finding(4.1, 2.9), "promotion", band="5", staff_group=None, adjust=adjust) == (
        "Among band 5 staff, BME staff waited a median 4.1 years for promotion to band 6, White staff 2.9 years; "
        "adjusted for band, staff group, FTE and age band, BME staff were promoted at 0.68 times the rate of "
        "White staff (95% CI 0.59–0.78).")
    assert sentence(_finding(None, None), "promotion", band=None, staff_group="Nursing", adjust=()) == (
        "Among staff in the Nursing staff group, neither BME staff nor White staff reached a median wait for "
        "promotion within 6.0 years (more than half still in band); BME staff were promoted at 0.68 times the "
        "rate of White staff (95% CI 0.59–0.78).")
    assert sentence(_finding(3.0, None, hr=None), "leaving", band=None, staff_group=None, adjust=("band",)) == (
        "Among staff, BME staff stayed a median 3.0 years before leaving, while more than half of White staff "
        "were still in post after 6.0 years; no hazard ratio could be estimated.")


def _efron_loglik(beta: float, t: np.ndarray, e: np.ndarray, x: np.ndarray) -> float:
    """Efron's log partial likelihood for one covariate, written out from its definition."""
    total = 0.0
    for time in np.unique(t[e == 1]):
        dead = (t == time) & (e == 1)
        risk = np.exp(beta * x[t >= time]).sum()
        tied = np.exp(beta * x[dead]).sum()
        d = int(dead.sum())
        total += beta * x[dead].sum() - sum(np.log(risk - k / d * tied) for k in range(d))
    return total


def test_cox_matches_efron_likelihood_by_hand():
    from scipy.optimize import minimize_scalar

    from parity.explore.survival_fit import cox

    t, e = np.r_[A_T, B_T, A_T + 1, B_T], np.r_[A_E, B_E, A_E, 1 - B_E]  # tied times in both groups
    g = np.array(["a"] * 6 + ["b"] * 6 + ["a"] * 6 + ["b"] * 6)
    x = (g == "b").astype(float)
    best = minimize_scalar(lambda b: -_efron_loglik(b, t, e, x), bounds=(-5, 5), method="bounded",
                           options={"xatol": 1e-10})
    h = 1e-4  # observed information by a central second difference
    info = -(_efron_loglik(best.x + h, t, e, x) - 2 * _efron_loglik(best.x, t, e, x)
             + _efron_loglik(best.x - h, t, e, x)) / h ** 2
    se = 1 / np.sqrt(info)
    (row,) = cox(pd.DataFrame({"time": t, "event": e, "g": g}), "g", "a", covariates=[]).to_dict("records")
    assert row["value"] == "b"
    assert np.log(row["hazard_ratio"]) == pytest.approx(best.x, abs=1e-5)
    assert np.log(row["ci_high"] / row["ci_low"]) == pytest.approx(2 * 1.959964 * se, rel=1e-3)


def test_cox_leaves_out_a_level_with_no_information_within_strata():
    """Doctors are only in medical-grade strata, bar one in an AfC stratum who never leaves: within
    strata the doctor indicator has no events where it varies, so it has no finite estimate and is
    left out (Newton's method would otherwise wander for 100 iterations). The group's hazard ratio
    is then the one without that covariate."""
    from parity.explore.survival_fit import cox

    rng = np.random.default_rng(4)
    n = 400
    band = np.where(np.arange(n) < 300, "5", "consultant")
    sg = np.where(band == "consultant", "Medical", "Nursing")
    sg[0] = "Medical"
    g = np.where(rng.random(n) < 0.3, "BME", "White")
    t = np.ceil(rng.exponential(np.where(g == "BME", 6, 4)))
    e = (rng.random(n) < 0.8).astype(int)
    e[0] = 0
    d = pd.DataFrame({"time": t, "event": e, "g": g, "sg": sg, "band": band})
    with_sg = cox(d, "g", "White", covariates=["sg"], strata="band")
    without = cox(d, "g", "White", covariates=[], strata="band")
    assert with_sg.hazard_ratio.iloc[0] == pytest.approx(without.hazard_ratio.iloc[0])
    assert 0.4 < with_sg.hazard_ratio.iloc[0] < 1


def test_no_spells_before_the_data(careers):
    for kind in ("progression", "retention"):
        r = survival(careers.connect(), kind=kind, year=2020, by=("ethnicity",), min_cell=5)
        assert r.findings == [] and r.tables["groups"].empty
        assert any("No spells" in n for n in r.notes)
