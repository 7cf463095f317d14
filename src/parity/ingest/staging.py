"""Store a file read in chunks, chunk by chunk, inside the one import transaction (issue 19).

`Staging` takes the workspace writer lock and opens the transaction when the first chunk's
accepted rows arrive; each chunk is pseudonymised (same key, same pseudonyms as an import at once)
and appended to a staging table with each row's position in the file. At the end, rows found to
share a key only after their chunk was stored are taken out again, and then exactly what
`parity.ingest.load` does for a file read at once happens in the same transaction: delete what the
import replaces, insert the rows (in file order), write the log row, drop the staging table,
commit. Any failure, or Ctrl-C, rolls all of it back: chunk 9 failing leaves chunks 1-8 unstored.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd
import pyarrow as pa

from parity.contract.schema import Table
from parity.ingest import load
from parity.ingest.pseudonymise import pseudonymise_arrow
from parity.workspace import Workspace
from parity.workspace.meta import IMPORT_LOG_DDL

STAGING = "__parity_import_staging"
MEMORY_LIMIT = "512MB"


class Staging:
    """Accepted rows of one import, stored chunk by chunk in one transaction (module docstring)."""

    def __init__(self, ws: Workspace, table: Table, file_name: str):
        self.ws, self.table, self.file_name = ws, table, file_name
        self.con = None
        self._stack: contextlib.ExitStack | None = None

    def _open(self) -> None:
        self._stack = contextlib.ExitStack()
        self._stack.enter_context(self.ws.writing(f"parity import {self.file_name} --table {self.table.name}"))
        self.key = self.ws.key  # checked (missing / wrong) before anything is written
        con = self.con = self.ws.connect()
        load.quiet(con)
        # DuckDB may keep up to 80% of the machine's memory in its buffers; the staged rows are written
        # to the database file as they come, so a cap keeps the import's peak down (issue 19)
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        con.begin()
        con.execute(IMPORT_LOG_DDL)
        con.execute(load.create_sql(self.table))
        load.add_missing_columns(con, self.table)
        self.import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchone()[0]
        cols = ", ".join(f'"{n}" {load.SQL_TYPES.get(k, "VARCHAR")}' for n, k in load.stored_columns(self.table))
        con.execute(f'CREATE TABLE "{STAGING}" ({cols}, import_id INTEGER, _pos BIGINT)')

    def add(self, frame: pd.DataFrame, questions: pd.DataFrame | None, positions: np.ndarray) -> None:
        """Store one chunk's accepted rows (`positions`: their positions in the file)."""
        try:
            if self.con is None:
                self._open()
            frame = frame.copy(deep=False)
            ids = [col.name for col in self.table.columns if col.kind == "id"]
            for name, pseudonyms in zip(ids, pseudonymise_arrow(self.key, [frame[c] for c in ids]), strict=True):
                frame[name] = pseudonyms
            if not self.table.open_columns:
                self._insert(frame, positions)
                return
            # survey responses are stored long (a row per response x question): one question at a time,
            # so a million responses never become 18 million rows in memory at once (issue 19)
            q = questions if questions is not None else pd.DataFrame(index=frame.index)
            for name in q.columns:
                self._insert(load.to_long(frame, q[[name]]), positions)
        except BaseException as exc:
            raise self._abort(exc) from exc

    def _insert(self, frame: pd.DataFrame, positions: np.ndarray) -> None:
        rows = load.to_arrow(frame, self.table, self.import_id)
        rows = rows.append_column("_pos", pa.array(np.asarray(positions, dtype=np.int64)))
        # not register(): DuckDB keeps a registered Arrow table alive until the transaction ends, which
        # held every chunk's rows in memory (about 140 bytes a row) until the commit
        self.con.from_arrow(rows).insert_into(STAGING)

    def finish(self, drop: np.ndarray, log: dict, year: int | None) -> tuple[int, int, int, str]:
        """Take out rows at positions `drop`, replace, insert, log, commit; (import_id, stored, replaced, scope)."""
        con = self.con
        try:
            if len(drop):
                con.register("drop_rows", pa.table({"pos": pa.array(np.asarray(drop, dtype=np.int64))}))
                con.execute(f'DELETE FROM "{STAGING}" WHERE _pos IN (SELECT pos FROM drop_rows)')
                con.unregister("drop_rows")
            con.execute(f'CREATE TEMP VIEW new_rows AS SELECT * FROM "{STAGING}"')
            orgs = [r[0] for r in con.execute("SELECT DISTINCT org_code FROM new_rows WHERE org_code IS NOT NULL "
                                              "ORDER BY 1").fetchall()]
            log = {**log, "org_code": ", ".join(orgs) or log["org_code"]}
            replaced, scope = load._replace(con, self.table, year)
            cols = ", ".join(f'"{n}"' for n, _ in load.stored_columns(self.table)) + ", import_id"
            # in file order without sorting the whole file: staged in order, and DuckDB keeps insertion order
            con.execute(f'INSERT INTO "{self.table.name}" ({cols}) SELECT {cols} FROM new_rows')
            stored = con.execute("SELECT count(*) FROM new_rows").fetchone()[0]
            load.write_log(con, self.import_id, self.table, log, period_text(con, self.table, year), replaced, scope)
            con.execute("DROP VIEW new_rows")
            con.execute(f'DROP TABLE "{STAGING}"')
            con.commit()
            con.execute("RESET memory_limit")  # the setting is the database's: others in this process share it
        except BaseException as exc:
            raise self._abort(exc) from exc
        try:
            con.close()
        finally:
            self.con = None
            self.ws.bump_data_version()
            self._stack.close()
        return self.import_id, int(stored), replaced, scope

    def abort(self) -> None:
        """Roll everything back (nothing of this import stays) and let the lock go."""
        if self._stack is not None:
            self._abort(None)

    def _abort(self, exc: BaseException | None) -> BaseException | None:
        if self.con is not None:
            with contextlib.suppress(Exception):
                self.con.rollback()
            with contextlib.suppress(Exception):
                self.con.execute("RESET memory_limit")
            with contextlib.suppress(Exception):
                self.con.close()
            self.con = None
        if self._stack is not None:
            self._stack.close()
            self._stack = None
        return None if exc is None else load._failure(self.ws, exc, self.file_name)


def period_text(con, table: Table, year: int | None) -> str:
    """`parity.ingest.load.period_text` for the rows in ``new_rows`` (the same words)."""
    names = {n for n, _ in load.stored_columns(table)}
    if table.open_columns or table.period_column is None:
        col = "survey_year" if "survey_year" in names else "year"
        years = [r[0] for r in con.execute(f'SELECT DISTINCT CAST("{col}" AS BIGINT) FROM new_rows '
                                           f'WHERE "{col}" IS NOT NULL ORDER BY 1').fetchall()] if col in names else []
        text = col.replace("_", " ") + " " + ", ".join(map(str, years)) if years else ""
    else:
        col = table.period_column
        if table.snapshot:
            dates = [r[0] for r in con.execute(f'SELECT DISTINCT CAST("{col}" AS VARCHAR) FROM new_rows '
                                               f'WHERE "{col}" IS NOT NULL ORDER BY 1').fetchall()]
            text = "snapshot " + ", ".join(dates)
        else:
            lo, hi = con.execute(f'SELECT CAST(min("{col}") AS VARCHAR), CAST(max("{col}") AS VARCHAR) '
                                 "FROM new_rows").fetchone()
            text = f"{lo} to {hi}" if lo is not None else ""
    return f"reporting year {year}; {text}" if year else text

