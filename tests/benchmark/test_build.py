"""`parity benchmark build` (issue 18): the benchmarks table filled from every organisation of a
multi-organisation workspace with protected figures only, then read by `parity benchmark`."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from parity.benchmark import compare
from parity.benchmark.build import build
from parity.synth import build as synth

COUNTS = ("numerator_a", "denominator_a", "numerator_b", "denominator_b")


@pytest.fixture(scope="module")
def built(tmp_path_factory, make_region):
    ws = make_region(tmp_path_factory.mktemp("region") / "ws")
    orgs = tmp_path_factory.mktemp("orgs") / "orgs.csv"
    orgs.write_text("Org code,Org type,Region\nR0A,Acute,London\nr0b,Mental Health,London\n", encoding="utf-8")
    summary = build(ws, year=2025, organisations=orgs)
    with ws.connect() as con:
        table = con.execute("SELECT * FROM benchmarks ORDER BY org_code, indicator").df()
    unprotected = compare(synth_con(), year=2025, indicator="wres.2")
    return ws, summary, table, unprotected


def synth_con():
    from parity.synth import connect

    return connect(synth(staff=1500, years=1, orgs=3, seed=5))


def test_every_organisation_and_comparable_indicator_is_stored_protected(built):
    _ws, summary, table, unprotected = built
    assert summary["organisations"] == 3 and set(table["org_code"]) == {"R0A", "R0B", "R0C"}
    assert {"wres.2", "wres.3", "wres.4", "wdes.2", "wdes.3"} <= set(table["indicator"])
    assert "wres.1" not in set(table["indicator"])  # a distribution, not compared on a funnel
    counts = table[list(COUNTS)].astype(float).to_numpy().ravel()
    counts = counts[~np.isnan(counts)]
    assert len(counts) and not ((counts >= 1) & (counts <= 9)).any(), "a count of 1-9 was stored: not protected"
    # where nothing is withheld the stored value is the organisation's own figure
    by = {r["org"]: r["value"] for r in unprotected["organisations"]}
    wres2 = table[table.indicator == "wres.2"].set_index("org_code")["value"]
    shown = wres2.dropna()
    assert len(shown) >= 2 and all(shown[o] == pytest.approx(by[o]) for o in shown.index)
    # size and ethnic mix for peers: headcount and BME share of the 2025 snapshot
    heads = table.groupby("org_code")["headcount"].first()
    assert heads.sum() == pytest.approx(1500, rel=0.2)
    assert table["bme_percent"].dropna().between(0, 100).all()
    labels = table.groupby("org_code")[["org_type", "region"]].first()
    assert labels.loc["R0A"].tolist() == ["acute", "London"] and labels.loc["R0B"].tolist() == ["mental_health", "London"]
    assert labels.loc["R0C"].isna().all()


def test_benchmark_reads_the_built_table_and_the_old_flags_still_parse(built):
    from parity.cli import app

    ws, *_ = built
    d = compare(ws.path, year=2025, indicator="wres.2")
    assert d["source"] == "benchmarks table"
    out = CliRunner().invoke(app, ["benchmark", "--workspace", str(ws.path), "--year", "2025", "--org", "r0a",
                                   "--indicator", "wres.2", "--adjust", "additive", "--format", "json"])
    assert out.exit_code == 0, out.output
    got = json.loads(out.stdout)
    assert got["organisation"]["org"] == "R0A" and got["source"] == "benchmarks table"
    assert got["limits"]["adjustment"] == "additive"
    missing = CliRunner().invoke(app, ["benchmark", "--year", "2025"])
    assert missing.exit_code == 2 and "--workspace" in missing.output


def test_build_refuses_a_single_organisation(tmp_path, make_region):
    ws = make_region(tmp_path / "ws", orgs=1, staff=300)
    with pytest.raises(ValueError, match="two or more organisations"):
        build(ws, year=2025)


def test_json_and_table_say_where_each_figure_came_from(built, tmp_path):
    """The benchmarks table holds protected (built) and published (imported) figures; counted from a
    workspace they are unprotected. The JSON and the table header say which, per organisation."""
    import shutil

    import pandas as pd

    from parity.cli import app
    from parity.ingest import import_file
    from parity.workspace import Workspace

    ws, *_ = built
    args = ["--year", "2025", "--indicator", "wres.2"]
    got = json.loads(CliRunner().invoke(app, ["benchmark", "--workspace", str(ws.path), *args, "--format",
                                              "json"]).stdout)
    assert got["disclosure"]["protected"] is True and got["disclosure"]["origins"] == {"protected": 3}
    assert {r["origin"] for r in got["organisations"]} == {"protected"}
    assert "Not for publication" not in json.dumps(got)
    # a published figure imported for R0A replaces its built row: the two origins side by side
    mixed = Workspace.open(shutil.copytree(ws.path, tmp_path / "mixed"))
    pd.DataFrame([{"Organisation code": "R0A", "Reporting year": 2025, "Indicator id": "wres.2", "Value": 1.5,
                   "Numerator A": 60, "Denominator A": 200, "Numerator B": 40, "Denominator B": 200}]
                 ).to_csv(tmp_path / "published.csv", index=False)
    assert import_file(mixed, tmp_path / "published.csv", "benchmarks", preset="nhse-wres-organisation").imported
    got = json.loads(CliRunner().invoke(app, ["benchmark", "--workspace", str(mixed.path), *args, "--format",
                                              "json"]).stdout)
    assert {r["org"]: r["origin"] for r in got["organisations"]} == {"R0A": "published", "R0B": "protected",
                                                                   "R0C": "protected"}
    assert got["disclosure"]["protected"] is True and got["disclosure"]["origins"] == {"protected": 2, "published": 1}
    table = " ".join(CliRunner().invoke(app, ["benchmark", "--workspace", str(mixed.path), *args]).output.split())
    assert "published figures imported" in table and "(1 organisation)" in table
    assert "protected figures" in table and "(2 organisations)" in table and "Not for publication" not in table
    # counted from the raw tables (no benchmarks table): unprotected, and says so
    raw = Workspace.open(shutil.copytree(ws.path, tmp_path / "raw"))
    with raw.connect() as con:
        con.execute("DROP TABLE benchmarks")
    got = json.loads(CliRunner().invoke(app, ["benchmark", "--workspace", str(raw.path), *args, "--format",
                                              "json"]).stdout)
    assert got["source"] == "workspace" and got["disclosure"]["protected"] is False
    assert {r["origin"] for r in got["organisations"]} == {"unprotected"}
    table = " ".join(CliRunner().invoke(app, ["benchmark", "--workspace", str(raw.path), *args]).output.split())
    assert "Not for publication" in table and "computed unprotected in this run" in table


def test_peers_import_round_trip(built, tmp_path):
    """The built table written out under the preset's headings and imported into another workspace
    comes back row for row, and the nearest peers and positions chosen from it are the same."""
    import pandas as pd

    from parity.ingest import import_file, load_preset
    from parity.workspace import Workspace

    ws, _summary, table, _ = built
    preset = load_preset("nhse-wres-organisation")
    heading = {canonical: names[0] for canonical, names in preset.columns.items()}
    cols = [c for c in table.columns if c in heading]
    table[cols].rename(columns=heading).to_csv(tmp_path / "exported.csv", index=False)
    other = Workspace.open(tmp_path / "other")
    assert import_file(other, tmp_path / "exported.csv", "benchmarks", preset="nhse-wres-organisation").imported
    with other.connect() as con:
        back = con.execute("SELECT * FROM benchmarks ORDER BY org_code, indicator").df()
    pd.testing.assert_frame_equal(back[cols].astype(str), table[cols].astype(str))
    for source in (ws.path, other.path):
        d = compare(source, year=2025, indicator="wres.2", org="R0A", peers="nearest=2")
        got = (d["peers"]["members"], [(r["org"], r["position"], r["rank"]) for r in d["organisations"]])
        if source == ws.path:
            expected = got
    assert got == expected and len(expected[0]) == 2
    assert {r["origin"] for r in d["organisations"]} == {"published"}
