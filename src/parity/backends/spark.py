"""A local Spark session (``local[2]``) with canonical tables as temporary views."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq

from parity.backends.availability import BackendUnavailable, _spark_problem
from parity.contract import TABLES

if TYPE_CHECKING:
    from ibis.backends import BaseBackend


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


def _spark_from_parquet(folder: Any) -> BaseBackend:
    """A connection on its own Spark session whose views read the Parquet files in ``folder``."""
    from pyspark.sql.pandas.types import from_arrow_schema

    session = spark_session().newSession()
    for key, value in SPARK_CONF.items():
        if key.startswith("spark.sql."):
            session.conf.set(key, value)
    for name in TABLES:
        path = os.path.join(folder, f"{name}.parquet")
        # the schema from the footer, read here: spares Spark a job per file
        session.read.schema(from_arrow_schema(pq.read_schema(path))).parquet(path).createOrReplaceTempView(name)
    return ibis.pyspark.connect(session)
