"""Pay gap comparisons of all organisations and each organisation protected together (issue 10 leak 6)."""

from __future__ import annotations

from parity.disclosure import DisclosureRule
from parity.disclosure.paygap import protect_paygap, protect_paygap_levels


def comparison(excluded: int, comparison_full: int = 40) -> dict:
    """Big groups everywhere (nothing small in the table), `excluded` staff of unknown status."""
    quarters = [{"quarter": q, "size": 30 + comparison_full // 4, "counts": {"R": 30, "C": comparison_full // 4}}
                for q in ("lower", "lower_middle", "upper_middle", "upper")]
    return {"attribute": "disability", "reference_group": "R", "comparison_group": "C",
            "counts": {"R": {"relevant": 120, "full_pay": 120, "bonus_recipients": 0},
                       "C": {"relevant": comparison_full, "full_pay": comparison_full, "bonus_recipients": 0}},
            "mean_hourly_gap": 3.0, "median_hourly_gap": 2.0, "quarters": quarters, "bonus_percent": {},
            "excluded": {"unknown": excluded}, "not_disclosed_percent": round(100 * excluded / (160 + excluded), 1),
            "unrounded": {}}


def total(*parts: dict) -> dict:
    out = comparison(sum(p["excluded"]["unknown"] for p in parts), 40 * len(parts))
    for key in ("R", "C"):
        for name in ("relevant", "full_pay", "bonus_recipients"):
            out["counts"][key][name] = sum(p["counts"][key][name] for p in parts)
    for i, q in enumerate(out["quarters"]):
        q["counts"] = {g: sum(p["quarters"][i]["counts"][g] for p in parts) for g in ("R", "C")}
        q["size"] = sum(q["counts"].values())
    return out


def test_alone_the_small_count_is_withheld_and_the_large_ones_shown():
    assert protect_paygap(comparison(5))["excluded"]["unknown"] is None
    assert protect_paygap(comparison(15))["excluded"]["unknown"] == 15


def test_no_subtraction_between_levels_gives_back_a_withheld_count():
    a, b = comparison(5), comparison(15)
    out = protect_paygap_levels({(): total(a, b), ("RXA",): a, ("RXB",): b}, DisclosureRule())
    shown = {unit: out[unit]["excluded"]["unknown"] for unit in out}
    assert shown[("RXA",)] is None
    # all organisations (20) = RXA + RXB: with RXA's 5 withheld, one of the other two must be as well
    assert shown[()] is None or shown[("RXB",)] is None
    # the share of all relevant employees goes with the count (5 of 165 = 3.0%)
    assert out[("RXA",)]["not_disclosed_percent"] is None
    assert "excluded.unknown" in out[("RXA",)]["disclosure"]["suppressed"]
    # nothing else was small: the table itself is shown at every level
    assert all(q["counts"]["C"] == 10 for q in out[("RXA",)]["quarters"])
