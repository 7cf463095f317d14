"""Where the explorer reads from: the connection, its tables, and the people in post, scoped.

Every explorer opens its `Sources` here (never through `parity.explore.api`, so the explorer's
modules import one way). A scope — one organisation, some reporting years — is applied to the raw
tables *before* anything is built from them: the staff-in-post window then runs over that
organisation's rows only, not over the national table filtered afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import ibis
import ibis.expr.types as ir

from parity.indicators.populations import OPTIONAL, staff_in_post
from parity.indicators.source import open_source

STAFF_COLUMNS = ("org_code", "year", "person_id", "ethnic_category", "sex", "disability", "age_band",
                 "staff_group", "pay_band", *OPTIONAL)


class Sources:
    """The connection, which tables it holds, and the people in post (materialised once).

    ``org``: only this organisation's rows are read. ``years``: reporting years the caller needs;
    staff are built for those 31 Marches and the one before each (promotion and leaving start a
    year earlier). Both default to everything.
    """

    def __init__(self, con: ibis.BaseBackend, workspace_dir: Path | None = None, *, org: str | None = None,
                 years: Iterable[int] | None = None) -> None:
        self.con = con
        self.workspace_dir = workspace_dir
        self.org = org
        self.years = sorted({int(y) for y in years}) if years is not None else None
        self.tables = set(con.list_tables())
        self._staff: ir.Table | None = None
        self._cached: dict[str, ir.Table] = {}

    def has(self, table: str) -> bool:
        return table in self.tables

    def table(self, name: str) -> ir.Table:
        """A canonical table, restricted to the scope's organisation."""
        t = self.con.table(name)
        return t.filter(t.org_code == self.org) if self.org is not None else t

    @property
    def staff(self) -> ir.Table:
        if self._staff is None:
            wf = self.table("workforce")
            if self.years is not None:
                snapshots = sorted({y for year in self.years for y in (year - 1, year)})
                wf = wf.filter(wf.snapshot_date.year().isin(snapshots))
            self._staff = staff_in_post(self.con, workforce=wf, optional=True).select(*STAFF_COLUMNS).cache()
        return self._staff

    def cached(self, key: str, build: Callable[[], ir.Table]) -> ir.Table:
        """`build()` materialised once per scope and shared by the outcomes that read it (the four
        staff survey items: one pass over the responses instead of four)."""
        if key not in self._cached:
            expr = build()
            # Ibis's PySpark backend compiles a table to cache without registering the in-memory
            # tables it reads (the survey map's), so Spark cannot find them: shared uncached there
            self._cached[key] = expr.cache() if self.con.name == "duckdb" else expr
        return self._cached[key]

    def release(self) -> None:
        if self._staff is not None:
            self._staff.release()
            self._staff = None
        if self.con.name == "duckdb":
            for table in self._cached.values():
                table.release()
        self._cached.clear()


def open_sources(source, *, org: str | None = None, years: Iterable[int] | None = None) -> Sources:
    """`source` (an Ibis connection, a workspace directory, a `Workspace` or `Sources`) as `Sources`."""
    if isinstance(source, Sources):
        return source
    con, workspace_dir = open_source(source)
    return Sources(con, workspace_dir, org=org, years=years)
