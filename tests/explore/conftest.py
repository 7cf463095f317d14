"""Shared data for the explorer tests: synthetic trusts as connections (`Trust` and the `trust`
fixture come from tests/conftest.py)."""

from __future__ import annotations

import ibis
import pandas as pd

from parity.synth import connect as synth_connect


def synth_connection(tables: dict[str, pd.DataFrame]) -> ibis.BaseBackend:
    """`parity.synth.build` tables as a DuckDB connection (survey responses stored long, as on import)."""
    return synth_connect(tables)


def plan_workspace(trust, directory, plan) -> object:
    """A workspace folder holding `trust` with disciplinary cases per (ethnic code, sex, staff, cases)."""
    for eth, sex, n, cases in plan:
        for pid in trust.staff(n, ethnic_category=eth, sex=sex)[:cases]:
            trust.add("disciplinary", person_id=pid)
    con = ibis.duckdb.connect(str(directory / "parity.duckdb"))
    for table in trust.rows:
        con.create_table(table, trust.frame(table))
    con.disconnect()
    return directory
