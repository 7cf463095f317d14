"""Where a standard's counting queries run: Ibis executes each one (`Runner`), and `Recorder` also
writes down the SQL it ran so that later runs can skip Ibis (issue 19, `parity.sqlcache`).

`parity.indicators.standard_counts.count_standard` asks its runner for every query by name: a
scalar (``count:<table>``: does the table hold rows), a frame (``years:<table>``, the count frames,
the survey's queries) or a table materialised once (``staff``: people in post, read by several
counts). The expressions themselves are unchanged; only where their results come from differs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pandas as pd

#: queries whose result shapes the SQL that follows (which survey years the question map is expanded
#: for; the years each table holds, ``years:`` and ``span:``, which decide whether counting some years
#: needs a filter at all, `standard_counts.count_standard`): a cached plan is valid only while they
#: give the same result
SHAPING = ("survey_years",)
SHAPING_PREFIX = ("years:", "span:")


class Runner:
    """Runs each query through Ibis (the default)."""

    def scalar(self, name: str, expr: ir.Scalar) -> int:
        return int(expr.execute())

    def frame(self, name: str, expr: ir.Table) -> pd.DataFrame:
        return expr.to_pandas()

    def materialise(self, name: str, expr: ir.Table) -> ir.Table:
        return expr.cache()

    def empty(self, name: str, columns: list[str]) -> pd.DataFrame:
        """A count that has nothing to count (its table is absent)."""
        return pd.DataFrame(columns=columns)

    def note(self, name: str, value: Any) -> None:
        """A fact the counts were made with (`Recorder` keeps it)."""

    def release(self, table: ir.Table) -> None:
        table.release()


class Recorder(Runner):
    """Runs each query through Ibis and records, in order, the DuckDB SQL of every step.

    Each expression is compiled once (issue 18: Ibis's compile is single-threaded Python on the
    first count of a standard): the SQL recorded is the SQL run, and Ibis's own ``execute`` turns
    DuckDB's result into pandas with the expression's schema, as it does after compiling.

    ``steps`` are plain dicts (JSON): ``{"kind": "table", "name", "columns", "rows"}`` for an
    in-memory table an expression reads (the survey question map: data, inserted as parameters,
    never spliced into SQL), ``{"kind": "setup", "sql"}`` for a table materialised once, and
    ``{"kind": "scalar" | "frame", "name", "sql"}`` for a query whose result the counts read, and
    ``{"kind": "empty", "name", "columns"}`` for a count with nothing to count. ``notes`` holds facts
    the counts were made with (the tables a standard wants).
    """

    def __init__(self, con: ibis.BaseBackend):
        self.con = con
        self.steps: list[dict[str, Any]] = []
        self.notes: dict[str, Any] = {}
        self._tables: set[str] = set()

    def _sql(self, expr: ir.Expr) -> str:
        for op in expr.op().find(ops.InMemoryTable):
            if op.name not in self._tables:
                self._tables.add(op.name)
                self.steps.append(_memtable_step(self.con, op))
        return str(self.con.compile(expr))

    def _typed(self, expr: ir.Table, sql: str) -> str:
        """`sql` returning decimals at the scale Ibis declares (Ibis converts DuckDB's wider sums to
        it, e.g. WDES 9a's sums of squares; the cache must read the same digits)."""
        decimals = {c: t for c, t in expr.schema().items() if t.is_decimal()}
        if not decimals:
            return sql
        types = self.con.compiler.type_mapper
        cols = ", ".join(f'CAST("{c}" AS {types.from_ibis(decimals[c]).sql("duckdb")}) AS "{c}"' if c in decimals
                         else f'"{c}"' for c in expr.columns)
        return f"SELECT {cols} FROM ({sql}) AS _parity_typed"

    @contextmanager
    def _running(self, sql: str) -> Iterator[None]:
        """Ibis's DuckDB ``execute`` (and ``to_pyarrow``) run `sql` instead of compiling the expression
        again: its ``_to_duckdb_relation`` (pre-execute hooks, compile, ``con.sql``) is replaced on this
        connection for the call, and everything after it (the conversion to the expression's types)
        is Ibis's own. Should Ibis rename the method, Ibis compiles again: slower, the same results
        (tests/sqlcache counts the compiles). The connection is the recorder's alone while it records
        (`parity.sqlcache.compile` opens one per count): no other thread may run queries on it."""
        con = self.con

        def relation(expr: ir.Expr, **_: Any):
            con._run_pre_execute_hooks(expr)
            return con.con.sql(sql)

        con._to_duckdb_relation = relation
        try:
            yield
        finally:
            del con._to_duckdb_relation

    def scalar(self, name: str, expr: ir.Scalar) -> int:
        sql = self._sql(expr)
        self.steps.append({"kind": "scalar", "name": name, "sql": sql})
        with self._running(sql):
            return super().scalar(name, expr)

    def frame(self, name: str, expr: ir.Table) -> pd.DataFrame:
        sql = self._sql(expr)
        step = {"kind": "frame", "name": name, "sql": self._typed(expr, sql)}
        self.steps.append(step)
        with self._running(sql):  # Ibis's SQL, not the typed one: Ibis converts the decimals itself
            result = super().frame(name, expr)
        if name in SHAPING or name.startswith(SHAPING_PREFIX):  # the replay checks the data still gives this
            step["expect"] = sorted(map(list, result.astype(object).itertuples(index=False, name=None)))
        return result

    def empty(self, name: str, columns: list[str]) -> pd.DataFrame:
        self.steps.append({"kind": "empty", "name": name, "columns": list(columns)})
        return super().empty(name, columns)

    def note(self, name: str, value: Any) -> None:
        self.notes[name] = value

    def materialise(self, name: str, expr: ir.Table) -> ir.Table:
        table = f"_parity_{name}"
        sql = f'CREATE OR REPLACE TEMP TABLE "{table}" AS {self._sql(expr)}'
        self.steps.append({"kind": "setup", "sql": sql})
        # the table as the replay makes it, from the SQL just compiled (``con.create_table`` would
        # compile the expression again)
        self.con._run_pre_execute_hooks(expr)
        self.con.raw_sql(sql)
        return self.con.table(table)

    def release(self, table: ir.Table) -> None:
        self.con.drop_table(table.get_name(), force=True)


def _memtable_step(con: ibis.BaseBackend, op: ops.InMemoryTable) -> dict[str, Any]:
    types = con.compiler.type_mapper
    frame = op.data.to_frame()
    columns = [[name, types.from_ibis(dtype).sql("duckdb")] for name, dtype in op.schema.items()]
    rows = [[None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row]
            for row in frame.itertuples(index=False, name=None)]
    return {"kind": "table", "name": op.name, "columns": columns, "rows": rows}
