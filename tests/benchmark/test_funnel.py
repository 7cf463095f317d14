"""Funnel limits and positions against hand-worked values (issue 18), and `parity benchmark`."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import typer
from scipy.stats import chi2
from typer.testing import CliRunner

from parity.benchmark import compare
from parity.benchmark.funnel import difference_se0, overdispersion, position, ratio_se0


def region(trust, bme_appointed: dict[str, int]):
    """Three organisations: 200 White shortlisted (60 appointed) and 200 BME shortlisted each."""
    for org, bme in bme_appointed.items():
        trust.add("workforce", 20, org_code=org, ethnic_category="A")
        trust.add("workforce", 20, org_code=org, ethnic_category="N")
        trust.add("applications", 60, org_code=org, ethnic_category="A", appointed=True)
        trust.add("applications", 140, org_code=org, ethnic_category="A", appointed=False)
        trust.add("applications", bme, org_code=org, ethnic_category="N", appointed=True)
        trust.add("applications", 200 - bme, org_code=org, ethnic_category="N", appointed=False)
    return trust.connect()


def test_standard_errors_and_positions_by_hand():
    assert ratio_se0(200, 200, 0.3, 110 / 600) == pytest.approx(math.sqrt(0.7 / 60 + (490 / 600) / (200 * 110 / 600)))
    assert difference_se0(100, 50, 0.2, 0.3) == pytest.approx(math.sqrt(0.16 / 100 + 0.21 / 50))
    assert [position(z) for z in (0.0, 1.97, 3.1, -2.0, -3.1)] == [
        "within", "above_95", "above_998", "below_95", "below_998"]
    assert position(3.1, inflate=2.0) == "within"


def test_each_organisation_against_the_national_ratio(trust):
    con = region(trust, {"RXA": 20, "RXB": 20, "RXC": 70})
    d = compare(con, year=2025, indicator="wres.2")
    national = 0.3 / (110 / 600)  # White 180 of 600, BME 110 of 600
    assert d["national"]["value"] == pytest.approx(national)
    se = math.sqrt(0.7 / (200 * 0.3) + (1 - 110 / 600) / (200 * 110 / 600))
    by = {r["org"]: r for r in d["organisations"]}
    assert by["RXA"]["z"] == pytest.approx(math.log(3.0 / national) / se)  # 3.29
    assert by["RXA"]["position"] == "above_998" and by["RXC"]["position"] == "below_998"
    assert by["RXA"]["limits"]["99.8"][1] == pytest.approx(national * math.exp(3.090232 * se), rel=1e-6)
    assert by["RXC"]["rank"] == 1 and {by["RXA"]["rank"], by["RXB"]["rank"]} == {2, 3}  # lower is better
    assert by["RXC"]["peer_percentile"] == pytest.approx(100 / 3, abs=0.1)
    assert d["outliers"]["above_998"] == ["RXA", "RXB"] and d["outliers"]["below_998"] == ["RXC"]


def test_overdispersion_by_hand():
    z = np.array([-4.0, -1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 0.2, -0.3])
    se = np.full(10, 0.1)
    lo, hi = np.percentile(z, [10, 90])
    phi = float(np.mean(np.clip(z, lo, hi) ** 2))
    od = overdispersion(z, se)
    assert od["phi"] == pytest.approx(phi) and od["test_statistic"] == pytest.approx(10 * phi)
    assert od["overdispersed"] == (10 * phi > chi2.ppf(0.95, 9))
    assert od["tau2"] == pytest.approx(max(0.0, (10 * phi - 9) / (1000 - 10 * 100 ** 2 / 1000)))


def test_cli(trust, tmp_path):
    import ibis

    con = region(trust, {"RXA": 20, "RXB": 20, "RXC": 70})
    path = tmp_path / "parity.duckdb"
    disk = ibis.duckdb.connect(str(path))
    for t in con.list_tables():
        disk.create_table(t, con.table(t).to_pyarrow())
    disk.disconnect()
    from parity.commands.benchmark import register

    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    out = CliRunner().invoke(app, ["benchmark", "--workspace", str(tmp_path), "--year", "2025", "--org", "rxa",
                                   "--format", "json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert d["organisation"]["org"] == "RXA" and d["disclosure"]["protected"] is False
    assert set(d["organisations"][0]) >= {"org", "value", "denominator", "position", "rank", "peer_percentile"}
    bad = CliRunner().invoke(app, ["benchmark", "--workspace", str(tmp_path), "--year", "2025", "--indicator",
                                   "wres.1"])
    assert bad.exit_code == 2


def test_limits_and_test_are_scipy_stats_bit_for_bit_without_importing_it():
    """The funnel reads SciPy's special functions directly (`parity.stats.special`): the same numbers
    as scipy.stats, and building the benchmark imports no scipy.stats (half a second of its start)."""
    import subprocess
    import sys

    from scipy.stats import norm

    from parity.benchmark import funnel

    assert funnel.Z95 == norm.ppf(0.975) and funnel.Z998 == norm.ppf(0.999)
    rng = np.random.default_rng(7)
    for n in (3, 4, 12, 44, 220):
        z, se = rng.normal(0, 1.6, n), rng.uniform(0.05, 0.5, n)
        got = overdispersion(z, se)
        assert got["p_value"] == chi2.sf(got["test_statistic"], n - 1)
        assert got["overdispersed"] == bool(got["test_statistic"] > chi2.ppf(0.95, n - 1))
        for q in (0.5, 0.95, 0.999):
            assert 2 * funnel.gammaincinv((n - 1) / 2, q) == chi2.ppf(q, n - 1)
    code = "import sys, parity.benchmark.build, parity.benchmark.compare; print('scipy.stats' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
