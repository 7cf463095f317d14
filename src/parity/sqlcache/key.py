"""What the cached SQL of a standard depends on, as one key (`parity.sqlcache`).

- the code that made it: Parity's version and a hash of the sources of the counting code (the
  indicators, the standards, the contract, the DuckDB backend and this package) and the packaged
  survey question map;
- the engines: the DuckDB version that runs it and the Ibis release that wrote it (its package's
  ``__init__.py``, read without importing Ibis: a new release may convert results differently);
- the data it was made for: the workspace's data version (`parity.workspace.Workspace.data_version`,
  bumped by every import) and, read from DuckDB's own catalogue, every stored table's columns,
  types and size (so a table changed outside Parity invalidates it too), and the workspace's own
  survey question map if it has one;
- the options that change the SQL (the standard, declined offers, the reporting years counted when
  not all: `parity benchmark build`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import duckdb

import parity
from parity.workspace import lock, meta

DB_FILE = "parity.duckdb"
#: the packaged sources whose change changes the SQL or how its results are read
SOURCES = ("indicators", "standards", "contract", "sqlcache", "backends/embedded.py", "backends/arrow.py")
QUESTION_MAP = "survey_question_map.csv"

_source_hash: str | None = None


def source_hash() -> str:
    """SHA-256 over the counting code's files (path and bytes), once per process."""
    global _source_hash
    if _source_hash is None:
        root = Path(parity.__file__).parent
        digest = hashlib.sha256()
        for entry in SOURCES:
            path = root / entry
            files = [path] if path.is_file() else sorted(p for p in path.rglob("*")
                                                         if p.is_file() and p.suffix in (".py", ".csv", ".yaml"))
            for file in files:
                digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
        _source_hash = digest.hexdigest()
    return _source_hash


def ibis_stamp() -> str | None:
    """A hash of the installed Ibis's ``__init__.py`` (which holds its version), without importing it."""
    spec = importlib.util.find_spec("ibis")
    if spec is None or spec.origin is None:
        return None
    return hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()


def open_readonly(folder: Path) -> duckdb.DuckDBPyConnection:
    """The workspace database, read-only (waiting, bounded, while a writer holds it); a missing
    workspace or one of a newer format is an error saying so."""
    db = folder / DB_FILE
    if not db.is_file():
        raise FileNotFoundError(
            f"{folder} is not a Parity workspace (no {DB_FILE}): import data first with "
            f"`parity import FILE --table TABLE --workspace {folder}`")
    meta.check_supported(folder, meta.read(folder))
    try:
        return lock.wait_for_duckdb(lambda: duckdb.connect(str(db), read_only=True), folder, reading=True)
    except duckdb.Error as exc:  # damaged: the same advice as the Ibis path gives
        from parity.workspace import Workspace

        raise Workspace(folder).explain(exc) from exc


def data_version(folder: Path) -> str:
    """`Workspace.data_version` without opening the workspace (format 1: the file's last change)."""
    m = meta.read(folder)
    if m is not None:
        return f"{m['workspace_id']}:{m.get('data_version', 0)}"
    st = (folder / DB_FILE).stat()
    return f"format1:{st.st_mtime_ns}:{st.st_size}"


def catalogue(con: duckdb.DuckDBPyConnection) -> list[Any]:
    """Every stored (not temporary) table's columns and types, and its size, from DuckDB."""
    columns = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = current_database() AND table_schema = 'main' "
        "ORDER BY table_name, ordinal_position").fetchall()
    sizes = con.execute(
        "SELECT table_name, estimated_size, column_count FROM duckdb_tables() "
        "WHERE NOT temporary AND database_name = current_database() ORDER BY table_name").fetchall()
    return [[list(r) for r in columns], [list(r) for r in sizes]]


def key(con: duckdb.DuckDBPyConnection, folder: Path, standard: str, options: dict[str, Any]) -> str:
    qmap = folder / QUESTION_MAP
    parts = {
        "parity": parity.__version__, "sources": source_hash(), "duckdb": duckdb.__version__, "ibis": ibis_stamp(),
        "backend": "duckdb", "standard": standard, "options": options,
        "data_version": data_version(folder), "catalogue": catalogue(con),
        "question_map": hashlib.sha256(qmap.read_bytes()).hexdigest() if qmap.is_file() else None,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
