"""Indicator results for the pages: computed from the workspace, protected, cached in memory.

Results are cached per (org, year, standard) and their protected copies per (…, suppressed); any
change to the workspace clears the cache: every read compares the workspace's data version
(bumped by every import, CLI or web) with the one the cache was built from (issue 12.8). One lock serialises DuckDB work in this process, because DuckDB refuses a
read-write connection (an import) while read-only ones on the same file are open.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import Any

from parity.workspace import Workspace, WorkspaceError
from parity.workspace.meta import META_FILE

STANDARDS = ("WRES", "WDES")
#: years shown in an indicator's trend (the reporting year and up to four before it)
TREND_YEARS = 5
NOT_IN_RELEASE = "{standard} has no published result for {org} in {year}"


class WatchedWorkspace(Workspace):
    """The workspace as the server reads it: ``data_version`` is read again only when workspace.json
    has changed on disk (one ``stat``, not an open, read and JSON parse: a page asks several times,
    and under load those reads were about 5% of the server's samples). The file is replaced whole
    on every change (`parity.workspace.meta.write`), so its inode, times or size change with it."""

    _seen: tuple | None = None
    _version: str | None = None

    @property
    def data_version(self) -> str:
        try:
            st = (self.path / META_FILE).stat()
        except FileNotFoundError:  # format 1: the version is the database file's own stat already
            return super().data_version
        seen = (st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size)
        if seen != self._seen or self._version is None:
            # stat first, read second: a change in between is read again at the next call
            self._version, self._seen = super().data_version, seen
        return self._version


class Results:
    def __init__(self, workspace: Path, rule):
        self.workspace = WatchedWorkspace.open(workspace, create=True)
        self.rule = rule
        self.lock = threading.RLock()
        self._raw: dict[tuple, dict[str, Any] | Exception] = {}
        self._protected: dict[tuple, dict[str, Any]] = {}
        self._meta: dict[str, Any] = {}
        #: drawn charts per (org, year, suppressed, indicator), cleared with the results
        self.charts: dict[tuple, Any] = {}
        self._version = self.workspace.data_version

    def refresh(self) -> None:
        """Drop every cached result if the workspace changed since they were computed."""
        version = self.workspace.data_version
        if version != self._version:
            with self.lock:
                self.invalidate()
                self._version = version

    # --- what the workspace holds -------------------------------------------------------------
    def organisations(self) -> list[str]:
        """Organisation codes present in the workspace data (any canonical table)."""
        self.refresh()
        if "orgs" not in self._meta:
            with self.lock:
                self._meta["orgs"] = self._query_orgs()
        return self._meta["orgs"]

    def years(self, org: str) -> list[int]:
        """Reporting years (financial years ending 31 March) with a workforce snapshot, newest first."""
        self.refresh()
        key = f"years:{org}"
        if key not in self._meta:
            with self.lock:
                self._meta[key] = self._query_years(org)
        return self._meta[key]

    def _query_orgs(self) -> list[str]:
        orgs: set[str] = set()
        with self.workspace.connect(read_only=False) as con:
            for table in self.workspace.tables():
                cols = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
                if "org_code" in cols:
                    orgs |= {r[0] for r in con.execute(f"SELECT DISTINCT org_code FROM {table}").fetchall() if r[0]}
        return sorted(orgs)

    def _query_years(self, org: str) -> list[int]:
        if "workforce" not in self.workspace.tables():
            return []
        with self.workspace.connect(read_only=False) as con:
            rows = con.execute(
                "SELECT DISTINCT CASE WHEN month(snapshot_date) <= 3 THEN year(snapshot_date) "
                "ELSE year(snapshot_date) + 1 END AS y FROM workforce WHERE org_code = ? ORDER BY y DESC",
                [org]).fetchall()
        return [int(r[0]) for r in rows if r[0] is not None]

    # --- results ------------------------------------------------------------------------------
    def raw(self, org: str, year: int, standard: str) -> dict[str, Any]:
        """The unprotected result dict (docs/results-json.md); raises what the standard raised."""
        self.refresh()
        key = (org, year, standard)
        if key not in self._raw:
            with self.lock:
                if key not in self._raw:
                    self._raw[key] = self._compute(org, year, standard)
        value = self._raw[key]
        if isinstance(value, Exception):
            raise value
        return value

    def standard(self, org: str, year: int, standard: str, *, suppressed: bool = True) -> dict[str, Any]:
        """The result as a page may show it: protected (suppressed) or marked not for publication.

        Protected pages read from one release of every organisation and year (`release`), the same
        pass as the report, so no page, year or organisation can be subtracted from another."""
        self.refresh()
        if not suppressed:
            key = (org, year, standard, suppressed)
            if key not in self._protected:
                from parity.disclosure import protect

                self._protected[key] = protect(self.raw(org, year, standard), self.rule, unsuppressed=True)
            return self._protected[key]
        docs, orgs = self.release(standard)
        from parity.report.release import unit_for

        found = docs.get((unit_for(org, orgs), year))
        if found is None:
            self.raw(org, year, standard)  # raises what the standard raised for this organisation and year
            raise ValueError(NOT_IN_RELEASE.format(standard=standard, org=org, year=year))
        return found

    def release(self, standard: str) -> tuple[dict[tuple, dict[str, Any]], list[str]]:
        """Every organisation (and all organisations) for every year, WRES and WDES protected together
        (`parity.report.release.protected_standards`: one pass for both, so no page of one standard
        prints a total the other withholds); cached until the data version changes. This standard's
        slice: (documents by (unit, year), organisations), empty when it has no data."""
        key = ("release",)
        if key not in self._protected:
            with self.lock:
                if key not in self._protected:
                    from parity.report.release import protected_standards

                    try:
                        found = protected_standards(self.workspace.path, self.rule)
                    finally:
                        gc.collect()
                    self._protected[key] = {name.upper(): (docs, orgs) for name, (_r, orgs, docs) in found.items()}
        return self._protected[key].get(standard.upper(), ({}, []))

    def trend(self, org: str, year: int, standard: str, indicator_id: str, *, suppressed: bool = True) -> list[dict]:
        """[{year, value, ci_low, ci_high}] oldest first, from the same release as the page."""
        out = []
        for y in sorted(y for y in self.years(org) if year - TREND_YEARS < y <= year):
            try:
                result = self.standard(org, y, standard, suppressed=suppressed)
            except (ValueError, KeyError, FileNotFoundError):
                continue
            for ind in result["indicators"]:
                if ind["id"] == indicator_id:
                    out.append({"year": y, "value": ind.get("value"), "ci_low": ind.get("ci_low"),
                                "ci_high": ind.get("ci_high")})
        return out

    def _compute(self, org: str, year: int, standard: str) -> dict[str, Any] | Exception:
        import parity

        run = parity.wres if standard == "WRES" else parity.wdes
        try:
            return run(self.workspace.path, year=year, org=org).to_dict()
        except WorkspaceError:  # busy, damaged, too new: not "no data", so never cached
            raise
        except (ValueError, KeyError, FileNotFoundError) as exc:  # no data for this year/standard
            return exc
        finally:
            gc.collect()  # drop the read-only DuckDB connection now, not whenever GC runs

    # --- imports --------------------------------------------------------------------------------
    def import_file(self, path: Path, table: str, **kwargs):
        """Import through `parity.ingest.import_file` and clear every cached result."""
        from parity.ingest import import_file

        with self.lock:
            gc.collect()
            try:
                return import_file(self.workspace, path, table, **kwargs)
            finally:
                self.invalidate()

    def import_log(self):
        self.refresh()
        with self.lock:
            return self.workspace.import_log()

    def invalidate(self) -> None:
        with self.lock:
            self._raw.clear()
            self._protected.clear()
            self._meta.clear()
            self.charts.clear()
