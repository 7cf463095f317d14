"""Run a cached plan with the ``duckdb`` module and rebuild the counts from its results, as
`parity.indicators.standard_counts.count_standard` builds them from Ibis's (`parity.sqlcache`).

Only plans that passed the signature check reach here; even so, each step's shape is checked
before anything runs. The results are plain lists (`parity.indicators.rows.Rows`); the few steps
``count_standard`` and ``survey_counts`` do after the queries (which tables are missing, the years
each table holds, supplied survey aggregates overriding the responses) are repeated here in plain
Python — `tests/sqlcache` checks the JSON of both paths byte for byte.
"""

from __future__ import annotations

import math
import re
from typing import Any

import duckdb

from parity.indicators.counted import Counted, StandardCounts
from parity.indicators.moments import mean_sd
from parity.indicators.rows import Rows, missing

#: identifiers a plan may create (Ibis's in-memory table names, our own stand-ins)
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
KINDS = {"table", "setup", "scalar", "frame", "empty"}
#: columns `count_standard` reads as whole numbers
WHOLE = ("numerator", "denominator", "count", "year")
FRAMES = ("distribution", "headcount", "board", "recruitment")
#: stored rows under which the plan runs on one thread: a trust's tables are small enough that
#: DuckDB's threads cost more CPU to coordinate than they save (demo trust: 0.23 s CPU on one thread
#: against 0.28 s on two); a region's or the nation's keep every thread
ONE_THREAD_ROWS = 2_000_000
#: the columns of the survey frame (`parity.indicators.survey._empty`)
SURVEY_COLUMNS = ["org_code", "survey_year", "indicator", "group", "numerator", "denominator", "source"]
#: the columns of WDES's scores (`parity.indicators.survey._empty_scores`)
SCORE_COLUMNS = ["org_code", "survey_year", "indicator", "group", "n", "mean", "sd"]


class PlanError(ValueError):
    """A plan that does not have the shape `parity.sqlcache.compile` writes."""


class Stale(Exception):
    """The data no longer gives what the plan's SQL was shaped by (e.g. a survey year added
    outside Parity, with no new data version): compile again."""


def _check(plan: dict[str, Any]) -> None:
    steps = plan.get("steps")
    if plan.get("version") != 1 or not isinstance(steps, list) or not isinstance(plan.get("stand_ins"), list):
        raise PlanError("not a plan of this version")
    for step in steps:
        if not isinstance(step, dict) or step.get("kind") not in KINDS:
            raise PlanError(f"unknown step {step!r:.80}")
        if step["kind"] == "table" and not (NAME.match(str(step.get("name")))
                                            and all(NAME.match(str(c)) for c, _ in step["columns"])):
            raise PlanError(f"bad table name in {step.get('name')!r:.80}")


def _rows(cursor: duckdb.DuckDBPyConnection) -> Rows:
    names = [d[0] for d in cursor.description]
    data = cursor.fetchall()
    columns = {n: [r[i] for r in data] for i, n in enumerate(names)}
    for n in WHOLE:
        if n in columns:
            columns[n] = [int(v) for v in columns[n]]
    return Rows(columns)


def stored_rows(con: duckdb.DuckDBPyConnection) -> int:
    """The rows of every stored table, as DuckDB estimates them."""
    return int(con.execute("SELECT coalesce(sum(estimated_size), 0) FROM duckdb_tables() WHERE NOT temporary"
                           ).fetchone()[0])


def execute(con: duckdb.DuckDBPyConnection, plan: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Rows]]:
    """Run every step: (scalars by name, frames by name)."""
    _check(plan)
    # what Ibis sets on every DuckDB connection it opens (the SQL was compiled for it)
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET python_enable_replacements = false")
    if stored_rows(con) < ONE_THREAD_ROWS:
        con.execute("SET threads = 1")
    for sql in plan["stand_ins"]:
        con.execute(sql)
    scalars: dict[str, Any] = {}
    frames: dict[str, Rows] = {}
    for step in plan["steps"]:
        kind = step["kind"]
        if kind == "table":
            cols = ", ".join(f'"{c}" {t}' for c, t in step["columns"])
            con.execute(f'CREATE OR REPLACE TEMP TABLE "{step["name"]}" ({cols})')
            if step["rows"]:  # literals, not parameters: DuckDB imports pandas to bind parameters
                values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in step["rows"])
                con.execute(f'INSERT INTO "{step["name"]}" VALUES {values}')
        elif kind == "setup":
            con.execute(step["sql"])
        elif kind == "scalar":
            scalars[step["name"]] = int(con.execute(step["sql"]).fetchone()[0])
        elif kind == "frame":
            frames[step["name"]] = rows = _rows(con.execute(step["sql"]))
            if "expect" in step and sorted(map(list, zip(*rows.columns.values(), strict=True))) != step["expect"]:
                raise Stale(step["name"])
        else:
            frames[step["name"]] = Rows({c: [] for c in step["columns"]})
    return scalars, frames


def _literal(value: Any) -> str:
    """A value of an in-memory table as SQL: NULL, a boolean, a number or a quoted string, nothing else."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"'{value!r}'::DOUBLE"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise PlanError(f"unexpected value {value!r:.40} in a plan's table")


def run(con: duckdb.DuckDBPyConnection, plan: dict[str, Any]) -> Counted:
    """The counts the plan's standard reads (and WDES's scores), from its SQL run on `con`."""
    try:
        scalars, frames = execute(con, plan)
    finally:  # the setting is the database's, shared by this process's other connections to it
        con.execute("RESET threads")
    wanted = plan["notes"]["wanted"]
    missing_tables = {t for t in wanted if scalars.get(f"count:{t}", 0) == 0}
    table_years = {name.split(":", 1)[1]: sorted(int(y) for y in rows["year"] if not missing(y))
                   for name, rows in frames.items() if name.startswith("years:")}
    events = {name.split(":", 1)[1]: rows for name, rows in frames.items() if name.startswith("events:")}
    # a plan counting some years only (`count_standard`'s ``years``) names the workspace's organisations
    found = frames.get("organisations")
    organisations = None if found is None else sorted({o for o in found["org_code"] if not missing(o)})
    counts = StandardCounts(*(frames[f] for f in ("distribution", "headcount", "recruitment")), events,
                            survey_frame(frames.get("survey_responses"), frames.get("survey_results")),
                            frames["board"], missing_tables, table_years, organisations)
    return counts, (score_frame(frames.get("scores")) if plan["standard"] == "wdes" else None)


def score_frame(sums: Rows | None) -> Rows:
    """`parity.indicators.survey._moments` over plain lists: each group's mean and sd from the
    exact sums the SQL returns."""
    if sums is None or sums.empty:
        return Rows({c: [] for c in SCORE_COLUMNS})
    out = {c: list(sums[c]) for c in SCORE_COLUMNS[:5]}
    moments = [mean_sd(n, s1, s2) for n, s1, s2 in zip(sums["n"], sums["s1"], sums["s2"], strict=True)]
    return Rows({**out, "n": [int(n) for n in out["n"]], "mean": [m for m, _ in moments],
                 "sd": [sd for _, sd in moments]})


def survey_frame(responses: Rows | None, results: Rows | None) -> Rows:
    """`parity.indicators.survey.survey_counts` over plain lists: the counts from responses
    (``source`` "responses"), except where supplied aggregates (``survey_results``) cover the same
    organisation, survey year and indicator; then the aggregates, ``percent`` turned back into a
    count (rounded half to even, as pandas) where ``positive`` is not given."""
    parts = []
    if responses is not None and not responses.empty:
        parts.append({**{c: list(responses[c]) for c in SURVEY_COLUMNS[:-1]}, "source": ["responses"] * len(responses)})
    if results is not None and not results.empty:
        numerator = [p if not missing(p) else _from_percent(pc, r)
                     for p, pc, r in zip(results["positive"], results["percent"], results["responses"], strict=True)]
        aggs = {"org_code": results["org_code"], "survey_year": results["survey_year"],
                "indicator": results["indicator"], "group": results["group"],
                "numerator": [None if missing(v) else int(v) for v in numerator],
                "denominator": [None if missing(v) else int(v) for v in results["responses"]],
                "source": ["aggregates"] * len(results)}
        if parts:
            covered = set(zip(aggs["org_code"], aggs["survey_year"], aggs["indicator"], strict=True))
            keep = [i for i, k in enumerate(zip(*(parts[0][c] for c in ("org_code", "survey_year", "indicator")),
                                                strict=True)) if k not in covered]
            parts[0] = {c: [v[i] for i in keep] for c, v in parts[0].items()}
        parts.append(aggs)
    parts = [p for p in parts if p["org_code"]]
    return Rows({c: [v for p in parts for v in p[c]] for c in SURVEY_COLUMNS})


def _from_percent(percent, responses) -> int | None:
    if missing(percent) or missing(responses):
        return None
    return round(float(percent) * float(responses) / 100)
