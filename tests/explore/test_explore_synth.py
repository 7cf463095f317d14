"""The scan on the synthetic generator: its injected intersectional bias is found and ranked first."""

from __future__ import annotations

import parity
from parity import synth
from parity.explore import scan

from .conftest import synth_connection


def test_synth_intersection_bias_found_first():
    """`intersection=3`: Black women (codes M, N, P, female) 3 times as likely to enter formal
    disciplinary. The scan ranks them first; the WRES ratio moves far less (Black women are about a
    quarter of BME staff)."""
    con = synth_connection(synth.build(staff=30000, years=1, seed=1, bias={"intersection": 3.0}))
    result = scan(con, year=2025, outcomes=["disciplinary"])
    top = result.findings[0]
    assert top["group"] == {"ethnicity": "Black", "sex": "female"} and top["significant"]
    assert top["relative_likelihood"] > 2
    wres3 = next(i for i in parity.wres(con, year=2025).indicators if i.id == "wres.3").value
    assert wres3 - 1 < (top["relative_likelihood"] - 1) / 2
