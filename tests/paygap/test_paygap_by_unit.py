"""Issue 17: pay gaps by unit (``parity paygap --by-unit division``), checked against the pay rows
of each division computed here with pandas (the regulations' mean hourly gap)."""

from __future__ import annotations

import json

import pytest

from parity.indicators.by_unit import paygap_units
from parity.synth import build
from parity.synth.stored import connect


@pytest.fixture(scope="module")
def generated():
    return build(staff=1500, years=1, seed=5)


def test_each_divisions_gender_gap_is_its_own_pay_rows(generated):
    con = connect(generated)
    plan, reports = paygap_units(con, level="division", year=2025, by="sex", n_resamples=1)
    assert {u for _, u in reports} == {"Surgery", "Medicine", "Women and Children", "Clinical Support", "Corporate"}
    pay = generated["pay"]
    pay = pay[(pay.snapshot_date.dt.year == 2025) & pay.full_pay]
    wf = generated["workforce"]
    wf = wf[(wf.snapshot_date.dt.year == 2025) & wf.primary_assignment][["person_id", "org_l3"]]
    rows = pay.merge(wf, on="person_id")
    # the regulations' hourly rate: ordinary pay over the hours of the pay period (weekly hours x days / 7)
    rows = rows.assign(hourly_rate=rows.ordinary_pay / (rows.weekly_hours * rows.pay_period_days / 7))
    for (_, division), report in reports.items():
        mine = rows[rows.org_l3 == division]
        men, women = mine[mine.sex == "male"].hourly_rate.mean(), mine[mine.sex == "female"].hourly_rate.mean()
        expected = round(100 * (men - women) / men, 1)
        got = next(r for r in report.to_dict()["results"] if r.get("comparison_group") in ("female", "women",
                                                                                          "Women"))
        assert got["mean_hourly_gap"] == pytest.approx(expected, abs=0.051), division


def test_protected_unit_pay_gaps_and_cli(generated, tmp_path):
    con = connect(generated)
    _, docs = paygap_units(con, level="division", year=2025, by="ethnicity", protected=True, n_resamples=1)
    assert all(d["results"] and "disclosure" in d["results"][0] for d in docs.values())
    assert json.dumps(list(docs.values()))  # plain data


def test_cli_paygap_by_unit(tmp_path):
    from typer.testing import CliRunner

    from parity.cli import app
    from parity.ingest import import_file
    from parity.synth import generate
    from parity.workspace import Workspace

    generate(tmp_path / "d", staff=400, years=1, seed=2, esr=False)
    ws = Workspace.open(tmp_path / "ws", key_file=tmp_path / "k.key")
    for table in ("workforce", "pay"):
        assert import_file(ws, tmp_path / "d" / f"{table}.csv", table).imported
    out = CliRunner().invoke(app, ["paygap", "--workspace", str(ws.path), "--year", "2025", "--by-unit", "division",
                                   "--format", "json", "--resamples", "1"], env={"PARITY_KEY_FILE": str(tmp_path / "k.key")})
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    assert payload["by_unit"]["column"] == "org_l3" and payload["units"]
    gov = CliRunner().invoke(app, ["paygap", "--workspace", str(ws.path), "--year", "2025", "--by-unit", "division",
                                   "--format", "gov-uk"], env={"PARITY_KEY_FILE": str(tmp_path / "k.key")})
    assert gov.exit_code != 0 and "statutory" in gov.output
