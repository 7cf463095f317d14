"""`parity report --national` (issue 18): funnel plot per indicator, outliers by name, region table and
distribution over time, from the benchmarks table or the protected release of every organisation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from parity.cli import app
from parity.ingest import import_file
from parity.workspace import Workspace

#   code  region        BME appointed of 200 in 2025 (White 60 of 200), in 2024
ORGS = [("RXA", "London", 20, 60), ("RXB", "London", 60, 60), ("RXC", "London", 58, 60),
        ("RXD", "North West", 62, 60), ("RXE", "North West", 90, 60)]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    path = tmp_path_factory.mktemp("national")
    rows = [{"Organisation code": c, "Region": r, "Reporting year": y, "Indicator id": "wres.2",
             "Value": 0.3 / (b / 200), "Numerator A": 60, "Denominator A": 200, "Numerator B": b,
             "Denominator B": 200} for c, r, b25, b24 in ORGS for y, b in ((2025, b25), (2024, b24))]
    pd.DataFrame(rows).to_csv(path / "published.csv", index=False)
    ws = Workspace.open(path / "ws")
    assert import_file(ws, path / "published.csv", "benchmarks", preset="nhse-wres-organisation").imported
    return ws, path


def test_national_summary_from_published_figures(published):
    ws, path = published
    out = CliRunner().invoke(app, ["report", "--national", "--workspace", str(ws.path), "--year", "2025",
                                   "--out", str(path / "out")])
    assert out.exit_code == 0, out.output
    summary = json.loads((path / "out" / "national-2025.json").read_text(encoding="utf-8"))
    wres2 = next(i for i in summary["indicators"] if i["indicator"] == "wres.2")
    # RXA appoints 20 of 200 BME against 60 of 200 White: far above the pooled national 0.3 / 0.29
    assert wres2["national"] == pytest.approx(0.3 / (290 / 1000))
    assert wres2["outliers"]["above_998"] == ["RXA"]
    # RXE: 90 of 200, RL 0.67; z = ln(0.667 / 1.034) / √(0.7/60 + 0.71/58) = -2.84, between the limits
    assert wres2["outliers"]["below_95"] == ["RXE"] and wres2["outliers"]["below_998"] == []
    regions = {r["region"]: r for r in wres2["regions"]}
    assert regions["London"]["organisations"] == 3 and regions["North West"]["organisations"] == 2
    assert regions["London"]["median"] == pytest.approx(0.3 / (58 / 200))
    assert regions["London"]["above_998"] == 1
    assert [t["year"] for t in wres2["over_time"]] == [2024, 2025]
    assert wres2["over_time"][0]["median"] == pytest.approx(1.0)  # every organisation 60 of 200 in 2024
    values25 = [0.3 / (b / 200) for *_, b, _ in ORGS]
    assert wres2["over_time"][1]["q1"] == pytest.approx(np.percentile(values25, 25))
    html = (path / "out" / "national-2025.html").read_text(encoding="utf-8")
    assert "Outliers by name" in html and "RXA" in html and 'role="img"' in html


def test_national_from_the_protected_release_and_bad_flags(make_region, tmp_path):
    ws = make_region(tmp_path / "ws", orgs=3, staff=1500, seed=5)
    from parity.report.national import national_summary

    s = national_summary(ws.path, year=2025, charts=False)
    ids = {i["indicator"] for i in s["indicators"]}
    assert {"wres.2", "wres.3", "wdes.2"} <= ids
    assert all(i["source"] == "protected release" for i in s["indicators"])
    assert all(r["region"] == "Not known" for i in s["indicators"] for r in i["regions"])
    bad = CliRunner().invoke(app, ["report", "--national", "--workspace", str(ws.path), "--year", "2025",
                                   "--out", str(tmp_path / "o"), "--org", "R0A"])
    assert bad.exit_code == 2 and "drop --org" in bad.output
