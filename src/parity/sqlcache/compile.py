"""A standard's counts through Ibis, with the SQL of every query written down (`parity.sqlcache`).

The plan this returns is what `parity.sqlcache.replay` runs next time: the definitions of the
empty stand-ins for canonical tables the workspace does not hold (`parity.backends.embedded`
makes them as temporary tables), then the recorded steps in the order they ran.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parity.indicators.counted import StandardCounts
from parity.indicators.runner import Recorder
from parity.indicators.source import open_source

PLAN_VERSION = 1


def _counter(standard: str):
    if standard == "wres":
        from parity.standards.wres.counts import count_wres

        return count_wres
    raise ValueError(f"the SQL cache does not count {standard!r}")


def compile_counts(folder: Path, standard: str, options: dict[str, Any]) -> tuple[StandardCounts, dict[str, Any]]:
    """(the counts, made through Ibis; the plan that makes them again without it)."""
    count = _counter(standard)
    con, workspace_dir = open_source(folder, backend="duckdb")
    stand_ins = [sql for (sql,) in con.con.execute(
        "SELECT sql FROM duckdb_tables() WHERE temporary ORDER BY table_name").fetchall()]
    recorder = Recorder(con)
    counts = count(con, workspace_dir=workspace_dir, exclude_declined=options["exclude_declined"], runner=recorder)
    plan = {"version": PLAN_VERSION, "standard": standard, "stand_ins": stand_ins,
            "steps": recorder.steps, "notes": recorder.notes}
    return counts, plan
