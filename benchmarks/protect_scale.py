"""Disclosure protection time against the number of organisations (issue 18): joint vs modular.

For each number of organisations (default 3 6 12 24 44, ~1,000 staff each), one and five years, WRES
and WDES: the unprotected results of every organisation and all organisations
(`parity.report.release.standard_results`, counted once and cached), then the protection pass
(`protected_release`) timed twice in one run, alternating: *before* (the whole component solved
jointly: `parity.disclosure.modular.MIN_BLOCKS` set out of reach) and *after* (modular, the default).
The joint pass is skipped above ``--before-max`` organisations (12 organisations already take minutes).

    .venv/bin/python benchmarks/protect_scale.py --orgs 3 6 12 --years 1 --standards wres
    .venv/bin/python benchmarks/protect_scale.py --orgs 44 --years 1 5 --before-max 0

``--workspace DIR --year Y`` instead protects a workspace's counted results as `parity report`
does: WRES and WDES of every organisation and all organisations over the trend years, ONE release
(`parity.report.release.protect_standards`), the last ``--last`` years of them (default all five),
counted once and cached (national scale, issue 19: the national DuckDB file as a workspace, e.g.
`/tmp/allorgs-nat`). It prints CPU seconds of the protection pass, the figures withheld and the
collector's share; for a before/after run it again with ``PYTHONPATH=<other src>``, alternating.

    .venv/bin/python benchmarks/protect_scale.py --workspace /tmp/nat --year 2025 --last 1

BLAS runs single-threaded by default (``--blas-threads``): the rank tests multiply small matrices,
where threaded OpenBLAS on a loaded machine spins (measured: one exact check 2 s threaded, 0.01 s
single-threaded, load 18 on 2 cores). Prints one line per run and, at the end, the table (seconds,
figures withheld; the load average alongside, since the machine may be shared). Safety is the
tests' job (tests/disclosure), not this.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path


def results_for(orgs: int, years: int, standard: str, staff: int, cache: Path):
    """Unprotected results of every unit and year (cached on disk: counting is not what we time)."""
    path = cache / f"{standard}-{orgs}orgs-{years}y-{staff}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    import parity.synth as synth
    from parity.report.release import standard_results

    tables = synth.build(staff=staff * orgs, years=years, orgs=orgs, seed=7)
    con = synth.connect(tables)
    last = int(tables["workforce"]["snapshot_date"].max().year)
    results, _ = standard_results(standard, con, years=list(range(last - years + 1, last + 1)))
    dicts = {key: (r.to_dict(), getattr(r, "disclosure_one_year", None)) for key, r in results.items()}
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(dicts))
    return dicts


def protect(dicts, modular: bool) -> tuple[float, int, float]:
    """Wall seconds for one protection pass, the number of figures withheld, and CPU seconds (the
    figure to compare on a shared machine: wall time also counts the wait for other work)."""
    import parity.disclosure.modular as modular_module
    from parity.disclosure import DisclosureRule
    from parity.disclosure.release import Release

    saved = modular_module.MIN_BLOCKS
    modular_module.MIN_BLOCKS = saved if modular else 10**9
    try:
        start, cpu = time.perf_counter(), time.process_time()
        release = Release(DisclosureRule())
        for (unit, year), (doc, one_year) in dicts.items():
            release.add(doc, year=year, unit=unit, one_year=one_year)
        out = release.protect()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        modular_module.MIN_BLOCKS = saved
    return seconds, sum(len(doc.get("suppressed") or []) for doc in out.values() if doc), cpu


def workspace_results(workspace: Path, year: int, cache: Path) -> dict[str, dict]:
    """Both standards' unprotected results over the report's trend years (cached on disk)."""
    path = cache / f"workspace-{workspace.resolve().as_posix().strip('/').replace('/', '-')}-{year}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    from parity.report.build import TREND_YEARS
    from parity.report.release import standard_results

    out = {}
    for name in ("wres", "wdes"):
        results, _ = standard_results(name, workspace, first=year - TREND_YEARS + 1, last=year)
        out[name] = {key: (r.to_dict(), getattr(r, "disclosure_one_year", None)) for key, r in results.items()}
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def protect_workspace(dicts: dict[str, dict], last: int) -> None:
    """One protection pass of both standards as one release over the last ``last`` years."""
    import gc

    from parity.disclosure import DisclosureRule
    from parity.disclosure.release import Release

    years = sorted({y for found in dicts.values() for (_unit, y) in found})[-last:]
    release = Release(DisclosureRule())
    for name, found in dicts.items():
        for (unit, y), (doc, one_year) in found.items():
            if y in years:
                release.add(doc, year=y, unit=unit, standard=name, one_year=one_year)
    collector = [0.0, 0.0]

    def timed(phase: str, _info: dict) -> None:
        if phase == "start":
            collector[1] = time.process_time()
        else:
            collector[0] += time.process_time() - collector[1]

    gc.callbacks.append(timed)
    start, cpu = time.perf_counter(), time.process_time()
    out = release.protect()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    gc.callbacks.remove(timed)
    orgs = len({unit for found in dicts.values() for (unit, _y) in found if unit})
    print(f"{len(release.results)} results ({orgs} organisations, years {years[0]}-{years[-1]}, WRES and WDES): "
          f"protection {cpu:.1f} s CPU ({wall:.1f} s wall; collector {collector[0]:.1f} s), "
          f"{sum(len(doc.get('suppressed') or []) for doc in out.values() if doc)} withheld, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blas-threads", default=os.environ.get("OPENBLAS_NUM_THREADS", "1"),
                        help="OpenBLAS threads (default 1: on a busy machine, threaded BLAS on the small "
                             "matrices of the rank tests spins and is many times slower)")
    parser.add_argument("--orgs", type=int, nargs="+", default=[3, 6, 12, 24, 44])
    parser.add_argument("--years", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--standards", nargs="+", default=["wres", "wdes"])
    parser.add_argument("--staff", type=int, default=1000, help="staff per organisation")
    parser.add_argument("--before-max", type=int, default=12, help="largest region timed the joint way")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "parity-protect-scale")
    parser.add_argument("--workspace", type=Path, help="protect this workspace's results (both standards, one release)")
    parser.add_argument("--year", type=int, default=2025, help="with --workspace: the reporting year")
    parser.add_argument("--last", type=int, default=5, help="with --workspace: protect the last N trend years")
    args = parser.parse_args(argv)
    if "numpy" in sys.modules:
        print("note: numpy already imported; --blas-threads is ignored", file=sys.stderr)
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = str(args.blas_threads)
    if args.workspace is not None:
        protect_workspace(workspace_results(args.workspace, args.year, args.cache), args.last)
        return 0
    # warm up (imports, first linear programme) so the first timed run is not charged for them
    protect(results_for(3, 1, "wres", args.staff, args.cache), modular=True)
    rows = []
    for standard in args.standards:
        for years in args.years:
            for orgs in args.orgs:
                dicts = results_for(orgs, years, standard, args.staff, args.cache)
                after, hidden_after, cpu = protect(dicts, modular=True)
                before, hidden_before, _ = (protect(dicts, modular=False) if orgs <= args.before_max
                                            else (float("nan"), 0, 0.0))
                load = os.getloadavg()[0]
                row = (standard, years, orgs, before, after, hidden_before, hidden_after, load)
                rows.append(row)
                print(f"{standard} years={years} orgs={orgs}: before {before:.1f} s ({hidden_before} withheld), "
                      f"after {after:.1f} s ({hidden_after} withheld; {cpu:.2f} s CPU), load {load:.1f}", flush=True)
    print("\n| standard | years | orgs | before s | after s | ratio | withheld before | after | load |")
    print("|---|---|---|---|---|---|---|---|---|")
    for standard, years, orgs, before, after, hb, ha, load in rows:
        ratio = before / after if before == before else float("nan")
        print(f"| {standard} | {years} | {orgs} | {before:.1f} | {after:.1f} | {ratio:.1f} | {hb} | {ha} | {load:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
