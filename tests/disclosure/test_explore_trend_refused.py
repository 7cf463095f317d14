"""`parity explore trend --protected` is refused with a clear message (docs/disclosure-control.md says
why: a trend finding carries none of the yearly counts it is computed from)."""

from __future__ import annotations

from datetime import date

import ibis
import pytest
import typer
from typer.testing import CliRunner

from parity.commands.explore import register
from parity.disclosure.explore import protect_explore


def test_a_finding_without_counts_is_refused():
    with pytest.raises(ValueError, match="explore trend: --protected needs each finding's counts"):
        protect_explore({"kind": "trend", "findings": [{"outcome": "disciplinary", "rl_slope": 0.1}]})


def test_the_command_refuses(trust, tmp_path):
    for year in (2023, 2024, 2025):
        for eth, n, cases in (("A", 300, 20), ("N", 200, 12)):
            for pid in trust.staff(n, ethnic_category=eth, snapshot_date=date(year, 3, 31),
                                   person_id=None)[:cases]:
                trust.add("disciplinary", person_id=pid, case_start_date=date(year - 1, 6, 1))
    con = ibis.duckdb.connect(str(tmp_path / "parity.duckdb"))
    for table in trust.rows:
        con.create_table(table, trust.frame(table))
    con.disconnect()
    app = typer.Typer()
    register(app)
    args = ["explore", "trend", "-w", str(tmp_path), "--year", "2025", "--outcome", "disciplinary", "--by",
            "ethnicity", "--format", "json"]
    assert CliRunner().invoke(app, args).exit_code == 0  # the analyst's view works on these data
    refused = CliRunner().invoke(app, [*args, "--protected"])
    assert refused.exit_code == 2  # a usage error, as the CLI reports every bad request
    assert "--protected needs each finding's counts" in refused.output
