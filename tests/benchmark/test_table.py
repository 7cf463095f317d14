"""The canonical `benchmarks` table (issue 18): published figures imported with the NHS England preset
(or a mapping) come back as typed rows, and `compare` reads them, pooling the national figure."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from parity.benchmark import compare
from parity.ingest import import_file, load_preset
from parity.workspace import Workspace

DOCS = Path(__file__).resolve().parents[2] / "docs"

# three trusts' published wres.2 figures: White appointed / shortlisted (a), BME (b)
PUBLISHED = pd.DataFrame({
    "Organisation code": ["RXA", "RXB", "RXC"], "Organisation name": ["Alpha", "Beta", "Gamma"],
    "Organisation type": ["Acute trust", "Acute trust", "Community"], "Region": ["London", "London", "North West"],
    "Year": ["2025", "2025", "2025"], "Indicator": ["Indicator 2"] * 3, "Value": ["3.00", "3.00", "0.857"],
    "Numerator A": ["60", "60", "60"], "Denominator A": ["200", "200", "200"],
    "Numerator B": ["20", "20", "70"], "Denominator B": ["200", "200", "200"],
    "Headcount": ["4000", "3500", "900"], "BME percent": ["41.5", "38.0", "9.5"],
})


@pytest.fixture
def ws(tmp_path) -> Workspace:
    return Workspace.open(tmp_path / "ws")


def _import(ws, tmp_path, frame, **kw):
    path = tmp_path / "published.csv"
    frame.to_csv(path, index=False)
    result = import_file(ws, path, "benchmarks", **kw)
    assert result.imported, result.problems
    return result


def test_preset_round_trip_and_compare_from_the_table(ws, tmp_path):
    _import(ws, tmp_path, PUBLISHED, preset="nhse-wres-organisation")
    with ws.connect() as con:
        got = con.execute("SELECT org_code, org_type, region, year, indicator, value, numerator_b, headcount, "
                          "bme_percent FROM benchmarks ORDER BY org_code").fetchall()
    assert got[0] == ("RXA", "acute", "London", 2025, "wres.2", 3.0, 20, 4000, 41.5)
    assert got[2][1:3] == ("community", "North West")
    d = compare(ws.path, year=2025, indicator="wres.2")
    assert d["source"] == "benchmarks table"
    national = (180 / 600) / (110 / 600)  # pooled by hand
    assert d["national"]["value"] == pytest.approx(national)
    se = math.sqrt(0.7 / (200 * 0.3) + (1 - 110 / 600) / (200 * 110 / 600))
    by = {r["org"]: r for r in d["organisations"]}
    assert by["RXA"]["z"] == pytest.approx(math.log(3.0 / national) / se)
    assert by["RXA"]["position"] == "above_998" and by["RXC"]["position"] == "below_998"
    assert by["RXA"]["org_name"] == "Alpha" and by["RXC"]["org_type"] == "community"


def test_reimport_replaces_by_key_and_values_only_rank_without_positions(ws, tmp_path):
    _import(ws, tmp_path, PUBLISHED, preset="nhse-wres-organisation")
    fewer = PUBLISHED.drop(columns=["Numerator A", "Denominator A", "Numerator B", "Denominator B"])
    _import(ws, tmp_path, fewer.assign(Value=["2.0", "1.0", "1.5"]), preset="nhse-wres-organisation")
    with ws.connect() as con:
        assert con.execute("SELECT count(*), sum(value) FROM benchmarks").fetchone() == (3, 4.5)
    d = compare(ws.path, year=2025, indicator="wres.2")
    by = {r["org"]: r for r in d["organisations"]}
    assert [by[o]["rank"] for o in ("RXB", "RXC", "RXA")] == [1, 2, 3]  # lower is better
    assert all(r["position"] is None for r in d["organisations"]) and d["national"]["value"] is None
    fields = {"org", "value", "denominator", "position", "rank", "peer_percentile"}  # the JSON
    assert all(fields <= set(r) for r in d["organisations"])


def test_mapping_template_is_a_valid_mapping(ws, tmp_path):
    template = yaml.safe_load((DOCS / "benchmark-mapping-template.yaml").read_text(encoding="utf-8"))
    assert template["table"] == "benchmarks"
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump(template), encoding="utf-8")
    own = pd.DataFrame({"Organisation code": ["RXA", "RXB"], "Year": ["2025", "2025"],
                        "Indicator": ["Indicator 2", "wres.2"], "Value": ["1.5", "1.1"],
                        "White appointed": ["30", "40"], "White shortlisted": ["100", "100"],
                        "BME appointed": ["20", "36"], "BME shortlisted": ["100", "100"]})
    _import(ws, tmp_path, own, mapping=str(path))
    with ws.connect() as con:
        assert con.execute("SELECT indicator, numerator_a, denominator_b FROM benchmarks ORDER BY org_code"
                           ).fetchall() == [("wres.2", 30, 100), ("wres.2", 40, 100)]
    assert load_preset("nhse-wres-organisation").table == "benchmarks"
