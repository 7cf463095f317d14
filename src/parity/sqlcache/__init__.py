"""Compiled SQL cached per workspace version: `parity wres` and `parity wdes` without Ibis or
pandas (issue 19).

The first run of a standard (WRES, or WDES with its metric 9a scores) on a workspace counts through Ibis as always, with a
`parity.indicators.runner.Recorder` that writes down the DuckDB SQL of every query it ran (the
probes of which tables hold rows and for which years, people in post, each count frame, the survey).
The SQL is stored in ``<workspace>/sql-cache/`` (folder 0700, files 0600, like the rest of the
workspace) under a key (`parity.sqlcache.key`): the Parity version and a hash of the counting
code's sources, the DuckDB version, the workspace's data version and the schema and size of every
stored table, the survey question map, and the options that change the SQL. Later runs compute the
key, read the SQL if the key matches, and run it with the ``duckdb`` module directly
(`parity.sqlcache.replay`): neither Ibis nor pandas is imported.

The cached SQL is code the process runs, so it is never run blindly: the file carries an
HMAC-SHA256 over its exact bytes, made with a per-user key kept outside the workspace (beside the
pseudonymisation keys, `parity.workspace.keystore`). A file that is damaged, foreign (another
user's or another machine's), or made for other data or code fails the check and is rebuilt.
Spark and other backends keep the Ibis path; so do ``--by-unit``/``--within`` and ``--protected``.
``PARITY_SQL_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from parity.indicators.counted import Counted
    from parity.indicators.results import StandardResult

#: the environment variable that turns the cache off ("0")
ENV = "PARITY_SQL_CACHE"
#: the standards the cache knows how to count
STANDARDS = ("wres", "wdes")


def enabled(backend: str) -> bool:
    """Whether a command may use the cache: DuckDB only, and not turned off."""
    return backend.lower() == "duckdb" and os.environ.get(ENV, "1") != "0"


def standard_counts(workspace, standard: str, *, exclude_declined: bool, years: list[int] | None = None) -> Counted:
    """The counts of `standard` (and WDES's scores) on a workspace directory: from the cached SQL
    when it is valid, otherwise through Ibis (recording the SQL for next time). ``years``: count
    those reporting years only (`parity.indicators.standard_counts.count_standard`); the years are part
    of the key and of the file name, so a plan for one set of years never runs for another."""
    from parity.sqlcache import key as cache_key
    from parity.sqlcache import replay, store

    if standard not in STANDARDS:
        raise ValueError(f"the SQL cache does not count {standard!r}")
    folder = Path(getattr(workspace, "path", workspace))
    options: dict = {"exclude_declined": bool(exclude_declined)}
    # one file per set of options that changes the SQL, so alternating them does not recompile
    stem = standard if exclude_declined else f"{standard}-declined-offers-kept"
    if years is not None:
        options["years"] = sorted({int(y) for y in years})
        stem += "-years-" + "-".join(str(y) for y in options["years"])
    con = cache_key.open_readonly(folder)  # clear errors for a missing or damaged workspace
    try:
        key = cache_key.key(con, folder, standard, options)
        plan = store.load(folder, stem, key)
        if plan is not None:
            try:
                return replay.run(con, plan)
            except (replay.Stale, replay.PlanError, duckdb.Error):
                pass  # compiled again below (a query that fails is not trusted either), and replaced
    finally:
        con.close()
    from parity.sqlcache.compile import compile_counts

    counts, plan = compile_counts(folder, standard, options)
    store.save(folder, stem, key, plan)
    return counts


def wres(workspace, *, year: int, org: str | None, config) -> StandardResult:
    """`parity.wres` on a workspace directory, counted through the cache."""
    from parity.standards.wres.api import assemble

    counts, _ = standard_counts(workspace, "wres", exclude_declined=config.exclude_declined_offers)
    counts.check_year(year)
    return assemble(counts, year=year, org=org, config=config)


def wdes(workspace, *, year: int, org: str | None, config) -> StandardResult:
    """`parity.wdes` on a workspace directory, counted through the cache."""
    from parity.standards.wdes.api import assemble

    counts, scores = standard_counts(workspace, "wdes", exclude_declined=config.exclude_declined_offers)
    counts.check_year(year)
    return assemble(counts, scores, year=year, org=org, config=config,
                    workspace_dir=Path(getattr(workspace, "path", workspace)))
