"""Shared data for the explorer tests: synthetic trusts as connections (`Trust` and the `trust`
fixture come from tests/conftest.py)."""

from __future__ import annotations

import ibis
import pandas as pd

SURVEY_IDS = ["response_id", "survey_year", "org_code", "ethnic_category", "disability", "sex"]


def synth_connection(tables: dict[str, pd.DataFrame]) -> ibis.BaseBackend:
    """`parity.synth.build` tables as a DuckDB connection (survey responses stored long, as on import)."""
    from parity.backends import connect

    tables = dict(tables)
    survey = tables.get("survey_responses")
    if survey is not None:
        long = survey.melt(id_vars=SURVEY_IDS, var_name="question", value_name="answer")
        tables["survey_responses"] = long[long["answer"].notna()].reset_index(drop=True)
    return connect("duckdb", tables=tables)
