"""Benchmark: `parity wres --format json` on the demo trust against the floor, whole processes (issue 19).

The floor is a process that imports only DuckDB, opens the same workspace database read-only and
runs the WRES counts as one hand-written SQL script (`HAND_SQL` of `benchmarks/wres_national.py`).
Both are timed as whole processes, start to exit (what `/usr/bin/time` reports as elapsed, and their
CPU time, steadier on a shared machine), run alternately so that machine noise falls on both alike;
the medians and their ratios are printed. The target is a ratio <= 4.

`parity wres` is timed with its compiled SQL cached (`parity.sqlcache`: the warm-up run compiles
it; every run after an import is like this one) and, with `--cold`, also as the first run after a
change of the data (the cache folder removed before each run: Ibis compiles and records the SQL).

`--baseline-src DIR` adds another process: the same `parity wres` with another source tree first on
``PYTHONPATH`` (e.g. ``git archive main | tar -x -C /tmp/base`` then ``--baseline-src /tmp/base/src``),
for a before/after comparison in one run. Both keep their compiled SQL in the workspace under a key
that includes a hash of the counting code, so two source trees on one workspace would recompile on
every run: the baseline runs on a copy of the workspace (made once, beside it, `<workspace>-baseline`).

Run: `.venv/bin/python benchmarks/cli_startup.py [--workspace parity-demo] [--year 2025] [--runs 7]`.
The demo workspace is built (`parity demo`) when missing.
"""

from __future__ import annotations

import argparse
import ast
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARITY = Path(sys.executable).with_name("parity")
FLOOR = ("import sys, duckdb\n"
         "con = duckdb.connect(sys.argv[1], read_only=True)\n"
         "rows = con.execute(open(sys.argv[2]).read()).fetchall()\n"
         "assert rows\n")


def hand_sql() -> str:
    """`HAND_SQL` from wres_national.py, read without importing it (that would import Parity)."""
    tree = ast.parse((HERE / "wres_national.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "HAND_SQL" for t in node.targets):
            return ast.literal_eval(node.value)
    raise SystemExit("HAND_SQL not found in benchmarks/wres_national.py")


def timed(cmd: list[str], env: dict[str, str] | None = None, clear: Path | None = None) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one whole process (`clear`: a folder removed first)."""
    if clear is not None:
        shutil.rmtree(clear, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=Path("parity-demo"))
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline-src", type=Path, help="another source tree to time the same command with")
    parser.add_argument("--cold", action="store_true", help="also time the first run after a data change (SQL compiled)")
    args = parser.parse_args()
    database = args.workspace / "parity.duckdb"
    if not database.exists():
        print(f"building the demo workspace in {args.workspace} (about a minute)", flush=True)
        subprocess.run([str(PARITY), "demo", "--workspace", str(args.workspace)], check=True,
                       stdout=subprocess.DEVNULL)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(hand_sql())
    wres = [str(PARITY), "wres", "--workspace", str(args.workspace), "--year", str(args.year), "--format", "json"]
    floor = [sys.executable, "-c", FLOOR, str(database), f.name]
    runs: dict[str, tuple[list[str], dict | None, Path | None]] = {
        "floor (DuckDB, hand SQL)": (floor, None, None), "parity wres --format json": (wres, None, None)}
    if args.cold:
        runs["first run (SQL compiled)"] = (wres, None, args.workspace / "sql-cache")
    if args.baseline_src:
        env = {**os.environ, "PYTHONPATH": str(args.baseline_src.resolve())}
        copy = args.workspace.with_name(args.workspace.name + "-baseline")
        if not copy.exists():
            shutil.copytree(args.workspace, copy, ignore=shutil.ignore_patterns("sql-cache"))
        base = [*wres[:3], str(copy), *wres[4:]]
        runs["baseline parity wres"] = (base, env, None)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    try:
        for cmd, env, clear in runs.values():  # one warm-up each: file cache, .pyc
            timed(cmd, env, clear)
        for _ in range(args.runs):
            for name, (cmd, env, clear) in runs.items():
                times[name].append(timed(cmd, env, clear))
                if clear is not None:  # leave the cache built for the cached runs
                    timed(wres)
    finally:
        os.unlink(f.name)
    print(f"load average {os.getloadavg()[0]:.2f}; median of {args.runs} alternating whole-process runs")
    wall = {name: statistics.median(t[0] for t in ts) for name, ts in times.items()}
    cpu = {name: statistics.median(t[1] for t in ts) for name, ts in times.items()}
    for name in runs:
        print(f"  {name:28s} {wall[name]:6.2f} s wall (min {min(t[0] for t in times[name]):.2f})  {cpu[name]:6.2f} s CPU")
    floor, parity = "floor (DuckDB, hand SQL)", "parity wres --format json"
    print(f"ratio parity / floor: {wall[parity] / wall[floor]:.2f} wall, {cpu[parity] / cpu[floor]:.2f} CPU (target <= 4)")
    if args.cold:
        cold = "first run (SQL compiled)"
        print(f"first run after a data change: {wall[cold] / wall[floor]:.2f} wall, {cpu[cold] / cpu[floor]:.2f} CPU")
    if args.baseline_src:
        base = "baseline parity wres"
        print(f"baseline ratio: {wall[base] / wall[floor]:.2f} wall, {cpu[base] / cpu[floor]:.2f} CPU; "
              f"speed-up {wall[base] / wall[parity]:.2f}x wall, {cpu[base] / cpu[parity]:.2f}x CPU")

if __name__ == "__main__":
    main()
