"""Peers (issue 18): filters by type and region, and nearest neighbours on type, region, size and
ethnic mix, on published figures imported into the benchmarks table (the peers import round trip)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from parity.benchmark import compare
from parity.ingest import import_file
from parity.workspace import Workspace

#           code   type             region        headcount  BME %  BME appointed of 200 (White 60 of 200)
ORGS = [("RXA", "Acute trust", "London", 4000, 40.0, 40), ("RXB", "Acute trust", "London", 4200, 42.0, 30),
        ("RXC", "Acute trust", "London", 1000, 10.0, 45), ("RXD", "Community", "London", 4000, 40.0, 50),
        ("RXE", "Acute trust", "North West", 4000, 40.0, 20), ("RXF", "Mental health", "North West", 500, 5.0, 55)]


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    path = tmp_path_factory.mktemp("peers")
    frame = pd.DataFrame([{"Organisation code": c, "Organisation type": t, "Region": r, "Reporting year": 2025,
                           "Indicator id": "wres.2", "Value": (60 / 200) / (b / 200), "Numerator A": 60,
                           "Denominator A": 200, "Numerator B": b, "Denominator B": 200, "Headcount": h,
                           "BME percent": m} for c, t, r, h, m, b in ORGS])
    frame.to_csv(path / "published.csv", index=False)
    ws = Workspace.open(path / "ws")
    assert import_file(ws, path / "published.csv", "benchmarks", preset="nhse-wres-organisation").imported
    return ws


def test_filters_rank_and_quartiles_among_the_peers(ws):
    d = compare(ws.path, year=2025, indicator="wres.2", peers="type=acute,region=london")
    members = ["RXA", "RXB", "RXC"]
    assert d["peers"]["members"] == members and [r["org"] for r in d["organisations"]] == members
    values = {c: 0.3 / (b / 200) for c, *_, b in ORGS}
    assert d["peers"]["median"] == pytest.approx(values["RXA"])  # 1.5, between 2.0 (RXB) and 1.33 (RXC)
    assert d["peers"]["q1"] == pytest.approx(np.percentile([values[m] for m in members], 25))
    by = {r["org"]: r for r in d["organisations"]}
    assert [by[o]["rank"] for o in ("RXC", "RXA", "RXB")] == [1, 2, 3]  # lower is better
    assert by["RXB"]["peer_percentile"] == 100.0
    # the funnel is still around the national figure of all six organisations
    pooled = (360 / 1200) / (240 / 1200)
    assert d["national"]["value"] == pytest.approx(pooled)
    se = math.sqrt(0.7 / 60 + (1 - 0.2) / (200 * 0.2))
    assert by["RXB"]["z"] == pytest.approx(math.log(2.0 / pooled) / se)


def test_nearest_neighbours_by_hand(ws):
    d = compare(ws.path, year=2025, indicator="wres.2", org="RXA", peers="nearest=3")
    # by hand: RXB differs a little in size and mix only; RXD (type) and RXE (region) are 1 away
    # each, a tie the lower code wins; RXC and RXF are far in size and mix
    size = np.log([h for *_, h, _m, _b in ORGS])
    mix = np.array([m for *_, m, _b in ORGS])
    d_rxb = math.hypot((size[0] - size[1]) / size.std(), (mix[0] - mix[1]) / mix.std())
    assert d_rxb < 1 < math.hypot((size[0] - size[2]) / size.std(), (mix[0] - mix[2]) / mix.std())
    assert d["peers"]["members"] == ["RXA", "RXB", "RXD"]
    assert d["peers"]["chosen_by"] == {"nearest": 3}
    assert d["organisation"]["org"] == "RXA" and d["organisation"]["rank"] == 2


@pytest.mark.parametrize("spec,org,message", [
    ("nearest=3", None, "needs --org"), ("colour=blue", None, "KEY=VALUE"),
    ("type=ambulance", None, "values of type: acute, community, mental_health"),
    ("nearest=1", "RXA", "2 or more")])
def test_bad_peers_are_clear_errors(ws, spec, org, message):
    with pytest.raises(ValueError, match=message):
        compare(ws.path, year=2025, indicator="wres.2", org=org, peers=spec)


def test_cli_json_has_the_issues_fields(ws):
    from parity.cli import app

    out = CliRunner().invoke(app, ["benchmark", "--workspace", str(ws.path), "--year", "2025", "--org", "rxa",
                                   "--peers", "type=acute", "--format", "json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert {"indicator", "year", "national", "organisations", "overdispersion"} <= set(d)
    assert set(d["organisations"][0]) >= {"org", "value", "denominator", "position", "rank", "peer_percentile"}
    assert [r["org"] for r in d["organisations"]] == ["RXA", "RXB", "RXC", "RXE"]
    table = CliRunner().invoke(app, ["benchmark", "--workspace", str(ws.path), "--year", "2025", "--org", "rxa",
                                     "--peers", "nearest=3"])
    assert table.exit_code == 0 and "Peers (nearest=3): 3 organisations" in table.output
