"""`evaluate`: before/latest, the change test and the verdict, checked by hand (issue 15).

A trust with staff in post at 31 March 2023, 2024 and 2025 and shortlisted applicants in 2023 and
2025 (reporting years). 2023: White 60 of 200 appointed, BME 20 of 200: WRES 2 = 3.0. 2025: White
60 of 200, BME `bme_2025` of 200.
"""

from __future__ import annotations

import math
from datetime import date

import ibis
import pytest
from scipy.stats import norm

from parity.actions import Action, Target, evaluate
from parity.actions.evaluate import _gap_change


def build(trust, tmp_path, bme_2025):
    for year in (2023, 2024, 2025):
        trust.add("workforce", 5, snapshot_date=date(year, 3, 31), ethnic_category="A")
        trust.add("workforce", 5, snapshot_date=date(year, 3, 31), ethnic_category="N")
    for day, bme in ((date(2022, 6, 1), 20), (date(2024, 6, 1), bme_2025)):
        trust.add("applications", 60, application_date=day, ethnic_category="A", appointed=True)
        trust.add("applications", 140, application_date=day, ethnic_category="A", appointed=False)
        trust.add("applications", bme, application_date=day, ethnic_category="N", appointed=True)
        trust.add("applications", 200 - bme, application_date=day, ethnic_category="N", appointed=False)
    con = ibis.duckdb.connect(str(tmp_path / "parity.duckdb"))
    for table in trust.rows:
        con.create_table(table, trust.frame(table))
    con.disconnect()
    return tmp_path


def act(start, target=None):
    return Action(id=1, org="ORG", title="Panels", indicators=["wres.2"], owner="Director of People",
                  start=start, due=date(2026, 3, 31), target=Target.parse(target))


def test_improved_beyond_chance(trust, tmp_path):
    ws = build(trust, tmp_path, bme_2025=55)
    [e] = evaluate(ws, [act(date(2023, 6, 1), "<=1.25")], org="ORG")["actions"]
    rl0, rl1 = (60 / 200) / (20 / 200), (60 / 200) / (55 / 200)
    var = (1 / 60 - 1 / 200 + 1 / 20 - 1 / 200) + (1 / 60 - 1 / 200 + 1 / 55 - 1 / 200)  # Katz, both years
    z = math.log(rl1 / rl0) / math.sqrt(var)
    assert e["before"]["year"] == 2023 and e["before"]["value"] == pytest.approx(3.0)
    assert e["latest"]["year"] == 2025 and e["latest"]["value"] == pytest.approx(rl1)
    assert e["change"]["estimate"] == pytest.approx(rl1 / rl0)
    assert e["change"]["p_value"] == pytest.approx(2 * norm.sf(abs(z)))
    assert e["change"]["ci_high"] == pytest.approx(math.exp(math.log(rl1 / rl0) + 1.959964 * math.sqrt(var)), rel=1e-5)
    assert e["verdict"] == "improved" and e["target_status"] == "met"


def test_no_clear_change_and_target_not_met(trust, tmp_path):
    ws = build(trust, tmp_path, bme_2025=20)
    [e] = evaluate(ws, [act(date(2023, 6, 1), "<=1.25")], org="ORG")["actions"]
    assert e["change"]["estimate"] == pytest.approx(1.0) and e["change"]["p_value"] == pytest.approx(1.0)
    assert e["verdict"] == "no_clear_change" and e["target_status"] == "not_met"


def test_worsened(trust, tmp_path):
    ws = build(trust, tmp_path, bme_2025=6)  # RL 10: worse
    [e] = evaluate(ws, [act(date(2023, 6, 1))], org="ORG")["actions"]
    assert e["verdict"] == "worsened" and e["target_status"] == "none"


def test_too_early_and_no_baseline(trust, tmp_path):
    ws = build(trust, tmp_path, bme_2025=55)
    early, none = evaluate(ws, [act(date(2025, 6, 1)), act(date(2022, 1, 1))], org="ORG")["actions"]
    assert early["verdict"] == "too_early" and early["before"] is None
    assert none["verdict"] == "no_baseline"


def test_gap_change_by_hand():
    before = {"year": 2023, "value": 10.0, "ci_low": 6.0, "ci_high": 14.0}
    latest = {"year": 2025, "value": 2.0, "ci_low": -1.0, "ci_high": 5.0}
    se = math.sqrt((8 / (2 * 1.959964)) ** 2 + (6 / (2 * 1.959964)) ** 2)
    ch = _gap_change(before, latest)
    assert ch["estimate"] == -8.0
    assert ch["p_value"] == pytest.approx(2 * norm.sf(8 / se), rel=1e-5)
