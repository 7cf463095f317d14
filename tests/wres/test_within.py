"""Issue 17: a standard within a characteristic's groups (``--within age_band``), small groups rolled up.

Numbers worked by hand from the constructed trust below."""

from __future__ import annotations

import json

import pytest

from parity.indicators.by_unit import unit_results
from parity.standards.wres.api import WresConfig

SINGLE = WresConfig(disciplinary_period="single_year")


def _trust(trust):
    """21-25: 40 White (10 trained), 30 BME (3); 41-45: 40 White (20), 30 BME (15); 61-65: 4 White (1),
    2 BME (1) — under 30 people: "Other age band groups". Religion: the 21-25s Christian, the 41-45s
    Muslim, the others not stated."""
    for band, religion, w, wt, b, bt in (("21-25", "christian", 40, 10, 30, 3), ("41-45", "muslim", 40, 20, 30, 15),
                                         ("61-65", "not_stated", 4, 1, 2, 1)):
        white = trust.staff(w, age_band=band, religion=religion)
        bme = trust.staff(b, age_band=band, religion=religion, ethnic_category="H")
        for p in white[:wt] + bme[:bt]:
            trust.add("training", person_id=p)
    return trust.connect()


def _wres4(result):
    ind = next(i for i in result.indicators if i.id == "wres.4")
    return {g: (ind.groups[g].numerator, ind.groups[g].denominator) for g in ("White", "BME")}, ind.value


def test_wres_within_age_bands(trust):
    plan, results = unit_results("wres", _trust(trust), level="age_band", year=2025, config=SINGLE, within=True)
    assert set(results) == {("ORG", "21-25"), ("ORG", "41-45"), ("ORG", "Other age band groups")}
    counts, value = _wres4(results[("ORG", "21-25")])
    # White 10/40 = 0.25 over BME 3/30 = 0.10: 2.5
    assert counts == {"White": (10, 40), "BME": (3, 30)} and value == pytest.approx(2.5)
    counts, value = _wres4(results[("ORG", "41-45")])
    assert counts == {"White": (20, 40), "BME": (15, 30)} and value == pytest.approx(1.0)
    assert _wres4(results[("ORG", "Other age band groups")])[0] == {"White": (1, 4), "BME": (1, 2)}
    assert plan.to_dict()["within"] == "age_band"


def test_religion_codes_read_as_groups_and_not_stated_is_unknown(trust):
    _, results = unit_results("wres", _trust(trust), level="religion", year=2025, config=SINGLE, within=True)
    # "not stated" reads as Unknown (6 people: rolled up with nothing else, so named as the roll-up)
    assert set(results) == {("ORG", "Christian"), ("ORG", "Muslim"), ("ORG", "Other religion groups")}


def test_within_must_name_a_characteristic(trust):
    with pytest.raises(ValueError, match="--within staff_group: choose one of age_band, sex"):
        unit_results("wres", _trust(trust), level="staff_group", year=2025, within=True)


def test_cli_within(trust, tmp_path):
    from typer.testing import CliRunner

    from parity.cli import app

    ws = tmp_path / "ws"
    _trust(trust)
    _workspace(trust, ws)
    out = CliRunner().invoke(app, ["wres", "--workspace", str(ws), "--year", "2025", "--within", "age_band",
                                   "--format", "json", "--protected"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    assert payload["within"]["within"] == "age_band"
    other = next(u for u in payload["units"] if u["unit"] == "Other age band groups")["result"]
    wres4 = next(i for i in other["indicators"] if i["id"] == "wres.4")
    assert wres4["groups"]["BME"]["numerator"] is None  # 1 of 2: withheld
    both = CliRunner().invoke(app, ["wres", "--workspace", str(ws), "--year", "2025", "--within", "sex",
                                    "--by-unit", "division"])
    assert both.exit_code != 0 and "one of --by-unit or --within" in both.output


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
