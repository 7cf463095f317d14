"""`parity.backends`: connecting, availability errors, contract types, workspaces."""

from __future__ import annotations

import datetime as dt
import importlib.util

import duckdb
import ibis
import pandas as pd
import pyarrow as pa
import pytest

from parity import backends
from parity.contract import TABLES


def test_duckdb_is_always_available():
    assert backends.available_backends()[0] == "duckdb"


def test_connect_returns_an_existing_connection_unchanged():
    con = ibis.duckdb.connect()
    assert backends.connect(con) is con
    with pytest.raises(ValueError, match="drop workspace"):
        backends.connect(con, tables={})


def test_unknown_backend_and_two_sources_are_refused():
    with pytest.raises(ValueError, match="Unknown backend 'postgres'"):
        backends.connect("postgres")
    with pytest.raises(ValueError, match="not both"):
        backends.connect("duckdb", workspace="x", tables={})


@pytest.mark.parametrize("missing", ["pyspark", "java"])
def test_spark_unavailable_names_the_install(monkeypatch, missing):
    if missing == "pyspark":
        real = importlib.util.find_spec
        monkeypatch.setattr(
            importlib.util,
            "find_spec",
            lambda name, *a: None if name == "pyspark" else real(name, *a),
        )
    else:
        monkeypatch.setattr(backends.availability, "_java", lambda: None)
    assert backends.available_backends() == ["duckdb"]
    with pytest.raises(backends.BackendUnavailable, match=r"pip install 'parity\[spark\]'"):
        backends.connect("spark", tables={})


def test_every_canonical_table_is_present_and_typed():
    con = backends.connect("duckdb", tables={})
    for name in TABLES:
        assert con.table(name).count().execute() == 0
    schema = con.table("workforce").schema()
    assert (
        schema["snapshot_date"].is_date() and schema["clinical"].is_boolean() and schema["fte"].is_float64()
    )
    assert con.table("survey_responses").schema()["answer"].is_string()


def test_to_arrow_applies_contract_types():
    frame = pd.DataFrame(
        {
            "snapshot_date": pd.to_datetime(["2024-03-31", None]),
            "clinical": [True, None],
            "fte": [1, 0],
            "person_id": ["a", "b"],
            "extra": [None, None],
        }
    )
    tbl = backends.to_arrow("workforce", frame)
    assert tbl.schema.field("snapshot_date").type == pa.date32()
    assert tbl.column("snapshot_date").to_pylist() == [dt.date(2024, 3, 31), None]
    assert tbl.schema.field("clinical").type == pa.bool_()
    assert tbl.schema.field("fte").type == pa.float64()
    assert tbl.schema.field("person_id").type == pa.string()
    assert tbl.schema.field("extra").type == pa.string()


def _write_workspace(directory, tables):
    con = duckdb.connect(str(directory / backends.WORKSPACE_DB))
    for name, frame in tables.items():
        arrow = backends.to_arrow(name, frame)  # noqa: F841 - read by duckdb's replacement scan
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM arrow')
    con.execute("CREATE TABLE workspace_key AS SELECT 'secret' AS key")
    con.close()


def test_duckdb_workspace_is_opened_read_only(tmp_path, parity_tables):
    _write_workspace(tmp_path, {"workforce": parity_tables["workforce"]})
    con = backends.connect("duckdb", workspace=tmp_path)
    assert con.table("workforce").count().execute() == len(parity_tables["workforce"])
    with pytest.raises(Exception, match="read-only"):  # noqa: B017
        con.raw_sql("CREATE TABLE x (a INT)")
    assert con.table("training").count().execute() == 0  # absent from the file: present and empty


def test_missing_workspace_is_not_created(tmp_path):
    with pytest.raises(FileNotFoundError, match="No workspace database"):
        backends.connect("duckdb", workspace=tmp_path / "typo")
    assert not (tmp_path / "typo").exists()


@pytest.mark.spark
def test_spark_workspace_exports_canonical_tables_only(tmp_path, parity_tables, spark_session):
    _write_workspace(
        tmp_path, {"workforce": parity_tables["workforce"], "disciplinary": parity_tables["disciplinary"]}
    )
    con = backends.connect("spark", workspace=tmp_path)
    tables = set(con.list_tables())
    assert "workspace_key" not in tables  # nothing but canonical tables leaves the workspace
    assert set(TABLES) <= tables
    assert "workspace_key" in {
        r[0] for r in duckdb.connect(str(tmp_path / backends.WORKSPACE_DB)).execute("SHOW TABLES").fetchall()
    }
    duck = backends.connect("duckdb", workspace=tmp_path)

    def build(c):
        w = c.table("workforce")
        return w.group_by("org_code", "snapshot_date").aggregate(n=w.person_id.nunique(), fte=w.fte.sum())

    d, s = backends.compare_backends(build, {}, connections={"duckdb": duck, "spark": con})
    backends.assert_same_results(d, s)
    assert con.table("workforce").schema() == duck.table("workforce").schema()
    assert con.table("training").count().execute() == 0  # absent in the workspace: present and empty


@pytest.mark.spark
def test_spark_session_settings(spark_session):
    conf = spark_session.conf
    assert conf.get("spark.sql.session.timeZone") == "UTC"
    assert conf.get("spark.sql.ansi.enabled") == "true"
    assert spark_session.sparkContext.master.startswith("local")
    assert backends.spark_session() is spark_session  # one session per process


@pytest.mark.spark
def test_spark_connections_do_not_share_views(spark_session):
    one = backends.connect("spark", tables={"workforce": pd.DataFrame({"person_id": ["a"]})})
    two = backends.connect("spark", tables={"workforce": pd.DataFrame({"person_id": ["a", "b"]})})
    assert one.table("workforce").count().execute() == 1
    assert two.table("workforce").count().execute() == 2


@pytest.mark.spark
def test_spark_exports_once_per_version_of_the_data(tmp_path, parity_tables, spark_session):
    import os
    import stat

    from parity.backends.spark_export import EXPORT_DIR

    workforce = parity_tables["workforce"]
    _write_workspace(tmp_path, {"workforce": workforce})
    first = backends.connect("spark", workspace=tmp_path)
    again = backends.connect("spark", workspace=tmp_path)
    assert again is first  # same data: nothing exported again, the same views reused
    (folder,) = (tmp_path / EXPORT_DIR).iterdir()
    assert stat.S_IMODE(os.stat(tmp_path / EXPORT_DIR).st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.glob("*.parquet")} == {0o600}

    con = duckdb.connect(str(tmp_path / backends.WORKSPACE_DB))  # the data change (an import would)
    con.execute("DELETE FROM workforce WHERE org_code = (SELECT min(org_code) FROM workforce)")
    remaining = con.execute("SELECT count(*) FROM workforce").fetchone()[0]
    con.close()
    os.utime(tmp_path / backends.WORKSPACE_DB, ns=(0, folder.stat().st_mtime_ns + 10**9))
    fresh = backends.connect("spark", workspace=tmp_path)
    assert fresh is not first
    assert fresh.table("workforce").count().execute() == remaining < len(workforce)
    assert [p.name for p in (tmp_path / EXPORT_DIR).iterdir()] != [folder.name]  # the old copy is gone
