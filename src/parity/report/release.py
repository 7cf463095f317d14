"""The published release: WRES and WDES for every organisation, the all-organisations level and every
year a page or report shows, protected together (`parity.disclosure.release.Release`).

A report for one organisation and the report for all organisations must come from the same pass,
or subtracting one from the other recovers withheld cells (issue 10); and WRES and WDES count the
same staff, applicants and board, so the two standards are one release too (leak 12,
`parity.disclosure.across`). Every channel (report, web pages, trends, `parity wres --protected`,
the benchmark, the meeting agenda) reads its figures from `protected_standards`, whatever
organisation or standard it shows, so all publish the same suppression pattern.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

Unit = tuple[str, ...]
STANDARDS = ("wres", "wdes")
ROLLING = "two_year_rolling"
UNKNOWN_ORG = "no data for organisation {org!r} in {year} (organisations: {orgs})"


def unit_for(org: str | None, orgs: list[str]) -> Unit:
    """The release unit of a report: () for all organisations (or the only one), (org,) otherwise."""
    if org is None or len(orgs) <= 1:
        return () if len(orgs) != 1 else (orgs[0],)
    return (org,)


def years_read(years) -> list[int]:
    """The reporting years whose counts the results of `years` read, bar one comparison: each year and
    the year before (the two-year rolling windows of WRES 3 / WDES 3 and their one-year cases; last
    year's WRES 2 / 4 and WDES 2 figures; last year's staff survey). Not read: the year before that,
    which only last year's two-year window needs, i.e. the ``previous`` / ``change`` of WRES 3 and
    WDES 3 (without it they are absent): for a release that publishes no last-year comparison."""
    return sorted({y - back for y in years for back in (0, 1)})


def standard_results(name: str, source, *, years: list[int] | None = None, first: int | None = None,
                     last: int | None = None, config=None, backend: str = "duckdb",
                     restrict_years: bool = False) -> tuple[dict[tuple[Unit, int], Any], list[str]]:
    """Unprotected results of `name` ("wres"/"wdes") for each unit and year, counted once.

    Years are ``years`` or those present between ``first`` and ``last``; an organisation / year whose
    result cannot be computed is left out (its pages say so). ``config`` is the standard's
    `WresConfig` / `WdesConfig` (default: the published defaults); ``backend``: duckdb or spark.
    ``restrict_years``: count only the years these results read (`years_read`; issue 18, "Scale"), not
    every year of the workspace; every figure is the same except the ``previous`` / ``change`` of the
    two-year rolling windows (`years_read`), so only for a release that publishes no comparison with
    last year (`parity benchmark build`)."""
    from parity.indicators.source import open_source

    span = years if years is not None else (range(first, last + 1) if None not in (first, last) else None)
    counted = years_read(span) if restrict_years and span is not None else None

    # a workspace folder on DuckDB is counted from the compiled-SQL cache: no Ibis connection (nor Ibis)
    # unless the cache misses (issue 19: about 0.5 s of a report's CPU)
    folder = _workspace_folder(source) if backend == "duckdb" else None
    con, workspace_dir = (None, folder) if folder is not None else open_source(source, backend=backend)
    if name == "wres":
        from parity.standards.wres.api import WresConfig, assemble

        config = config or WresConfig()
        counts, _ = _cached_counts("wres", workspace_dir, backend, config.exclude_declined_offers, counted)
        if counts is None:
            from parity.standards.wres.api import count_wres

            con = open_source(source, backend=backend)[0] if con is None else con
            counts = count_wres(con, workspace_dir=workspace_dir, exclude_declined=config.exclude_declined_offers,
                                years=counted)

        rolling = {("wres.3", None): "disciplinary"} if config.disciplinary_period == ROLLING else {}

        def run(y: int, org: str | None):
            return assemble(counts, year=y, org=org, config=config)
    else:
        from parity.standards.wdes.api import WdesConfig, assemble

        config = config or WdesConfig()
        counts, scores = _cached_counts("wdes", workspace_dir, backend, config.exclude_declined_offers, counted)
        if counts is None:
            from parity.indicators.standard_counts import survey_years_of  # Ibis: the uncached path only
            from parity.indicators.survey import load_question_map, score_counts
            from parity.standards.wdes.api import by_disability, count_wdes

            con = open_source(source, backend=backend)[0] if con is None else con
            counts = count_wdes(con, workspace_dir=workspace_dir, exclude_declined=config.exclude_declined_offers,
                                years=counted)
            scores = score_counts(con, by_disability, load_question_map(workspace_dir), ["wdes.9a"],
                                  survey_years=survey_years_of(counted))

        def run(y: int, org: str | None):
            return assemble(counts, scores, year=y, org=org, config=config, workspace_dir=workspace_dir)

        main, other = (("capability", "capability_performance") if config.capability_ill_health
                       else ("capability_performance", "capability"))
        label = "excluding_ill_health" if other == "capability_performance" else "including_ill_health"
        rolling = {("wdes.3", None): main, ("wdes.3", label): other}
        rolling = rolling if config.capability_period == ROLLING else {}
    orgs = sorted(counts.orgs())
    wanted = sorted(set(years) if years is not None else
                    {y for y in counts.years() if (first is None or y >= first) and (last is None or y <= last)}
                    | ({last} if last is not None else set()))  # the reporting year even with no workforce
    units: list[tuple[Unit, str | None]] = [((), None)] if len(orgs) != 1 else [((orgs[0],), None)]
    if len(orgs) > 1:
        units += [((o,), o) for o in orgs]
    out: dict[tuple[Unit, int], Any] = {}
    from parity.indicators.batch import prepared_statistics

    with prepared_statistics(counts, standard=name.upper(), settings=config.stats):  # statistics as arrays
        for y in wanted:
            for unit, org in units:
                try:
                    out[(unit, y)] = run(y, org)
                except (ValueError, KeyError):  # nothing for this organisation and year
                    continue
                out[(unit, y)].disclosure_one_year = {key: one_year_cases(counts, events, org, y)
                                                      for key, events in rolling.items()}
    return out, orgs


def _workspace_folder(source) -> Path | None:
    """`source` as a workspace folder holding a DuckDB file (a path or a `Workspace`), else None; the
    same folder `open_source` would give, without opening anything."""
    if not isinstance(source, str | os.PathLike) and not hasattr(source, "path"):
        return None
    path = Path(getattr(source, "path", source))
    return path if (path / "parity.duckdb").exists() else None


def _cached_counts(name: str, workspace_dir, backend: str, exclude_declined: bool, years: list[int] | None = None):
    """(counts, scores) of a DuckDB workspace from its compiled-SQL cache, as `parity wres`/`wdes` count
    (`parity.sqlcache`: Ibis compiles the queries only on the first run after a change; issue 19), as
    pandas frames like the Ibis path's; (None, None) for another source or backend, or with the cache off.
    ``years``: those reporting years only (a plan of its own)."""
    from parity import sqlcache

    if workspace_dir is None or not sqlcache.enabled(backend):
        return None, None
    import dataclasses

    import pandas as pd

    from parity.indicators.rows import Rows

    def frame(f):
        return pd.DataFrame(f.columns) if isinstance(f, Rows) else f

    counts, scores = sqlcache.standard_counts(workspace_dir, name, exclude_declined=exclude_declined, years=years)
    fields = ("distribution", "headcount", "recruitment", "survey", "board")
    counts = dataclasses.replace(counts, **{f: frame(getattr(counts, f)) for f in fields},
                                 events={k: frame(v) for k, v in counts.events.items()})
    return counts, None if scores is None else frame(scores)


def one_year_cases(counts, events: str, org: str | None, year: int) -> dict[str, int]:
    """Each group's cases of this financial year alone: the part of a two-year rolling window the
    disclosure model protects (`parity.disclosure.windows`); never published."""
    from parity.indicators.assemble import merge_counts
    from parity.indicators.source import select_rows

    # the (org, year) slices as lists, as `assemble` reads them: no DataFrame per call (663 at national scale)
    merged = merge_counts([select_rows(counts.events[events], org, year)], [select_rows(counts.headcount, org, year)])
    return {str(g): int(n) for g, n in zip(merged["group"], merged["numerator"], strict=True)}


def protected_release(results: dict[tuple[Unit, int], Any], rule, *,
                      unsuppressed: bool = False) -> dict[tuple[Unit, int], dict[str, Any]]:
    """Every result of ONE standard protected as one release (or, unsuppressed, each marked not for
    publication). A published channel uses `protected_standards` (both standards together); this is
    for a release of one standard only (units of a division view, tests)."""
    from parity.disclosure import protect
    from parity.disclosure.release import Release

    dicts = {key: (r if isinstance(r, dict) else r.to_dict()) for key, r in results.items()}
    if unsuppressed:
        return {key: protect(d, rule, unsuppressed=True) for key, d in dicts.items()}
    release = Release(rule)
    for (unit, year), d in dicts.items():
        release.add(d, year=year, unit=unit, one_year=getattr(results[(unit, year)], "disclosure_one_year", None),
                    owned=d is not results[(unit, year)])  # a dict made here: written in place
    return release.protect()


def protected_standards(source, rule, *, years: list[int] | None = None, first: int | None = None,
                        last: int | None = None, configs: dict[str, Any] | None = None, backend: str = "duckdb",
                        required: tuple[str, ...] = (), unsuppressed: bool = False,
                        progress=None, restrict_years: bool = False) -> dict[str, tuple[dict, list[str], dict]]:
    """THE entry point of every published channel: WRES and WDES counted (`standard_results`, same
    years for both) and protected as one release (`protect_standards`).

    Returns ``{"wres": (results, organisations, protected docs by (unit, year)), "wdes": ...}``; a
    standard without data is left out unless named in ``required`` (then its error is raised, as
    counting it alone would). ``configs``: a standard's `WresConfig` / `WdesConfig` (default: the
    published defaults). ``progress`` is called with a message before each step. ``restrict_years``:
    count only the years the results read (`standard_results`; no last-year comparison of WRES 3 / WDES 3)."""
    tick = progress or (lambda _message: None)
    counted: dict[str, tuple[dict, list[str]]] = {}
    failed: dict[str, BaseException] = {}

    def count(name: str) -> None:
        try:
            counted[name] = standard_results(name, source, years=years, first=first, last=last,
                                             config=(configs or {}).get(name), backend=backend,
                                             restrict_years=restrict_years)
        except Exception as exc:  # noqa: BLE001 - raised below, in this thread, as counting in turn would
            failed[name] = exc

    def fatal(name: str) -> bool:  # a standard without data is left out, unless it is required
        exc = failed.get(name)
        return exc is not None and (not isinstance(exc, ValueError | KeyError | FileNotFoundError) or name in required)

    held = count_together(source, backend)
    if held is not None:
        tick(f"Counting WRES for every organisation ({backend})")
        tick(f"Counting WDES for every organisation ({backend}, alongside WRES)")
        other = threading.Thread(target=count, args=("wdes",), name="parity-count-wdes", daemon=True)
        other.start()
        try:
            count("wres")
            other.join()
        finally:
            held.close()
    else:
        for name in STANDARDS:
            tick(f"Counting {name.upper()} for every organisation ({backend})")
            count(name)
            if fatal(name):
                break
    for name in STANDARDS:
        if fatal(name):
            raise failed[name]
    counted = {name: counted[name] for name in STANDARDS if name in counted}  # in this order, however they ended
    if counted:
        orgs = max((orgs for _results, orgs in counted.values()), key=len)
        n_years = len({y for results, _orgs in counted.values() for _unit, y in results})
        tick(f"Protecting {' and '.join(n.upper() for n in counted)}: {len(orgs)} organisations x "
             f"{n_years} year(s), one release")
    protected = protect_standards({name: results for name, (results, _orgs) in counted.items()}, rule,
                                  unsuppressed=unsuppressed)
    return {name: (results, orgs, protected[name]) for name, (results, orgs) in counted.items()}


def count_together(source, backend: str):
    """A read-only connection to the workspace when `protected_standards` is to count WRES and WDES at
    once, in two threads (else None): a DuckDB workspace of at least `replay.ONE_THREAD_ROWS` stored
    rows on two free cores (``PARITY_PROTECT_PROCESSES=1``: one after the other). Each query runs in
    DuckDB with Python's lock released, so one standard's Python (Ibis compiling, the results
    assembled) runs while the other's queries do: a national year's counts about 0.4 s sooner of 6 s,
    the same CPU. Each count opens its own connection; the one returned, held until both are done,
    keeps the database open between them (DuckDB shares it). The results are the same either way."""
    from parity.disclosure import parallel

    folder = _workspace_folder(source) if backend == "duckdb" else None
    if folder is None or parallel.wanted_processes() < 2:
        return None
    from parity.sqlcache import key, replay

    try:
        con = key.open_readonly(folder)
    except Exception:  # noqa: BLE001 - counting in turn says what is wrong with the workspace
        return None
    if replay.stored_rows(con) >= replay.ONE_THREAD_ROWS:
        return con
    con.close()
    return None


def protect_standards(results: dict[str, dict[tuple[Unit, int], Any]], rule, *,
                      unsuppressed: bool = False) -> dict[str, dict[tuple[Unit, int], dict[str, Any]]]:
    """{standard: results by (unit, year)} protected as ONE release, WRES and WDES of a unit and year
    linked where they count the same people (or, unsuppressed, each marked not for publication)."""
    from parity.disclosure import protect
    from parity.disclosure.release import Release

    dicts = {name: {key: (r if isinstance(r, dict) else r.to_dict()) for key, r in found.items()}
             for name, found in results.items()}
    if unsuppressed:
        return {name: {key: protect(d, rule, unsuppressed=True) for key, d in found.items()}
                for name, found in dicts.items()}
    release = Release(rule)
    for name, found in dicts.items():
        for (unit, year), d in found.items():
            release.add(d, year=year, unit=unit, standard=name,
                        one_year=getattr(results[name][(unit, year)], "disclosure_one_year", None),
                        owned=d is not results[name][(unit, year)])  # a dict made here: written in place
    out: dict[str, dict[tuple[Unit, int], dict[str, Any]]] = {name: {} for name in dicts}
    for (unit, year, standard), doc in release.protect().items():
        out[standard.lower()][(unit, year)] = doc
    return out
