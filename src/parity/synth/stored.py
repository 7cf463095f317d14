"""Generated tables as a workspace stores them, and an in-memory connection over them.

`build` returns the canonical tables as files carry them; ingest stores ``survey_responses`` long
(one row per response × question, docs/decisions/0002). Tests, benchmarks and simulations that skip
the import step use these to see exactly what an import would give the indicators.
"""

from __future__ import annotations

import ibis
import pandas as pd

#: the respondent columns of ``survey_responses``; every other column is a question
RESPONDENT = ["response_id", "survey_year", "org_code", "ethnic_category", "disability", "sex"]


def stored_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A copy of `tables` with ``survey_responses`` long (``question``, ``answer``; blank answers dropped)."""
    out = dict(tables)
    wide = out.get("survey_responses")
    if wide is not None:
        long = wide.melt(id_vars=RESPONDENT, var_name="question", value_name="answer")
        out["survey_responses"] = long[long["answer"].notna()].reset_index(drop=True)
    return out


def connect(tables: dict[str, pd.DataFrame], backend: str = "duckdb") -> ibis.BaseBackend:
    """An Ibis connection (in-memory DuckDB, or Spark) holding the generated tables as stored."""
    from parity.backends import connect as backend_connect

    return backend_connect(backend, tables=stored_tables(tables))
