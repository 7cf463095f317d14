"""Benchmark: `parity wres --format json` on the demo trust against the floor, whole processes (issue 19).

The floor is a process that imports only DuckDB, opens the same workspace database read-only and
runs the WRES counts as one hand-written SQL script (`HAND_SQL` of `benchmarks/wres_national.py`).
Both are timed as whole processes, start to exit (what `/usr/bin/time` reports as elapsed), run
alternately so that machine noise falls on both alike; the medians and their ratio are printed.
The target is ratio <= 4.

`--baseline-src DIR` adds a third process: the same `parity wres` with another source tree first on
``PYTHONPATH`` (e.g. ``git archive main | tar -x -C /tmp/base`` then ``--baseline-src /tmp/base/src``),
for a before/after comparison in one run.

Run: `.venv/bin/python benchmarks/cli_startup.py [--workspace parity-demo] [--year 2025] [--runs 7]`.
The demo workspace is built (`parity demo`) when missing.
"""

from __future__ import annotations

import argparse
import ast
import os
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


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=Path("parity-demo"))
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline-src", type=Path, help="another source tree to time the same command with")
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
    runs: dict[str, tuple[list[str], dict | None]] = {"floor (DuckDB, hand SQL)": (floor, None),
                                                       "parity wres --format json": (wres, None)}
    if args.baseline_src:
        env = {**os.environ, "PYTHONPATH": str(args.baseline_src.resolve())}
        runs["baseline parity wres"] = (wres, env)
    times: dict[str, list[float]] = {name: [] for name in runs}
    try:
        for cmd, env in runs.values():  # one warm-up each: file cache, .pyc
            timed(cmd, env)
        for _ in range(args.runs):
            for name, (cmd, env) in runs.items():
                times[name].append(timed(cmd, env))
    finally:
        os.unlink(f.name)
    print(f"load average {os.getloadavg()[0]:.2f}; median of {args.runs} alternating whole-process runs")
    medians = {name: statistics.median(ts) for name, ts in times.items()}
    for name, m in medians.items():
        print(f"  {name:28s} {m:6.2f} s   (min {min(times[name]):.2f} s)")
    ratio = medians["parity wres --format json"] / medians["floor (DuckDB, hand SQL)"]
    print(f"ratio parity / floor: {ratio:.2f} (target <= 4)")
    if args.baseline_src:
        before = medians["baseline parity wres"] / medians["floor (DuckDB, hand SQL)"]
        print(f"baseline ratio: {before:.2f}; speed-up {medians['baseline parity wres'] / medians['parity wres --format json']:.2f}x")


if __name__ == "__main__":
    main()
