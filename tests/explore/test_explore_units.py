"""Issue 17: a bias injected in one division only is the explorer's top unit finding.

Generated trusts of 10,000 staff over five years (only the workforce and disciplinary tables are
built, so ten seeds take about half a minute): `disciplinary@Surgery=2.0` makes BME staff in Surgery
twice as likely as White staff in Surgery to enter a formal disciplinary process, and nobody
elsewhere. `parity explore scan --by division,ethnicity_wres --pool-years 5` must rank a Surgery
cell first among the unit × group cells in at least 9 of 10 seeds, while the organisation-level
BME/White figure stays near 1 (diluted by the four unbiased divisions: below 1.5 in every seed).
"""

from __future__ import annotations

import pytest

from parity.explore import explore
from parity.synth.api import to_pandas
from parity.synth.arrays import stream
from parity.synth.bias import resolve
from parity.synth.casework import disciplinary
from parity.synth.core import _divisions
from parity.synth.population import simulate
from parity.synth.stored import connect
from parity.synth.units import assign, with_units
from parity.synth.workforce import assignment_rows, workforce_table

YEARS = [2021, 2022, 2023, 2024, 2025]


def _trust(seed: int, bias: dict):
    b = _divisions(resolve(bias))
    pop = simulate(stream(seed, "population"), staff=10000, years=YEARS, orgs=1, bias=b)
    assign(seed, pop)
    wf = with_units("workforce", workforce_table(pop, assignment_rows(pop)), pop, seed)
    dis, _ = disciplinary(stream(seed, "disciplinary"), pop, b)
    return connect({"workforce": to_pandas(wf), "disciplinary": to_pandas(with_units("disciplinary", dis, pop, seed))})


@pytest.mark.slow
def test_division_bias_is_the_top_unit_finding_in_nine_of_ten_seeds():
    tops, org_level = [], []
    for seed in range(10):
        res = explore(_trust(seed, {"disciplinary@Surgery": 2.0}), kind="scan", year=2025,
                      by=("division", "ethnicity_wres"), outcomes=["disciplinary"], pool_years=5)
        unit = [f for f in res.findings if "division" in f["group"]]
        tops.append(unit[0]["group"]["division"])
        f = res.frame
        org_level.append(f[(f.attributes == "ethnicity_wres") & (f.ethnicity_wres == "BME")].rl.iloc[0])
    assert tops.count("Surgery") >= 9, tops
    assert max(org_level) < 1.5, org_level


def test_pooled_years_count_person_years_and_say_so(trust):
    from datetime import date

    for year in (2024, 2025):
        white = trust.staff(100, org_l3="Surgery", ethnic_category="A", snapshot_date=date(year, 3, 31))
        black = trust.staff(100, org_l3="Surgery", ethnic_category="N", snapshot_date=date(year, 3, 31))
        for p in white[:2] + black[:6]:
            trust.add("disciplinary", person_id=p, case_start_date=date(year - 1, 6, 1))
    res = explore(trust.connect(), kind="scan", year=2025, by=("division", "ethnicity"), outcomes=["disciplinary"],
                  pool_years=2)
    f = res.frame
    cell = f[(f.attributes == "division+ethnicity") & (f.ethnicity == "Black")].iloc[0]
    # two years of 100 people each: 200 person-years, 12 cases; White 200 and 4 → RL 3.0
    assert (cell.n, cell.events, cell.ref_n, cell.ref_events) == (200, 12, 200, 4)
    assert abs(cell.rl - 3.0) < 1e-9
    assert any("2 reporting years pooled (2024–2025)" in n for n in res.notes)
    assert res.settings["pool_years"] == 2


def test_pool_years_is_for_the_scan_only(tmp_path):
    from typer.testing import CliRunner

    from parity.cli import app

    out = CliRunner().invoke(app, ["explore", "funnel", "--workspace", str(tmp_path), "--year", "2025",
                                   "--pool-years", "3"])
    assert out.exit_code != 0 and "--pool-years applies to explore scan only" in out.output
