"""DuckDB connections: a workspace's database file, or in-memory tables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis
import pyarrow as pa

from parity.contract import TABLES

if TYPE_CHECKING:
    from ibis.backends import BaseBackend

from parity.backends.arrow import _empty, _with_missing_tables  # noqa: F401

ERR_NO_WORKSPACE = "No workspace database at {path}"

#: the DuckDB file inside a workspace directory
WORKSPACE_DB = "parity.duckdb"


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

