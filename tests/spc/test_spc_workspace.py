"""`spc(...)` and `parity spc` on a constructed trust whose monthly rates are known by hand.

The trust: 1,000 White and 500 BME staff in post at 31 March 2024 and 2025 (24 months, April 2023
to March 2025). White staff: one formal disciplinary case every month (1 per 1,000). BME staff:
one case a month for the first year (2 per 1,000), three a month in the second (6 per 1,000) —
a step up that Making Data Count must flag. Plus one case of someone not in post (excluded, with
its reason) and one of a person whose ethnicity is not known (counted, not charted).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
import typer
from typer.testing import CliRunner

from parity.commands.spc import register
from parity.spc import SpcRules, spc


def months():
    for year, month in [(2023, m) for m in range(4, 13)] + [(2024, m) for m in range(1, 13)] + \
                       [(2025, m) for m in range(1, 4)]:
        yield date(year, month, 15)


@pytest.fixture
def workspace(trust, tmp_path):
    import ibis

    white = [f"W{i}" for i in range(1000)]
    bme = [f"B{i}" for i in range(500)]
    for snapshot in (date(2024, 3, 31), date(2025, 3, 31)):
        for pid in white:
            trust.add("workforce", person_id=pid, snapshot_date=snapshot, ethnic_category="A")
        for pid in bme:
            trust.add("workforce", person_id=pid, snapshot_date=snapshot, ethnic_category="N")
        trust.add("workforce", person_id="U1", snapshot_date=snapshot, ethnic_category="99")
    w, b = iter(white), iter(bme)
    for day in months():
        trust.add("disciplinary", person_id=next(w), case_start_date=day)
        for _ in range(1 if day < date(2024, 4, 1) else 3):
            trust.add("disciplinary", person_id=next(b), case_start_date=day)
    trust.add("disciplinary", person_id="GONE", case_start_date=date(2024, 5, 2))
    trust.add("disciplinary", person_id="U1", case_start_date=date(2024, 6, 2))
    trust.add("disciplinary", person_id="W999", case_start_date=date(2024, 7, 2), formal=False)  # informal
    con = ibis.duckdb.connect(str(tmp_path / "parity.duckdb"))
    for table in trust.rows:
        con.create_table(table, trust.frame(table))
    con.disconnect()
    return tmp_path


def series(result, group):
    return next(s for s in result.series if s.group == group)


def test_monthly_rates_and_the_step_flagged(workspace):
    result = spc(workspace, measure="disciplinary", by="ethnicity", period="month")
    white, bme, ratio = series(result, "White"), series(result, "BME"), series(result, "BME ÷ White")
    assert [p["value"] for p in white.points] == [1.0] * 24  # 1 of 1,000 per month
    assert [p["denominator"] for p in bme.points] == [500] * 24
    assert [p["value"] for p in bme.points] == [2.0] * 12 + [6.0] * 12
    # BME: mean 4, one moving range of 4 in 23: limits 4 ± 2.66 x 4/23 — every point outside, and shifts
    assert bme.chart == "xmr" and bme.mean == pytest.approx(4.0)
    assert bme.upper_limit == pytest.approx(4 + 2.66 * 4 / 23, abs=1e-6)
    assert all("outside_limits" in p["rules"] and "shift" in p["rules"] for p in bme.points)
    assert bme.variation == "special_cause_concern"  # high, and lower is better
    assert white.variation == "common_cause" and not any(p["special_cause"] for p in white.points)
    assert [p["value"] for p in ratio.points] == [2.0] * 12 + [6.0] * 12
    assert ratio.variation == "special_cause_concern"
    assert bme.points[0]["period"] == "2023-04" and bme.points[-1]["period"] == "2025-03"
    # nothing lost: the case of someone not in post is excluded with its reason; the unknown counted
    assert result.excluded == {"not in post at the snapshot (outside the denominator)": 1}
    assert result.unknown_events == 1


def test_quarters_sum_the_months(workspace):
    result = spc(workspace, measure="disciplinary", by="ethnicity", period="quarter",
                 rules=SpcRules(min_points=8))
    bme = series(result, "BME")
    assert [p["events"] for p in bme.points] == [3] * 4 + [9] * 4
    assert [p["period"] for p in bme.points][:2] == ["2023-04", "2023-07"]


def test_too_few_points_says_so_instead_of_a_chart(workspace):
    result = spc(workspace, measure="disciplinary", by="ethnicity", period="quarter")  # 8 < 15
    bme = series(result, "BME")
    assert bme.chart is None and bme.mean is None
    assert "Too few periods to chart: 8" in bme.notes[0]


def test_mostly_zeros_is_too_sparse(trust, tmp_path):
    import ibis

    staff = [f"W{i}" for i in range(100)]
    for snapshot in (date(2024, 3, 31), date(2025, 3, 31)):
        for pid in staff:
            trust.add("workforce", person_id=pid, snapshot_date=snapshot, ethnic_category="A")
    trust.add("disciplinary", person_id=staff[0], case_start_date=date(2023, 4, 3))
    trust.add("disciplinary", person_id=staff[1], case_start_date=date(2025, 3, 3))
    con = ibis.duckdb.connect(str(tmp_path / "parity.duckdb"))
    for table in trust.rows:
        con.create_table(table, trust.frame(table))
    con.disconnect()
    white = series(spc(tmp_path, measure="disciplinary"), "White")
    assert white.chart is None and "22 of 24 periods had no events" in white.notes[0]


def test_appointment_is_a_p_prime_chart_by_default(trust, tmp_path):
    import ibis

    # 24 months of shortlisted White applicants, 10 a month, 3 appointed (30%)
    for day in months():
        trust.add("applications", 3, application_date=day, appointed=True)
        trust.add("applications", 7, application_date=day, appointed=False)
    con = ibis.duckdb.connect(str(tmp_path / "parity.duckdb"))
    con.create_table("applications", trust.frame("applications"))
    con.disconnect()
    result = spc(tmp_path, measure="appointment")
    white = series(result, "White")
    assert white.chart == "p_prime" and result.unit == "% appointed"
    assert white.mean == pytest.approx(30.0)
    assert [p["value"] for p in white.points] == [30.0] * 24
    assert spc(tmp_path, measure="appointment", chart="xmr").series[0].chart == "xmr"


def test_cli_json_and_errors(workspace):
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # a group of two commands keeps `spc` as a sub-command
    runner = CliRunner()
    ok = runner.invoke(app, ["spc", "--workspace", str(workspace), "--measure", "disciplinary", "--by",
                             "ethnicity", "--period", "month", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    payload = json.loads(ok.stdout)
    assert payload["disclosure"]["protected"] is False
    bme = next(s for s in payload["series"] if s["group"] == "BME")
    assert set(bme) >= {"group", "mean", "upper_limit", "lower_limit", "variation", "points"}
    assert set(bme["points"][0]) >= {"period", "value", "special_cause", "rules"}
    assert payload["rules"]["shift"] == 7
    bad = runner.invoke(app, ["spc", "--workspace", str(workspace), "--measure", "sickness"])
    assert bad.exit_code == 2 and "Unknown measure 'sickness'" in bad.output
    missing = runner.invoke(app, ["spc", "--workspace", str(workspace), "--measure", "training"])
    assert missing.exit_code == 2 and "needs the training table" in missing.output
    table = runner.invoke(app, ["spc", "--workspace", str(workspace), "--shift-length", "9"])
    assert table.exit_code == 0 and "BME" in table.output
