"""``workspace.json``: what a workspace is (format version, id, key fingerprint, data version),
and the migrations from older formats (docs/ingest.md "Guarantees").

Formats:

- **1** (before workspace.json): ``parity.duckdb`` with ``import_log`` of 11 columns; the key in
  ``secret.key`` inside the workspace.
- **2**: ``workspace.json``; ``import_log`` also records ``rows_replaced`` and ``replaced_scope``;
  the key outside the workspace (`parity.workspace.keystore`).

A writer upgrades an older workspace automatically, after copying the database to
``backups/parity.duckdb.format<N>-<timestamp>``. A newer format than this Parity knows is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from pathlib import Path

from parity.workspace.errors import WorkspaceCorrupt, WorkspaceTooNew

META_FILE = "workspace.json"
FORMAT_VERSION = 3
#: the format of a workspace without workspace.json
LEGACY_FORMAT = 1
BACKUP_DIR = "backups"

IMPORT_LOG_DDL = """
CREATE TABLE IF NOT EXISTS import_log (
    import_id INTEGER, file_name VARCHAR, content_sha256 VARCHAR, table_name VARCHAR,
    org_code VARCHAR, rows_read BIGINT, rows_accepted BIGINT, rows_excluded BIGINT,
    excluded_by_reason JSON, imported_at TIMESTAMP, period VARCHAR,
    rows_replaced BIGINT, replaced_scope VARCHAR
)"""
IMPORT_LOG_COLUMNS = ("import_id", "file_name", "content_sha256", "table_name", "org_code", "rows_read",
                      "rows_accepted", "rows_excluded", "excluded_by_reason", "imported_at", "period",
                      "rows_replaced", "replaced_scope")


def new_meta() -> dict:
    return {"format": "parity-workspace", "format_version": FORMAT_VERSION, "workspace_id": uuid.uuid4().hex,
            "key_fingerprint": None, "data_version": 0,
            "created_at": dt.datetime.now().isoformat(timespec="seconds")}


def read(folder: Path) -> dict | None:
    """The workspace description, or None for a format-1 workspace (no workspace.json)."""
    path = folder / META_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        meta = json.loads(text)
        int(meta["format_version"])
        str(meta["workspace_id"])
    except (ValueError, KeyError, TypeError):
        raise WorkspaceCorrupt(
            f"{path} is damaged (not the JSON Parity wrote). Run `parity workspace check --workspace "
            f"{folder}`; `parity workspace repair --workspace {folder}` rebuilds it (the key is then "
            "checked against the stored pseudonyms' import history, not its fingerprint).") from None
    return meta


def check_supported(folder: Path, meta: dict | None) -> int:
    version = LEGACY_FORMAT if meta is None else int(meta["format_version"])
    if version > FORMAT_VERSION:
        raise WorkspaceTooNew(
            f"The workspace {folder} has format {version}, newer than this Parity supports "
            f"(format {FORMAT_VERSION}). Upgrade Parity (pip install -U parity) to use it; nothing was changed.")
    return version


def write(folder: Path, meta: dict) -> None:
    """Replace workspace.json atomically (write a temporary file, fsync, rename), mode 0600."""
    path = folder / META_FILE
    tmp = folder / f".{META_FILE}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def backup(folder: Path, db_file: str, version: int) -> Path:
    """Copy the (checkpointed) database to backups/ before a migration; returns the copy's path."""
    target_dir = folder / BACKUP_DIR
    target_dir.mkdir(mode=0o700, exist_ok=True)
    os.chmod(target_dir, 0o700)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    target = target_dir / f"{db_file}.format{version}-{stamp}"
    shutil.copyfile(folder / db_file, target)
    os.chmod(target, 0o600)
    return target


def migrate_1_to_2(con) -> None:
    """import_log gains rows_replaced and replaced_scope (unknown, so NULL, for older imports)."""
    con.execute(IMPORT_LOG_DDL)
    con.execute("ALTER TABLE import_log ADD COLUMN IF NOT EXISTS rows_replaced BIGINT")
    con.execute("ALTER TABLE import_log ADD COLUMN IF NOT EXISTS replaced_scope VARCHAR")


def migrate_2_to_3(con) -> None:
    """training gains course_id, part of its key instead of the free-text title (issue 12.6);
    stored rows get their title, as new files without a course id do."""
    if con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'training'").fetchone()[0]:
        con.execute("ALTER TABLE training ADD COLUMN IF NOT EXISTS course_id VARCHAR")
        con.execute("UPDATE training SET course_id = course WHERE course_id IS NULL")


#: format N -> the function bringing a database from N to N + 1 (inside one transaction)
MIGRATIONS = {1: migrate_1_to_2, 2: migrate_2_to_3}
