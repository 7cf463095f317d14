

def test_ethnicity_results_from_the_real_pay_gap_code_are_protected():
    """Quarters of an ethnicity comparison hold every published group, not only the two compared."""
    import numpy as np
    import pandas as pd

    from parity.disclosure import protect_paygap
    from parity.paygap import ethnicity_pay_gap

    rng = np.random.default_rng(3)
    n = 400
    codes = rng.choice(list("AAAAAABCHMNRS"), n)
    df = pd.DataFrame({"person_id": [f"P{i}" for i in range(n)], "ordinary_pay": rng.uniform(1800, 5000, n),
                       "pay_period_days": 30.44, "weekly_hours": 37.5, "bonus_12m": 0.0, "full_pay": True,
                       "ethnic_category": codes})
    for result in ethnicity_pay_gap(df):
        protected = protect_paygap(result.to_dict())
        for quarter in protected["quarters"]:
            assert all(v is None or v == 0 or v >= 10 for v in quarter["counts"].values())
