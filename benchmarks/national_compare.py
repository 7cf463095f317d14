"""Benchmark (issue 18): from raw tables to every organisation's benchmark positions, against the
counting pass alone, on DuckDB and on Spark local[2].

The national synthetic set (default 220 organisations, 1.5 million staff, 5 years; `--staff`,
`--orgs`, `--years` for a reduced scale on a shared machine) is written once to a workspace. Each
phase then runs in its own process under ``/usr/bin/time -v`` (wall time, peak memory):

- ``count``: the counting pass alone — `count_wres` and `count_wdes` for every organisation x year;
- ``positions``: raw tables to every organisation's funnel position for every two-group indicator
  of the reporting year (the analyst's `parity benchmark`, counted from the workspace);
- ``build``: `parity benchmark build` — the same, protected as `parity report` publishes it (every
  organisation and all organisations in one release of the reporting year, whose cells are decided
  exactly as in the report's five-year release: `parity.benchmark.releases`) and stored.

Target: ``positions`` within 2x ``count``. Run:
``.venv/bin/python benchmarks/national_compare.py --staff 150000 --orgs 44 --years 2 --backends duckdb,spark``
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHASES = ("count", "positions", "build")


def write_workspace(path: Path, *, staff: int, orgs: int, years: int, seed: int) -> None:
    """The generated set as a workspace (tables stored with the contract's types)."""
    from parity.backends import to_arrow
    from parity.synth import build
    from parity.synth.stored import stored_tables
    from parity.workspace import Workspace

    t0 = time.perf_counter()
    tables = stored_tables(build(staff=staff, orgs=orgs, years=years, seed=seed))
    ws = Workspace.open(path, create=True)
    with ws.connect() as con:
        for name, frame in tables.items():
            data = frame if name == "survey_responses" else to_arrow(name, frame)
            con.register("frame", data)
            con.execute(f'CREATE TABLE "{name}" AS SELECT *, 1 AS import_id FROM frame')
            con.unregister("frame")
    print(f"workspace written in {time.perf_counter() - t0:.0f} s: "
          + ", ".join(f"{k} {len(v):,}" for k, v in tables.items()), flush=True)


def open_workspace(path: Path):
    from parity.workspace import Workspace

    return Workspace.open(path).connect()


def phase(name: str, workspace: Path, year: int, backend: str) -> None:
    """One phase in this process (the parent measures it)."""
    from parity import backends
    from parity.indicators.source import open_source

    t0 = time.perf_counter()
    if name == "count":
        from parity.standards.wdes.api import count_wdes
        from parity.standards.wres.api import count_wres

        con, wdir = open_source(workspace, backend=backend)
        count_wres(con, workspace_dir=wdir)
        count_wdes(con, workspace_dir=wdir)
    elif name == "positions":
        from parity.benchmark import figures
        from parity.benchmark.compare import score
        from parity.indicators.catalogue import CATALOGUE, indicators
        from parity.report.release import standard_results

        indicators("WRES")
        n = 0
        for standard in ("wres", "wdes"):
            # as `parity benchmark` counts (the year and the one before: `parity.benchmark.compare`)
            results, orgs = standard_results(standard, workspace, years=[year], backend=backend, restrict_years=True)
            for defn in CATALOGUE.values():
                if defn.standard.lower() == standard and defn.kind in figures.COMPARABLE_KINDS and defn.group_b:
                    frame = figures.from_results(results, orgs, year=year, defn=defn)
                    if frame["org_code"].nunique() > 1:
                        n += len(score(frame, defn, year=year)["organisations"])
        print(f"positions: {n:,}", flush=True)
    else:
        from parity.benchmark.build import build

        def step(message: str) -> None:  # each step's start, so the log splits counting from protecting
            print(f"  step {time.perf_counter() - t0:7.1f} s  cpu {time.process_time():7.1f} s  {message}", flush=True)

        got = build(workspace, year=year, backend=backend, progress=step)
        step("done")
        print({k: v for k, v in got.items() if k != "indicators"}, flush=True)
    if backend == "spark":
        backends.stop_spark()
    print(f"phase {name} {backend}: {time.perf_counter() - t0:.1f} s in-process", flush=True)


def measure(name: str, workspace: Path, year: int, backend: str) -> tuple[float, float, float]:
    """(wall seconds, peak RSS GiB, CPU seconds: user + system, every thread) of one phase in a fresh
    process. On a shared machine the CPU time is the figure to compare: wall time waits for the others."""
    cmd = ["/usr/bin/time", "-v", sys.executable, __file__, "--phase", name, "--workspace", str(workspace),
           "--year", str(year), "--backend", backend]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode:
        print(res.stdout[-2000:], res.stderr[-4000:])
        raise SystemExit(f"phase {name} on {backend} failed")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", res.stderr).group(1)
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr).group(1)) / 1024 ** 2
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): (\S+)", res.stderr).group(1)) for kind in ("User", "System"))
    for line in res.stdout.splitlines():
        if line.startswith("  step"):
            print(f"  {backend} {name}: {line.strip()}", flush=True)
    return seconds, rss, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--staff", type=int, default=1_500_000)
    ap.add_argument("--orgs", type=int, default=220)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--backends", default="duckdb,spark")
    ap.add_argument("--phases", default=",".join(PHASES))
    ap.add_argument("--workspace", default=None, help="reuse this workspace (else one is generated)")
    ap.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    ap.add_argument("--backend", default="duckdb", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        phase(args.phase, Path(args.workspace), args.year, args.backend)
        return
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(args.workspace) if args.workspace else Path(tmp) / "ws"
        if not (ws / "parity.duckdb").exists():
            write_workspace(ws, staff=args.staff, orgs=args.orgs, years=args.years, seed=args.seed)
        if args.workspace:  # reused: say what it holds, not the generator's defaults
            with open_workspace(ws) as con:
                held = con.execute("SELECT count(DISTINCT org_code), count(*), count(DISTINCT year(snapshot_date)) "
                                   "FROM workforce").fetchone()
            print(f"{ws}: {held[0]} organisations, {held[1]:,} workforce rows, {held[2]} snapshot years; "
                  f"year {args.year}")
        else:
            print(f"{args.orgs} organisations, {args.staff:,} staff, {args.years} years; year {args.year}")
        for backend in args.backends.split(","):
            got = {}
            for name in args.phases.split(","):
                got[name] = measure(name, ws, args.year, backend)
                print(f"{backend:7} {name:10} wall {got[name][0]:7.1f} s  cpu {got[name][2]:7.1f} s  "
                      f"peak RSS {got[name][1]:.2f} GiB", flush=True)
            for other in ("positions", "build"):
                if "count" in got and other in got:
                    print(f"{backend:7} {other} / count = {got[other][0] / got['count'][0]:.2f} wall, "
                          f"{got[other][2] / got['count'][2]:.2f} cpu, "
                          f"{got[other][1] / got['count'][1]:.2f} peak memory (target <= 2)")


if __name__ == "__main__":
    main()
