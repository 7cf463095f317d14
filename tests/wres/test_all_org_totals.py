"""The all-organisations level reads each count frame summed over organisations once (issue 19):
the same whole-number sums as every organisation's rows, so the same results."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from parity.indicators import source
from parity.indicators.rows import over_organisations
from parity.standards.wres.api import WresConfig, assemble, count_wres
from parity.synth import build, connect


def test_sums_over_organisations_by_hand():
    frame = pd.DataFrame({
        "org_code": ["A", "B", "A", "B", "A", "B"],
        "year": [2025, 2025, 2025, 2025, 2024, 2025],
        "pay_band": ["5", "5", None, None, "5", "6"],
        "group": ["BME", "BME", "White", "White", "BME", None],
        "count": [3, 4, 1, 2, 7, 5],
    })
    total = over_organisations(frame)
    rows = {(y, b if isinstance(b, str) else None, g if isinstance(g, str) else None): c
            for y, b, g, c in total[["year", "pay_band", "group", "count"]].itertuples(index=False)}
    # A+B band 5 BME = 3+4; the missing band and missing group are kept (senior shares count them)
    assert rows == {(2025, "5", "BME"): 7, (2025, None, "White"): 3, (2024, "5", "BME"): 7, (2025, "6", None): 5}
    assert "org_code" not in total
    # a frame with another measurement column is left as it is
    scores = frame.assign(mean=np.arange(6, dtype=float))
    assert over_organisations(scores) is scores


def test_all_organisations_results_unchanged(monkeypatch):
    con = connect(build(staff=1200, orgs=3, years=2, seed=25))
    counts = count_wres(con)
    summed = [assemble(counts, year=y, org=None, config=WresConfig()).to_dict() for y in counts.years()]
    monkeypatch.setattr(source, "over_organisations", lambda frame: frame)  # every organisation's raw rows
    raw = [assemble(counts, year=y, org=None, config=WresConfig()).to_dict() for y in counts.years()]
    assert len(counts.orgs()) == 3 and len(counts.distribution) > len(over_organisations(counts.distribution))
    assert json.dumps(summed) == json.dumps(raw)  # same figures, same order (NaN written as NaN)

