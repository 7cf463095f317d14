"""Write accepted rows into the workspace: pseudonymise, type, replace, log — in one transaction.

Rules (docs/ingest.md "Importing"):

- Identifiers are replaced by their pseudonyms before anything touches the database.
- Stored columns are exactly the contract's columns plus ``import_id``; survey responses are stored
  long (one row per response × question: columns ``question``, ``answer``).
- Re-importing replaces, never duplicates: snapshot tables replace the same org_code +
  snapshot_date; other tables replace rows with the same key; the identical file (same sha256 and
  table) replaces its own earlier rows.
- Delete, insert and the log row happen in one DuckDB transaction; any exception rolls back.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pyarrow as pa

from parity.contract.schema import Table
from parity.ingest.pseudonymise import pseudonymise
from parity.workspace import IMPORT_LOG_DDL, Workspace

SQL_TYPES = {"date": "DATE", "bool": "BOOLEAN", "float": "DOUBLE", "int": "BIGINT"}
ARROW_TYPES = {"date": pa.date32(), "bool": pa.bool_(), "float": pa.float64(), "int": pa.int64()}
SURVEY_LONG = ("response_id", "survey_year", "org_code", "ethnic_category", "disability", "sex",
               "question", "answer")


def stored_columns(table: Table) -> list[tuple[str, str]]:
    """(name, kind) of the stored columns, without ``import_id``."""
    if table.open_columns:
        kinds = {c.name: c.kind for c in table.columns}
        return [(c, kinds.get(c, "str")) for c in SURVEY_LONG]
    return [(c.name, c.kind) for c in table.columns]


def create_sql(table: Table) -> str:
    cols = ", ".join(f'"{n}" {SQL_TYPES.get(k, "VARCHAR")}' for n, k in stored_columns(table))
    return f'CREATE TABLE IF NOT EXISTS "{table.name}" ({cols}, import_id INTEGER)'


def to_long(frame: pd.DataFrame, questions: pd.DataFrame) -> pd.DataFrame:
    """Wide survey responses → one row per response × question (blank answers stored as NULL)."""
    ids = [c for c in SURVEY_LONG if c not in ("question", "answer")]
    wide = pd.concat([frame[ids], questions.astype(str).apply(lambda s: s.str.strip())], axis=1)
    long = wide.melt(id_vars=ids, var_name="question", value_name="answer")
    long["answer"] = long["answer"].where(long["answer"] != "", None)
    return long


def to_arrow(frame: pd.DataFrame, table: Table, import_id: int) -> pa.Table:
    arrays, names = [], []
    for name, kind in stored_columns(table):
        values = frame[name].astype(object).where(frame[name].notna(), None).tolist()
        if kind == "date":
            arr = pa.array(values, pa.string()).cast(pa.date32())
        elif kind == "int":
            arr = pa.array(values, pa.float64()).cast(pa.int64())
        else:
            arr = pa.array(values, ARROW_TYPES.get(kind, pa.string()))
        arrays.append(arr)
        names.append(name)
    arrays.append(pa.array([import_id] * len(frame), pa.int32()))
    return pa.Table.from_arrays(arrays, names=names + ["import_id"])


def period_text(frame: pd.DataFrame, table: Table, year: int | None) -> str:
    if table.open_columns or table.period_column is None:
        years = sorted({int(y) for y in frame.get("survey_year", pd.Series(dtype=float)).dropna()})
        text = "survey year " + ", ".join(map(str, years)) if years else ""
    else:
        dates = frame[table.period_column].dropna()
        if table.snapshot:
            text = "snapshot " + ", ".join(sorted(set(dates)))
        else:
            text = f"{dates.min()} to {dates.max()}" if len(dates) else ""
    return f"reporting year {year}; {text}" if year else text


def _replace(con, table: Table, sha256: str) -> int:
    q = f'"{table.name}"'
    n = con.execute(f"DELETE FROM {q} WHERE import_id IN (SELECT import_id FROM import_log "
                    "WHERE content_sha256 = ? AND table_name = ?)", [sha256, table.name]).fetchone()[0]
    cols = ("org_code", "snapshot_date") if table.snapshot else table.key
    match = " AND ".join(f't."{c}" IS NOT DISTINCT FROM n."{c}"' for c in cols)
    distinct = ", ".join(f'"{c}"' for c in cols)
    n += con.execute(f"DELETE FROM {q} t WHERE EXISTS (SELECT 1 FROM (SELECT DISTINCT {distinct} "
                     f"FROM new_rows) n WHERE {match})").fetchone()[0]
    return n


def store(ws: Workspace, frame: pd.DataFrame, table: Table, *, questions: pd.DataFrame | None,
          log: dict, year: int | None) -> tuple[int, int, int]:
    """Store `frame` (accepted canonical rows); returns (import_id, rows stored, rows replaced)."""
    frame = frame.copy()
    key = ws.key
    for col in table.columns:
        if col.kind == "id":
            frame[col.name] = pseudonymise(key, frame[col.name])
    if table.open_columns:
        frame = to_long(frame, questions if questions is not None else pd.DataFrame(index=frame.index))
    con = ws.connect()
    try:
        con.begin()
        try:
            con.execute(IMPORT_LOG_DDL)
            con.execute(create_sql(table))
            import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchone()[0]
            con.register("new_rows", to_arrow(frame, table, import_id))
            replaced = _replace(con, table, log["content_sha256"])
            cols = ", ".join(f'"{n}"' for n, _ in stored_columns(table)) + ", import_id"
            con.execute(f'INSERT INTO "{table.name}" ({cols}) SELECT {cols} FROM new_rows')
            write_log(con, import_id, table, log, period_text(frame, table, year))
            con.unregister("new_rows")
            con.commit()
        except BaseException:
            con.rollback()
            raise
    finally:
        con.close()
    return import_id, len(frame), replaced


def write_log(con, import_id: int, table: Table, log: dict, period: str) -> None:
    con.execute("INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        import_id, log["file_name"], log["content_sha256"], table.name, log["org_code"],
        log["rows_read"], log["rows_accepted"], log["rows_excluded"],
        json.dumps(log["excluded_by_reason"]), dt.datetime.now().replace(microsecond=0), period])
