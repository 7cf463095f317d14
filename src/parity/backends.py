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

import atexit
import importlib.util
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from parity.contract import TABLES

if TYPE_CHECKING:
    import pandas as pd
    from ibis.backends import BaseBackend

__all__ = [
    "BACKENDS",
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

#: the DuckDB file inside a workspace directory
WORKSPACE_DB = "parity.duckdb"

SPARK_INSTALL_HINT = "pip install 'parity[spark]'"
ERR_NO_PYSPARK = f"The Spark backend needs pyspark: {SPARK_INSTALL_HINT}"
ERR_NO_JAVA = (
    f"The Spark backend needs a Java runtime (17 or later) on PATH or in JAVA_HOME; "
    f"install one, then {SPARK_INSTALL_HINT} if you have not already"
)
ERR_UNKNOWN_BACKEND = "Unknown backend {name!r}: choose one of {choices}, or pass an Ibis connection"
ERR_BOTH_SOURCES = "Give either workspace= or tables=, not both"
ERR_SOURCE_WITH_CONNECTION = "An existing connection already holds its tables: drop workspace=/tables="
ERR_NO_WORKSPACE = "No workspace database at {path}"
ERR_NO_SOURCE = "connect({name!r}) needs workspace= or tables="

#: Spark settings for the local session. ANSI mode stays on (the Spark 4 and Databricks default):
#: with it, a bad cast or an integer overflow raises as DuckDB does instead of silently giving
#: NULL or a wrapped number. Division by zero differs either way (DuckDB: inf; Spark: an error
#: with ANSI, NULL without): guard denominators with ``nullif(0)``, see docs/databricks.md.
SPARK_CONF: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "true",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "2",
    "spark.driver.memory": "1g",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}

#: JVM options of the local driver (``PARITY_SPARK_JAVA_OPTIONS`` replaces them)
LOCAL_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

_KIND_TYPES: dict[str, pa.DataType] = {
    "date": pa.date32(),
    "bool": pa.bool_(),
    "float": pa.float64(),
    "int": pa.int64(),
}


class BackendUnavailable(RuntimeError):
    """The requested backend cannot run here (a package or Java is missing)."""


# --------------------------------------------------------------------------------------------
# availability


def _spark_problem() -> str | None:
    """Why Spark cannot run here, or None when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return ERR_NO_PYSPARK
    if _java() is None:
        return ERR_NO_JAVA
    return None


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def available_backends() -> list[str]:
    """Names of the backends that can run on this machine, DuckDB first."""
    return ["duckdb"] + (["spark"] if _spark_problem() is None else [])


# --------------------------------------------------------------------------------------------
# frames -> Arrow with the data contract's stored types


def _contract_type(table: str, column: str) -> pa.DataType | None:
    spec = TABLES.get(table)
    if spec is None:
        return None
    try:
        kind = spec.column(column).kind
    except KeyError:
        return None
    return _KIND_TYPES.get(kind, pa.string())


def to_arrow(name: str, frame: pd.DataFrame | pa.Table) -> pa.Table:
    """`frame` as an Arrow table with the stored types of canonical table `name`.

    Contract columns get their stored type (dates DATE, bools BOOLEAN, floats DOUBLE, codes and
    ids VARCHAR), so a frame holding pandas timestamps or Python dates gives the same table on
    every backend. Other columns keep Arrow's inferred type (large strings become strings).
    Values are never altered beyond the type conversion; a value that does not convert raises.
    """
    tbl = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    fields = []
    for f in tbl.schema:
        target = _contract_type(name, f.name)
        if target is None:
            target = pa.string() if pa.types.is_large_string(f.type) else f.type
        if pa.types.is_null(f.type) and target == f.type:
            target = pa.string()  # an all-null column of unknown type
        fields.append(pa.field(f.name, target))
    schema = pa.schema(fields)
    if schema == tbl.schema:
        return tbl
    columns = []
    for col, f in zip(tbl.columns, schema, strict=True):
        if pa.types.is_date32(f.type) and pa.types.is_timestamp(col.type) and col.type.tz is not None:
            col = pc.local_timestamp(col)  # the date on the wall clock, not in UTC
        columns.append(col.cast(f.type))
    return pa.Table.from_arrays(columns, schema=schema)


def _empty(name: str) -> pa.Table:
    """An empty canonical table with the contract's columns (long form for survey responses)."""
    spec = TABLES[name]
    fields = [pa.field(c.name, _KIND_TYPES.get(c.kind, pa.string())) for c in spec.columns]
    if spec.open_columns:
        fields += [pa.field("question", pa.string()), pa.field("answer", pa.string())]
    return pa.schema(fields).empty_table()


def _with_missing_tables(tables: Mapping[str, pd.DataFrame | pa.Table]) -> dict[str, pa.Table]:
    out = {name: to_arrow(name, frame) for name, frame in tables.items()}
    for name in TABLES:
        out.setdefault(name, _empty(name))
    return out


# --------------------------------------------------------------------------------------------
# DuckDB


def _workspace_dir(workspace: Any) -> Path:
    if isinstance(workspace, str | os.PathLike):
        return Path(workspace)
    for attr in ("path", "dir", "directory"):
        value = getattr(workspace, attr, None)
        if isinstance(value, str | os.PathLike):
            return Path(value)
    return Path(workspace)


def _workspace_duckdb(workspace: Any) -> BaseBackend:
    """The workspace's DuckDB file as an Ibis connection (read-only where possible).

    Canonical tables the workspace does not hold yet are added as empty temporary tables (the
    file itself is not written), so every canonical table is reachable, as on Spark.
    """
    if hasattr(workspace, "ibis"):
        con = workspace.ibis()
    else:
        path = _workspace_dir(workspace) / WORKSPACE_DB
        if not path.is_file():  # never create a workspace by connecting to a mistyped path
            raise FileNotFoundError(ERR_NO_WORKSPACE.format(path=path))
        try:
            from parity.workspace import Workspace
        except ImportError:
            con = ibis.duckdb.connect(str(path), read_only=True)
        else:
            con = Workspace.open(path.parent, create=False).ibis()
    raw = con.con
    # not con.list_tables(): ibis 12 calls a DuckDB method that DuckDB 2 removed
    present = {r[0] for r in raw.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    for name in TABLES:
        if name not in present:
            raw.register("_parity_empty", _empty(name))
            raw.execute(f'CREATE TEMP TABLE "{name}" AS SELECT * FROM _parity_empty')
            raw.unregister("_parity_empty")
    return con


def _duckdb_from_arrow(tables: Mapping[str, pa.Table]) -> BaseBackend:
    con = ibis.duckdb.connect()
    for name, tbl in tables.items():
        con.create_table(name, tbl)
    return con


# --------------------------------------------------------------------------------------------
# Spark

_spark_lock = threading.Lock()
_spark: Any = None  # the shared SparkSession (root of every connection's own session)
_spark_dirs: list[str] = []  # Parquet directories behind the temporary views


def spark_session() -> Any:
    """The process-wide local SparkSession, started on first use (takes a few seconds).

    ``PARITY_SPARK_MASTER``, ``PARITY_SPARK_DRIVER_MEMORY`` and ``PARITY_SPARK_JAVA_OPTIONS``
    override ``local[2]``, ``1g`` and `LOCAL_JAVA_OPTIONS`.
    """
    global _spark
    problem = _spark_problem()
    if problem:
        raise BackendUnavailable(problem)
    with _spark_lock:
        if _spark is not None:
            return _spark
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # the workers must run this interpreter, not whatever `python3` is on PATH
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        from pyspark.sql import SparkSession

        java_options = os.environ.get("PARITY_SPARK_JAVA_OPTIONS", LOCAL_JAVA_OPTIONS)
        warehouse = tempfile.mkdtemp(prefix="parity-spark-warehouse-")
        _spark_dirs.append(warehouse)
        builder = (
            SparkSession.builder.master(os.environ.get("PARITY_SPARK_MASTER", "local[2]"))
            .appName("parity")
            .config("spark.sql.warehouse.dir", warehouse)
            # C1-only JIT and the serial GC: a local session runs small jobs, and these halve its
            # warm-up (session start + first query ~25 s -> ~11 s on 2 cores)
            .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={warehouse} {java_options}")
        )
        conf = dict(SPARK_CONF)
        conf["spark.driver.memory"] = os.environ.get(
            "PARITY_SPARK_DRIVER_MEMORY", conf["spark.driver.memory"]
        )
        for key, value in conf.items():
            builder = builder.config(key, value)
        try:
            session = builder.getOrCreate()
        except Exception as exc:  # the JVM failed to start: report it as unavailable
            raise BackendUnavailable(f"Spark did not start: {exc}") from exc
        session.sparkContext.setLogLevel("ERROR")
        _spark = session
        return session


def stop_spark() -> None:
    """Stop the shared Spark session and delete the Parquet files behind its views."""
    global _spark
    with _spark_lock:
        if _spark is not None:
            _spark.stop()
            _spark = None
        while _spark_dirs:
            shutil.rmtree(_spark_dirs.pop(), ignore_errors=True)


atexit.register(stop_spark)


def _spark_from_arrow(tables: Mapping[str, pa.Table]) -> BaseBackend:
    """A connection on its own Spark session (shared JVM, private temporary views)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    session = spark_session().newSession()
    for key, value in SPARK_CONF.items():
        if key.startswith("spark.sql."):
            session.conf.set(key, value)
    directory = tempfile.mkdtemp(prefix="parity-spark-")
    _spark_dirs.append(directory)
    for name, tbl in tables.items():
        path = os.path.join(directory, f"{name}.parquet")
        pq.write_table(tbl, path)
        # an explicit schema spares Spark a job to read the footer of every file
        session.read.schema(from_arrow_schema(tbl.schema)).parquet(path).createOrReplaceTempView(name)
    return ibis.pyspark.connect(session)


def _workspace_arrow(workspace: Any) -> dict[str, pa.Table]:
    """The canonical tables of a workspace, via Parquet written by DuckDB.

    Only canonical tables leave the workspace: the import log (and the key, a separate file) are
    never copied.
    """
    raw = _workspace_duckdb(workspace).con  # the underlying duckdb connection
    directory = tempfile.mkdtemp(prefix="parity-export-")
    try:
        out: dict[str, pa.Table] = {}
        for name in TABLES:
            path = os.path.join(directory, f"{name}.parquet")
            raw.execute(f"COPY \"{name}\" TO '{path}' (FORMAT PARQUET)")
            out[name] = pq.read_table(path)
        return out
    finally:
        shutil.rmtree(directory, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# the entry point


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
        On Spark the canonical tables are exported to Parquet and registered as temporary views.
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
    if workspace is not None:
        return _spark_from_arrow(_workspace_arrow(workspace))
    if tables is None:
        raise ValueError(ERR_NO_SOURCE.format(name=name))
    return _spark_from_arrow(_with_missing_tables(tables))


# --------------------------------------------------------------------------------------------
# running one expression on both engines


def compare_backends(
    build: Callable[[BaseBackend], ibis.Expr],
    tables: Mapping[str, pd.DataFrame | pa.Table],
    *,
    connections: Mapping[str, BaseBackend] | None = None,
    sort: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build one expression on DuckDB and on Spark from the same tables; return both results.

    `build` receives a connection and returns an Ibis expression (table, column or scalar). The
    results come back as DataFrames (a scalar as a one-row frame named ``value``) with rows
    sorted by every column and a fresh index, ready for `assert_same`-style comparison.
    ``connections={"duckdb": ..., "spark": ...}`` reuses connections already holding `tables`.
    """
    cons = dict(connections or {})
    if "duckdb" not in cons:
        cons["duckdb"] = connect("duckdb", tables=tables)
    if "spark" not in cons:
        cons["spark"] = connect("spark", tables=tables)
    return _result(build(cons["duckdb"]), sort), _result(build(cons["spark"]), sort)


def _result(expr: ibis.Expr, sort: bool) -> pd.DataFrame:
    import pandas as pd

    value = expr.execute()
    if isinstance(value, pd.DataFrame):
        df = value
    elif isinstance(value, pd.Series):
        df = value.to_frame()
    else:
        df = pd.DataFrame({"value": [value]})
    if sort and (keys := _sortable(df)):
        df = df.sort_values(keys, na_position="last", kind="mergesort")
    return df.reset_index(drop=True)


def _sortable(df: pd.DataFrame) -> list[str]:
    """Columns whose values can be ordered (not lists, maps or structs)."""
    out = []
    for col in df.columns:
        sample = df[col].dropna()
        if sample.empty or not isinstance(sample.iloc[0], list | dict | tuple):
            out.append(col)
    return out


def assert_same_results(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    rtol: float = 1e-12,
    names: tuple[str, str] = ("duckdb", "spark"),
) -> None:
    """Assert two result frames hold the same values: integers exactly, floats to `rtol`.

    NULL, NaN and None are all "missing" and must be missing in the same cells; the pandas dtype
    that carries them may differ (DuckDB gives an integer column with NULLs as objects, Spark as
    floats), so dtypes are not compared. Rows are compared in order: sort first (as
    `compare_backends` does) unless the order itself is under test.
    """
    import numpy as np
    import pandas as pd

    assert list(left.columns) == list(right.columns), (
        f"columns differ: {names[0]} {list(left.columns)}, {names[1]} {list(right.columns)}"
    )
    assert len(left) == len(right), f"row counts differ: {names[0]} {len(left)}, {names[1]} {len(right)}"
    for col in left.columns:
        a, b = left[col].reset_index(drop=True), right[col].reset_index(drop=True)
        na, nb = a.isna().to_numpy(), b.isna().to_numpy()
        if (na != nb).any():
            row = int(np.flatnonzero(na != nb)[0])
            raise AssertionError(
                f"{col!r}: missing in one only at row {row}: {names[0]} {a[row]!r}, {names[1]} {b[row]!r}"
            )
        a, b = a[~na].infer_objects(), b[~nb].infer_objects()
        numeric = pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b)
        if numeric and not (pd.api.types.is_bool_dtype(a) or pd.api.types.is_bool_dtype(b)):
            fa, fb = a.to_numpy(dtype="float64"), b.to_numpy(dtype="float64")
            integral = pd.api.types.is_integer_dtype(a) or pd.api.types.is_integer_dtype(b)
            same = fa == fb if integral else np.isclose(fa, fb, rtol=rtol, atol=0.0) | (fa == fb)
        else:
            same = np.array([x == y for x, y in zip(a.tolist(), b.tolist(), strict=True)], dtype=bool)
        if not same.all():
            row = int(np.flatnonzero(~same)[0])
            raise AssertionError(
                f"{col!r}: {int((~same).sum())} values differ; first at row {a.index[row]}: "
                f"{names[0]} {a.iloc[row]!r}, {names[1]} {b.iloc[row]!r}"
            )
