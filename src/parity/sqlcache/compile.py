"""A standard's counts through Ibis, with the SQL of every query written down (`parity.sqlcache`).

The plan this returns is what `parity.sqlcache.replay` runs next time: the definitions of the
empty stand-ins for canonical tables the workspace does not hold (`parity.backends.embedded`
makes them as temporary tables), then the recorded steps in the order they ran.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parity.indicators.counted import Counted
from parity.indicators.runner import Recorder
from parity.indicators.source import open_source

PLAN_VERSION = 1


def compile_counts(folder: Path, standard: str, options: dict[str, Any]) -> tuple[Counted, dict[str, Any]]:
    """((the counts, WDES's scores or None), made through Ibis; the plan that makes them again
    without it)."""
    con, workspace_dir = open_source(folder, backend="duckdb")
    stand_ins = [sql for (sql,) in con.con.execute(
        "SELECT sql FROM duckdb_tables() WHERE temporary ORDER BY table_name").fetchall()]
    recorder = Recorder(con)
    declined, years = options["exclude_declined"], options.get("years")
    if standard == "wres":
        from parity.standards.wres.counts import count_wres

        counted = count_wres(con, workspace_dir=workspace_dir, exclude_declined=declined, runner=recorder,
                             years=years), None
    elif standard == "wdes":  # as `parity.standards.wdes.api.wdes` counts
        from parity.indicators.standard_counts import survey_years_of
        from parity.indicators.survey import load_question_map, score_counts
        from parity.standards.wdes.counts import by_disability, count_wdes

        counts = count_wdes(con, workspace_dir=workspace_dir, exclude_declined=declined, runner=recorder,
                            years=years)
        counted = counts, score_counts(con, by_disability, load_question_map(workspace_dir), ["wdes.9a"],
                                       runner=recorder, survey_years=survey_years_of(years))
    else:
        raise ValueError(f"the SQL cache does not count {standard!r}")
    plan = {"version": PLAN_VERSION, "standard": standard, "stand_ins": stand_ins,
            "steps": recorder.steps, "notes": recorder.notes}
    return counted, plan
