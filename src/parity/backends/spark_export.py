"""A workspace's canonical tables as Parquet for Spark, exported once per version of the data.

Spark cannot read the DuckDB file, so the canonical tables are copied to Parquet. Copying on every
call cost seconds (DuckDB wrote the files, Arrow read them back, Arrow wrote them again for Spark).
Now DuckDB writes each table once into ``<workspace>/spark-export/<version>/`` — the version the
workspace reports for its data (it changes with every import), so a stale copy is never read —
Spark reads those files directly, and within a process the connection itself is reused until the
data changes. Only canonical tables are exported (never the import log or key material); the
folder is private (0700, files 0600) like the rest of the workspace, and older versions are removed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from parity.backends.embedded import _workspace_dir, _workspace_duckdb
from parity.contract import TABLES

EXPORT_DIR = "spark-export"
DONE = "complete"

_lock = threading.Lock()
#: (workspace directory, data version) -> the Ibis Spark connection over that export
_connections: dict[tuple[str, str], Any] = {}


def data_version(directory: Path) -> str:
    """The workspace's data version (it falls back to the database file's last change by itself)."""
    from parity.workspace import Workspace

    return hashlib.sha256(Workspace(directory).data_version.encode()).hexdigest()[:16]


def exported(workspace: Any) -> Path:
    """The folder of Parquet files for the workspace's current data, written if not there yet."""
    directory = _workspace_dir(workspace)
    root = directory / EXPORT_DIR
    target = root / data_version(directory)
    if (target / DONE).is_file():
        return target
    root.mkdir(mode=0o700, exist_ok=True)
    os.chmod(root, 0o700)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
    try:
        raw = _workspace_duckdb(workspace).con
        for name in TABLES:
            path = staging / f"{name}.parquet"
            raw.execute(f"COPY \"{name}\" TO '{path}' (FORMAT PARQUET)")
            os.chmod(path, 0o600)
        (staging / DONE).write_text("", encoding="utf-8")
        try:
            staging.rename(target)  # atomic: a reader sees a whole export or none
        except OSError:  # another process finished the same version first
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for old in root.iterdir():  # earlier versions (and abandoned staging folders) go
        if old != target and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return target


def workspace_spark(workspace: Any, session_factory) -> Any:
    """An Ibis Spark connection over the workspace's export, reused while its data is unchanged."""
    directory = _workspace_dir(workspace)
    folder = exported(workspace)
    key = (str(directory.resolve()), folder.name)
    with _lock:
        con = _connections.get(key)
        if con is None:
            for stale in [k for k in _connections if k[0] == key[0]]:
                del _connections[stale]
            con = _connections[key] = session_factory(folder)
    return con
