"""Issue 17: WRES and WDES by unit (``--by-unit division``), small units rolled up to their parent.

Numbers are worked by hand from the constructed trust below (not read from the code under test).
"""

from __future__ import annotations

import json

import pytest

from parity.indicators.by_unit import unit_results
from parity.standards.wres.api import WresConfig

SINGLE = WresConfig(disciplinary_period="single_year")


def unit_trust(trust):
    """Surgery: 50 White (20 trained), 30 BME (3 trained); Medicine: 50 White (20), 30 BME (15);
    Research: 3 White (1), 3 BME (1) — under 30 people, so "Other units in ORG"; 4 White staff with no
    division recorded (2 trained) join it too (also under 30)."""
    for division, w, wt, b, bt in (("Surgery", 50, 20, 30, 3), ("Medicine", 50, 20, 30, 15), ("Research", 3, 1, 3, 1),
                                   (None, 4, 2, 0, 0)):
        white = trust.staff(w, org_l3=division, org_l4=f"{division} directorate" if division else None)
        bme = trust.staff(b, org_l3=division, ethnic_category="N") if b else []
        for p in white[:wt] + bme[:bt]:
            trust.add("training", person_id=p)
    return trust


def _groups(result, indicator):
    ind = next(i for i in result.indicators if i.id == indicator)
    return {g: (f.numerator, f.denominator) for g, f in ind.groups.items() if g in ("White", "BME")}, ind


def test_each_unit_counts_its_own_staff_and_small_units_roll_up(trust):
    con = unit_trust(trust).connect()
    plan, results = unit_results("wres", con, level="division", year=2025, config=SINGLE)
    assert set(results) == {("ORG", "Surgery"), ("ORG", "Medicine"), ("ORG", "Other units in ORG")}
    assert plan.rolled_up() == {("ORG", "Other units in ORG"): ["Research", "Unit not recorded"]}
    surgery, ind = _groups(results[("ORG", "Surgery")], "wres.4")
    assert surgery == {"White": (20, 50), "BME": (3, 30)}
    # WRES 4: White rate ÷ BME rate = (20/50) / (3/30) = 4.0
    assert ind.value == pytest.approx(4.0)
    medicine, ind = _groups(results[("ORG", "Medicine")], "wres.4")
    assert medicine == {"White": (20, 50), "BME": (15, 30)} and ind.value == pytest.approx(0.8)
    other, _ = _groups(results[("ORG", "Other units in ORG")], "wres.4")
    assert other == {"White": (3, 7), "BME": (1, 3)}
    assert plan.sizes == {("ORG", "Surgery"): 80, ("ORG", "Medicine"): 80, ("ORG", "Other units in ORG"): 10}


def test_units_add_up_to_the_organisation(trust):
    import parity

    con = unit_trust(trust).connect()
    _, results = unit_results("wres", con, level="org_l3", year=2025, config=SINGLE)
    org, _ = _groups(parity.wres(con, year=2025, config=SINGLE), "wres.4")
    parts = [_groups(r, "wres.4")[0] for r in results.values()]
    for g in ("White", "BME"):
        assert tuple(map(sum, zip(*[p[g] for p in parts], strict=True))) == org[g]


def test_a_lower_level_rolls_up_into_its_parent(trust):
    con = unit_trust(trust).connect()
    plan, results = unit_results("wres", con, level="directorate", year=2025, config=SINGLE, min_unit=60)
    # Surgery and Medicine directorates hold 50 White staff each (BME staff have no directorate): under 60
    assert ("ORG", "Other units in Surgery") in results and ("ORG", "Other units in Medicine") in results
    assert plan.labels[("ORG", "Surgery directorate")] == "Other units in Surgery"


def test_protected_units_withhold_the_small_roll_up(trust):
    con = unit_trust(trust).connect()
    _, docs = unit_results("wres", con, level="division", year=2025, config=SINGLE, protected=True)
    other = next(i for i in docs[("ORG", "Other units in ORG")]["indicators"] if i["id"] == "wres.4")
    assert other["groups"]["BME"]["numerator"] is None  # 1 of 3: under k = 10
    assert all("Research" not in json.dumps(d) for d in docs.values())  # rolled up, never named


def test_unknown_level_and_missing_hierarchy_are_clear_errors(trust, tmp_path):
    trust.staff(40)
    con = trust.connect()
    with pytest.raises(ValueError, match="Unknown unit level 'ward'"):
        unit_results("wres", con, level="ward", year=2025)
    with pytest.raises(ValueError, match="no org_l3 values"):
        unit_results("wres", con, level="division", year=2025)


def test_cli_by_unit(trust, tmp_path):
    from typer.testing import CliRunner

    from parity.cli import app

    ws = tmp_path / "ws"
    _workspace(unit_trust(trust), ws)
    out = CliRunner().invoke(app, ["wres", "--workspace", str(ws), "--year", "2025", "--by-unit", "division",
                                   "--format", "json", "--disciplinary-period", "single_year"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    assert payload["by_unit"]["column"] == "org_l3"
    assert {u["unit"] for u in payload["units"]} == {"Surgery", "Medicine", "Other units in ORG"}
    table = CliRunner().invoke(app, ["wdes", "--workspace", str(ws), "--year", "2025", "--by-unit", "division",
                                     "--protected"])
    assert table.exit_code == 0, table.output
    assert "Other units in ORG = Research, Unit not recorded" in table.output


def _workspace(trust, path):
    """The trust's tables stored in a workspace (as an import would leave them)."""
    from parity.workspace import Workspace

    ws = Workspace.open(path)
    con = ws.connect()
    try:
        for name in trust.rows:
            con.register("frame", trust.frame(name))
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame')
            con.unregister("frame")
        con.execute("CREATE TABLE IF NOT EXISTS import_log AS SELECT 1 AS import_id")
    finally:
        con.close()
    return ws
