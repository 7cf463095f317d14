"""Where indicator expressions run: Ibis connections on DuckDB (default) or Spark.

Every indicator is an Ibis expression over the canonical tables (`parity.contract`). This module
hands out a connection in which each canonical table is reachable by its canonical name
(``con.table("workforce")``), so the same expression runs embedded on DuckDB for one trust and on
Spark/Databricks for a region or the nation.

- ``connect()`` / ``connect("duckdb", workspace=...)`` / ``connect("duckdb", tables={...})``
- ``connect("spark", workspace=... | tables=...)``: a local Spark session (``local[2]``) with the
  tables registered as temporary views read from Parquet.
- ``connect(con)``: an existing Ibis connection (e.g. ``ibis.pyspark.connect(spark)`` on
  Databricks, whose catalog already holds tables named per the data contract) comes back as is.

``compare_backends`` runs one expression builder on DuckDB and Spark over the same frames; the
Spark test-suite and the indicator parity tests use it. The semantic differences between the two
engines that matter for our expressions are listed in ``docs/databricks.md``.
"""


from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    from ibis.backends import BaseBackend

from parity.backends import availability  # noqa: F401  (tests patch what it finds)
from parity.backends.arrow import _with_missing_tables, to_arrow
from parity.backends.availability import (
    ERR_BOTH_SOURCES,
    ERR_NO_SOURCE,
    ERR_SOURCE_WITH_CONNECTION,
    ERR_UNKNOWN_BACKEND,
    BackendUnavailable,
    _spark_problem,
    available_backends,
)
from parity.backends.compare import assert_same_results, compare_backends
from parity.backends.embedded import WORKSPACE_DB, _duckdb_from_arrow, _workspace_duckdb
from parity.backends.spark import _spark_from_arrow, _spark_from_parquet, spark_session, stop_spark
from parity.backends.spark_export import workspace_spark

__all__ = [
    "BACKENDS",
    "WORKSPACE_DB",
    "BackendUnavailable",
    "assert_same_results",
    "available_backends",
    "compare_backends",
    "connect",
    "spark_session",
    "stop_spark",
    "to_arrow",
]

#: backend names `connect` accepts (``"pyspark"`` is accepted as an alias of ``"spark"``)
BACKENDS = ("duckdb", "spark")


def connect(
    backend: str | BaseBackend = "duckdb",
    *,
    workspace: Any = None,
    tables: Mapping[str, pd.DataFrame | pa.Table] | None = None,
) -> BaseBackend:
    """An Ibis connection in which every canonical table is available by its canonical name.

    Parameters
    ----------
    backend
        ``"duckdb"`` (default) or ``"spark"``; or an existing Ibis connection, returned unchanged
        (its catalog must already hold tables named per the data contract).
    workspace
        A workspace directory (or ``parity.workspace.Workspace``): its ``parity.duckdb`` file.
        On Spark the canonical tables are exported to Parquet once per version of the data
        (`parity.backends.spark_export`) and registered as temporary views.
    tables
        ``{canonical name: DataFrame}``: in-memory tables, converted to the contract's stored
        types (`to_arrow`). Canonical tables not given are present and empty.

    Raises
    ------
    BackendUnavailable
        ``"spark"`` asked for without pyspark or Java.
    """
    if not isinstance(backend, str):
        if workspace is not None or tables is not None:
            raise ValueError(ERR_SOURCE_WITH_CONNECTION)
        return backend
    name = {"pyspark": "spark"}.get(backend.lower(), backend.lower())
    if name not in BACKENDS:
        raise ValueError(ERR_UNKNOWN_BACKEND.format(name=backend, choices=", ".join(BACKENDS)))
    if workspace is not None and tables is not None:
        raise ValueError(ERR_BOTH_SOURCES)
    if name == "duckdb":
        if workspace is not None:
            return _workspace_duckdb(workspace)
        return _duckdb_from_arrow(_with_missing_tables(tables or {}))
    if _spark_problem():
        raise BackendUnavailable(_spark_problem())
    if workspace is not None:  # exported once per version of the workspace's data
        return workspace_spark(workspace, _spark_from_parquet)
    if tables is None:
        raise ValueError(ERR_NO_SOURCE.format(name=name))
    return _spark_from_arrow(_with_missing_tables(tables))

