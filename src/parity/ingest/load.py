"""Write accepted rows into the workspace: pseudonymise, type, replace, log — in one transaction.

Rules (docs/ingest.md "Importing"):

- Identifiers are replaced by their pseudonyms before anything touches the database.
- Stored columns are exactly the contract's columns plus ``import_id``; survey responses are stored
  long (one row per response × question: columns ``question``, ``answer``).
- Re-importing replaces, never duplicates; an import replaces exactly what it covers
  (`replace_condition`): snapshot tables the same org_code + snapshot_date; with ``--year`` event
  tables the organisation's reporting year; always rows with the same key. The log records how
  many rows were replaced and the scope in words.
- Delete, insert and the log row happen in one DuckDB transaction under the workspace writer
  lock; any exception rolls back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json

import numpy as np
import pandas as pd
import pyarrow as pa

from parity.contract.schema import Table
from parity.ingest import objects
from parity.ingest.pseudonymise import pseudonymise_arrow
from parity.ingest.readers import release_memory
from parity.ingest.validate import financial_year
from parity.workspace import Workspace
from parity.workspace.errors import DiskFull
from parity.workspace.meta import IMPORT_LOG_COLUMNS, IMPORT_LOG_DDL

SQL_TYPES = {"date": "DATE", "bool": "BOOLEAN", "float": "DOUBLE", "int": "BIGINT"}
ARROW_TYPES = {"date": pa.date32(), "bool": pa.bool_(), "float": pa.float64(), "int": pa.int64()}
#: rows per Arrow record batch handed to DuckDB: its row-group size. One 1 M-row batch per column
#: made DuckDB's Arrow scan take about twice the CPU and wall time of the same rows in batches
#: (docs/ingest.md "Speed", session 26: 4.3 s vs 2.1 s CPU for the 1 M-row insert).
BATCH_ROWS = 122_880
SURVEY_LONG = ("response_id", "survey_year", "org_code", "ethnic_category", "disability", "sex",
               "question", "answer")


def stored_columns(table: Table) -> list[tuple[str, str]]:
    """(name, kind) of the stored columns, without ``import_id``."""
    if table.open_columns:
        kinds = {c.name: c.kind for c in table.columns}
        return [(c, kinds.get(c, "str")) for c in SURVEY_LONG]
    return [(c.name, c.kind) for c in table.columns if c.stored]


def create_sql(table: Table) -> str:
    cols = ", ".join(f'"{n}" {SQL_TYPES.get(k, "VARCHAR")}' for n, k in stored_columns(table))
    return f'CREATE TABLE IF NOT EXISTS "{table.name}" ({cols}, import_id INTEGER)'


def add_missing_columns(con, table: Table) -> None:
    """A table stored before the contract gained optional columns (issue 17) gets them, NULL."""
    have = {r[0] for r in con.execute(f'DESCRIBE "{table.name}"').fetchall()}
    optional = {c.name for c in table.columns if not c.required}
    for name, kind in stored_columns(table):
        if name not in have and name in optional:
            con.execute(f'ALTER TABLE "{table.name}" ADD COLUMN "{name}" {SQL_TYPES.get(kind, "VARCHAR")}')


def to_long(frame: pd.DataFrame, questions: pd.DataFrame) -> pd.DataFrame:
    """Wide survey responses → one row per response × question (blank answers stored as NULL)."""
    ids = [c for c in SURVEY_LONG if c not in ("question", "answer")]
    wide = pd.concat([frame[ids], questions.astype(str).apply(lambda s: s.str.strip())], axis=1)
    long = wide.melt(id_vars=ids, var_name="question", value_name="answer")
    long["answer"] = long["answer"].where(long["answer"] != "", None)
    return long


def to_arrow(frame: pd.DataFrame, table: Table, import_id: int) -> pa.Table:
    """The stored columns as Arrow, converted column-wise in C (missing → null), never via Python lists.

    Returned in record batches of `BATCH_ROWS` (zero-copy slices of the columns), the unit DuckDB's
    Arrow scan reads and inserts; row order is unchanged.
    """
    arrays, names = [], []
    made: dict = {}  # columns that are one array (absent columns' default, rowcheck.fill_defaults): converted once
    alive = []  # the arrays looked at stay referenced, so no address is reused while `made` is in use
    for name, kind in stored_columns(table):
        s = frame[name]
        if isinstance(s.dtype, pd.ArrowDtype) and kind not in ("float", "int", "bool", "date"):
            arrays.append(pa.array(s.array).cast(pa.string()))  # pseudonyms: Arrow already (issue 19)
            names.append(name)
            continue
        same = _memory(s, kind, alive)
        if same is not None and same in made:
            arrays.append(made[same])
            names.append(name)
            continue
        if kind in ("float", "int"):
            arr = pa.array(s.astype("float64"), pa.float64(), from_pandas=True)
            arr = arr.cast(pa.int64()) if kind == "int" else arr
        else:
            # each distinct object converted once (a parsed column repeats a few objects; issue 19)
            arr = objects.arrow_array(s.astype(object), pa.bool_() if kind == "bool" else pa.string(),
                                      cast=pa.date32() if kind == "date" else None)
        arrays.append(arr)
        names.append(name)
        if same is not None:
            made[same] = arr
    arrays.append(pa.array(np.full(len(frame), import_id, dtype=np.int32)))
    whole = pa.Table.from_arrays(arrays, names=names + ["import_id"])
    return pa.Table.from_batches(whole.to_batches(max_chunksize=BATCH_ROWS), schema=whole.schema)


def _memory(s: pd.Series, kind: str, alive: list) -> tuple | None:
    """What identifies an object column's memory (address, strides, length) and its Arrow conversion:
    two live columns with the same hold the same values (Arrow arrays are immutable, so shared)."""
    if s.dtype != object:
        return None
    a = s.to_numpy()
    alive.append(a)
    return (kind if kind in ("float", "int", "bool", "date") else "text", a.__array_interface__["data"][0],
            a.strides, len(a))


def period_text(frame: pd.DataFrame, table: Table, year: int | None) -> str:
    if table.open_columns or table.period_column is None:
        col = "survey_year" if "survey_year" in frame else "year"  # benchmarks: "year" (issue 18)
        years = sorted({int(y) for y in frame.get(col, pd.Series(dtype=float)).dropna()})
        text = col.replace("_", " ") + " " + ", ".join(map(str, years)) if years else ""
    else:
        dates = frame[table.period_column].dropna()
        if table.snapshot:
            text = "snapshot " + ", ".join(sorted(set(dates)))
        else:
            text = f"{dates.min()} to {dates.max()}" if len(dates) else ""
    return f"reporting year {year}; {text}" if year else text


def replace_condition(table: Table, year: int | None) -> tuple[str, list, str]:
    """(SQL condition on the stored table ``t``, its parameters, the scope in words).

    The scope is what the import covers: a snapshot table's organisation x snapshot date; with
    ``--year Y`` an event table's organisation x reporting year (every stored row of that year is
    the file's to replace); and always the stored rows with the same key as a new row (a
    corrected record). Never "the same file": one multi-year file imported a year at a time keeps
    every year (issue 12.1).
    """
    key = ("org_code", *[c for c in table.key if c != "org_code"])
    match = " AND ".join(f't."{c}" IS NOT DISTINCT FROM n."{c}"' for c in key)
    conds = [f"EXISTS (SELECT 1 FROM (SELECT DISTINCT {', '.join(repr_col(c) for c in key)} FROM new_rows) n "
             f"WHERE {match})"]
    params: list = []
    words = f"rows with the same key ({', '.join(table.key)}) as a new row"
    if table.snapshot:
        conds.append('EXISTS (SELECT 1 FROM (SELECT DISTINCT org_code, snapshot_date FROM new_rows) n '
                     'WHERE t.org_code IS NOT DISTINCT FROM n.org_code AND t.snapshot_date = n.snapshot_date)')
    elif year and table.period_column and not table.open_columns:
        start, end = financial_year(year)
        conds.append(f't.org_code IN (SELECT DISTINCT org_code FROM new_rows) AND '
                     f't."{table.period_column}" BETWEEN ? AND ?')
        params += [start, end]
    return " OR ".join(f"({c})" for c in reversed(conds)), params, words


def repr_col(name: str) -> str:
    return f'"{name}"'


def scope_text(con, table: Table, year: int | None, key_words: str) -> str:
    """The scope of this import in words, e.g. "applications R1 2023-04-01 to 2024-03-31"."""
    orgs = [r[0] or "" for r in con.execute("SELECT DISTINCT org_code FROM new_rows ORDER BY 1").fetchall()]
    if table.snapshot:
        rows = con.execute("SELECT org_code, string_agg(DISTINCT CAST(snapshot_date AS VARCHAR), ', ' "
                           "ORDER BY CAST(snapshot_date AS VARCHAR)) FROM new_rows GROUP BY 1 ORDER BY 1").fetchall()
        parts = [f"{org} snapshot {dates}" for org, dates in rows]
        return f"{table.name} " + "; ".join(parts) + f"; and {key_words}"
    if year and table.period_column and not table.open_columns:
        start, end = financial_year(year)
        return f"{table.name} {', '.join(orgs)} {start} to {end} (reporting year {year}); and {key_words}"
    return f"{table.name}: {key_words} (organisation {', '.join(orgs)})"


def _replace(con, table: Table, year: int | None) -> tuple[int, str]:
    """Delete the stored rows this import covers; returns (rows deleted, scope and what was replaced)."""
    q = f'"{table.name}"'
    cond, params, key_words = replace_condition(table, year)
    text = scope_text(con, table, year, key_words)
    if con.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {q})").fetchone()[0]:
        return 0, text  # nothing stored yet: nothing to replace (skips scanning the new rows' keys)
    by_import = con.execute(f"SELECT import_id, count(*) FROM {q} t WHERE {cond} GROUP BY 1 ORDER BY 1",
                            params).fetchall()
    n = sum(int(c) for _, c in by_import)
    if n:
        con.execute(f"DELETE FROM {q} t WHERE {cond}", params)
        text += "; replaced " + ", ".join(f"{c} row(s) of import {i}" for i, c in by_import)
    return n, text


def store(ws: Workspace, frame: pd.DataFrame, table: Table, *, questions: pd.DataFrame | None,
          log: dict, year: int | None) -> tuple[int, int, int, str]:
    """Store `frame` (accepted canonical rows); returns (import_id, rows stored, rows replaced, scope).

    Holds the workspace writer lock throughout (other writers queue); the key is checked before
    anything is written. A full disk becomes `DiskFull` saying whether anything changed.
    """
    frame = frame.copy(deep=False)  # columns are replaced below, never changed in place
    with ws.writing(f"parity import {log['file_name']} --table {table.name}"):
        ids = [col.name for col in table.columns if col.kind == "id"]
        for name, pseudonyms in zip(ids, pseudonymise_arrow(ws.key, [frame[c] for c in ids]), strict=True):
            frame[name] = pseudonyms
        if table.open_columns:
            frame = to_long(frame, questions if questions is not None else pd.DataFrame(index=frame.index))
        release_memory()
        import_id, replaced, scope = _transaction(ws, frame, table, log, year)
        ws.bump_data_version()
    return import_id, len(frame), replaced, scope


def _transaction(ws: Workspace, frame: pd.DataFrame, table: Table, log: dict, year: int | None):
    con = ws.connect()
    try:
        quiet(con)
        con.begin()
        con.execute(IMPORT_LOG_DDL)
        con.execute(create_sql(table))
        add_missing_columns(con, table)
        import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchone()[0]
        con.register("new_rows", to_arrow(frame, table, import_id))
        replaced, scope = _replace(con, table, year)
        cols = ", ".join(f'"{n}"' for n, _ in stored_columns(table)) + ", import_id"
        con.execute(f'INSERT INTO "{table.name}" ({cols}) SELECT {cols} FROM new_rows')
        write_log(con, import_id, table, log, period_text(frame, table, year), replaced, scope)
        con.unregister("new_rows")
        con.commit()
    except BaseException as exc:
        with contextlib.suppress(Exception):  # after a failed commit there may be no transaction left
            con.rollback()
        with contextlib.suppress(Exception):
            con.close()
        raise _failure(ws, exc, log["file_name"]) from exc
    try:
        con.close()  # may checkpoint: the import is already committed (in the write-ahead log)
    except Exception as exc:  # noqa: BLE001
        err = ws.explain(exc)
        if isinstance(err, DiskFull):
            raise DiskFull(f"Disk full while writing {ws.db_path} after the import of {log['file_name']} was "
                           "saved: the workspace holds the new data. Free some space before the next "
                           "import.") from exc
        raise
    return import_id, replaced, scope


def quiet(con) -> None:
    """No DuckDB progress bar: it prints to stdout for a query slower than two seconds (the 1 M-row
    insert), into ``parity import --format json``'s output."""
    con.execute("SET enable_progress_bar = false")


def _failure(ws: Workspace, exc: BaseException, file_name: str) -> BaseException:
    err = ws.explain(exc) if isinstance(exc, Exception) else exc
    if isinstance(err, DiskFull):
        return DiskFull(f"Disk full while writing {ws.db_path}; nothing was changed (the import of "
                        f"{file_name} was rolled back). Free some space and import it again.")
    return exc if err is exc else err


def write_log(con, import_id: int, table: Table, log: dict, period: str, replaced: int = 0,
              scope: str = "") -> None:
    con.execute(f"INSERT INTO import_log ({', '.join(IMPORT_LOG_COLUMNS)}) VALUES "
                f"({', '.join('?' * len(IMPORT_LOG_COLUMNS))})", [
        import_id, log["file_name"], log["content_sha256"], table.name, log["org_code"],
        log["rows_read"], log["rows_accepted"], log["rows_excluded"],
        json.dumps(log["excluded_by_reason"]), dt.datetime.now().replace(microsecond=0), period,
        replaced, scope])
