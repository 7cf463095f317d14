"""Pay gap comparisons of all organisations and each organisation protected together (issue 10 leak 6)."""

from __future__ import annotations

from scipy.optimize import linprog

from parity.disclosure import DisclosureRule, modular
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


def pinned(values: dict[str, float], shown: dict[str, float | None], target: str) -> bool:
    """Does "all organisations = the sum of the organisations" with the shown counts pin `target`?
    (scipy's linprog: min and max of the target over every non-negative solution; independent of the engine)"""
    names = list(values)
    eq = [[1.0 if n == m else 0.0 for m in names] for n in names if shown[n] is not None]
    rhs = [shown[n] for n in names if shown[n] is not None]
    eq.append([-1.0 if n == "all" else 1.0 for n in names])
    rhs.append(0.0)
    c = [1.0 if n == target else 0.0 for n in names]
    lo = linprog(c, A_eq=eq, b_eq=rhs, bounds=(0, None)).fun
    hi = -linprog([-x for x in c], A_eq=eq, b_eq=rhs, bounds=(0, None)).fun
    return hi - lo < 1


def test_many_organisations_are_solved_block_by_block_and_nothing_small_follows(monkeypatch):
    """Issue 19: nine units (more than `MIN_BLOCKS`) go through `parity.disclosure.modular`, and no
    withheld count of unknown status comes back from the published counts and the level identity."""
    excluded = {"RX1": 5, "RX2": 15, "RX3": 3, "RX4": 20, "RX5": 40, "RX6": 12, "RX7": 7, "RX8": 30}
    parts = {(code,): comparison(n) for code, n in excluded.items()}
    modular_runs = []
    real = modular._Modular.run
    monkeypatch.setattr(modular._Modular, "run", lambda self: modular_runs.append(1) or real(self))
    out = protect_paygap_levels({(): total(*parts.values()), **parts}, DisclosureRule())
    assert modular_runs  # not the joint engine (cubic in the number of organisations)
    shown = {(unit[0] if unit else "all"): out[unit]["excluded"]["unknown"] for unit in out}
    values = {**excluded, "all": sum(excluded.values())}
    assert [shown[code] for code in ("RX1", "RX3", "RX7")] == [None, None, None]
    for code in ("RX1", "RX3", "RX7"):
        assert not pinned(values, shown, code), shown
    assert sum(v is None for v in shown.values()) <= 5  # not everything withheld: a partner each at most
