"""Issue 12.8: every change to the workspace bumps a data version that readers check, so the
dashboard never shows figures from before a CLI import."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from parity.cli import app
from parity.disclosure.rules import DisclosureRule
from parity.ingest import import_file
from parity.web.results import Results
from parity.workspace import Workspace


def staff(org: str, n: int = 4) -> pd.DataFrame:
    return pd.DataFrame({"person_id": [f"{org}-{i}" for i in range(n)], "snapshot_date": "2024-03-31",
                         "ethnic_category": "A", "sex": "female", "disability": "no", "pay_band": "5",
                         "staff_group": "03", "assignment_category": "permanent", "fte": "1",
                         "primary_assignment": "Y", "org_code": org})


def test_every_import_bumps_the_data_version_and_a_failed_one_does_not(ws, write_csv):
    v0 = ws.data_version
    assert import_file(ws, write_csv(staff("R1"), "a.csv"), "workforce").imported
    v1 = ws.data_version
    assert v1 != v0
    bad = staff("R1").assign(fte="nine")
    assert not import_file(ws, write_csv(bad, "bad.csv"), "workforce").imported
    assert ws.data_version == v1
    import_file(ws, write_csv(staff("R2"), "b.csv"), "workforce")
    assert ws.data_version not in (v0, v1)
    assert Workspace(ws.path).data_version == ws.data_version  # read from the folder, not memory


def test_dashboard_cache_sees_a_cli_import(tmp_path, write_csv):
    ws = tmp_path / "ws"
    runner = CliRunner()
    first = runner.invoke(app, ["import", write_csv(staff("R1"), "a.csv"), "-t", "workforce", "-w", str(ws)])
    assert first.exit_code == 0, first.output
    results = Results(ws, DisclosureRule())
    assert results.organisations() == ["R1"] and results.years("R1") == [2024]
    # a CLI import in another process, not through the dashboard
    later = runner.invoke(app, ["import", write_csv(staff("R2").assign(snapshot_date="2025-03-31"), "b.csv"),
                                "-t", "workforce", "-w", str(ws)])
    assert later.exit_code == 0, later.output
    assert results.organisations() == ["R1", "R2"]
    assert results.years("R2") == [2025]
    assert len(results.import_log()) == 2


def test_a_connection_only_the_garbage_collector_holds_does_not_block_the_other_mode(ws):
    """A read-only connection dropped inside a reference cycle keeps the file open until the garbage
    collector runs; opening it read-write meanwhile failed with DuckDB's "different configuration"
    (seen in CI: the demo agenda test after an action's evaluation)."""
    import gc

    ws.connect().close()
    gc.disable()
    try:
        cycle: list = [ws.connect(read_only=True)]
        cycle.append(cycle)
        del cycle
        con = ws.connect(read_only=False)
        assert con.execute("SELECT 1").fetchone() == (1,)
        con.close()
    finally:
        gc.enable()
