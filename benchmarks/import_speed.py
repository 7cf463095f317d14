"""Benchmark: `parity import` of a ~1 M-row ESR extract against DuckDB's own `read_csv` (issue 19).

A synthetic ESR staff-in-post extract (`parity synth`, 1 organisation, 5 snapshots; 200,000 staff
gives 1.03 M rows) is written once. Then, alternating, each variant runs as its own process under
``/usr/bin/time -v`` (wall time and peak RSS):

- ``parity``: ``parity import FILE --table workforce --workspace NEW_DIR`` (this checkout's code);
- ``before`` (with ``--before-src DIR``): the same command with ``PYTHONPATH=DIR``, e.g. the
  ``src`` of a checkout of an older commit, for before → after figures in one run;
- ``duckdb``: a process that reads the file with DuckDB's ``read_csv`` into a new database file
  and runs the validation query plan (dates and numbers parsed, the key checked for duplicates).

The Parity variants import with one pseudonymisation key (``PARITY_KEY_FILE``, a key written for
the run), and after each run the stored ``workforce`` table's row count and a checksum of every
column in row order are compared: a variant that stores other rows or other pseudonyms stops the
benchmark (what is timed must be the same import).

Run: ``.venv/bin/python benchmarks/import_speed.py [--staff 200000] [--repeat 3]
[--before-src /path/to/old/src] [--data /tmp/import-speed]``. Quote the ratios with ``uptime``:
the machine is shared, so only ratios from one run mean anything; besides medians it prints the
fastest run and least CPU of each variant, which other work on the machine can only make worse.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PARITY = "import sys; from parity.cli import main; sys.argv[0] = 'parity'; main()"
DUCKDB = """
import sys, duckdb
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE esr AS SELECT * FROM read_csv(?, all_varchar = true)", [sys.argv[1]])
bad = con.execute('''SELECT
    count(*) FILTER (WHERE try_strptime("Snapshot Date", '%d/%m/%Y') IS NULL),
    count(*) FILTER (WHERE try_cast("Contracted FTE" AS DOUBLE) IS NULL),
    count(*) FILTER (WHERE "Employee Number" IS NULL OR trim("Employee Number") = '')
  FROM esr''').fetchone()
dups = con.execute('''SELECT count(*) FROM (SELECT "Org Code", "Snapshot Date", "Employee Number",
    "Assignment Number", count(*) AS n FROM esr GROUP BY ALL HAVING n > 1)''').fetchone()
con.close()
print(bad, dups)
"""


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MiB, CPU seconds: user + system) of one process."""
    res = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env)
    if res.returncode not in (0,):
        sys.exit(f"failed ({res.returncode}): {' '.join(cmd)}\n{res.stdout[-2000:]}\n{res.stderr[-3000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", res.stderr).group(1)
    seconds = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(":"))))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr).group(1))
    cpu = sum(float(re.search(rf"{k} time \(seconds\): (\S+)", res.stderr).group(1)) for k in ("User", "System"))
    return seconds, rss_kb / 1024, cpu


def stored(workspace: Path) -> tuple:
    """(rows, checksum of every column in row order) of the stored workforce table."""
    import duckdb

    con = duckdb.connect(str(workspace / "parity.duckdb"), read_only=True)
    try:
        cols = ", ".join(f'"{r[0]}"' for r in con.execute('DESCRIBE "workforce"').fetchall())
        return con.execute(f'SELECT count(*), sum(hash(rowid, {cols}) % 1000000007), '
                           f'bit_xor(hash(rowid, {cols})) FROM "workforce"').fetchone()
    finally:
        con.close()


def extract(data: Path, staff: int) -> Path:
    path = data / "esr" / "staff_in_post.csv"
    stamp = data / "staff.txt"
    if path.exists() and stamp.exists() and stamp.read_text() == str(staff):
        return path
    shutil.rmtree(data, ignore_errors=True)
    parity = Path(sys.executable).with_name("parity")
    subprocess.run([str(parity), "synth", "--out", str(data), "--staff", str(staff), "--years", "5",
                    "--orgs", "1", "--format", "csv"], check=True, capture_output=True)
    stamp.write_text(str(staff))
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--staff", type=int, default=200_000, help="people per snapshot (200,000 → 1.03 M rows)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--before-src", help="a src directory of older code to time as 'before'")
    ap.add_argument("--data", default="/tmp/import-speed", help="where the extract is written (kept)")
    args = ap.parse_args()
    path = extract(Path(args.data), args.staff)
    rows = sum(1 for _ in path.open("rb")) - 1
    print(f"{path}: {rows:,} rows, {path.stat().st_size / 1024**2:.0f} MiB; load average {os.getloadavg()[0]:.2f}")
    variants = {"parity": None, **({"before": args.before_src} if args.before_src else {}), "duckdb": None}
    got: dict[str, list[tuple[float, float, float]]] = {v: [] for v in variants}
    sums: dict[str, tuple] = {}
    with tempfile.TemporaryDirectory(prefix="import-speed-") as tmp:
        key = Path(tmp) / "bench.key"  # one key for every Parity variant: the same pseudonyms
        key.write_bytes(os.urandom(32))
        key.chmod(0o600)
        for i in range(args.repeat):
            order = list(variants) if i % 2 == 0 else list(reversed(variants))  # alternate A/B
            for name in order:
                target = Path(tmp) / f"{name}-{i}"
                if name == "duckdb":
                    cmd = [sys.executable, "-c", DUCKDB, str(path), str(target) + ".duckdb"]
                    env = None
                else:
                    cmd = [sys.executable, "-c", PARITY, "import", str(path), "--table", "workforce",
                           "--workspace", str(target), "--format", "json"]
                    env = dict(os.environ, PARITY_KEY_FILE=str(key))
                    if variants[name]:
                        env["PYTHONPATH"] = variants[name]
                got[name].append(timed(cmd, env))
                if name != "duckdb":
                    sums[name] = stored(target)
                    if len(set(sums.values())) > 1:
                        sys.exit(f"the variants stored different rows: {sums}")
                wall, rss, cpu = got[name][-1]
                print(f"  run {i + 1} {name:7s} {wall:6.2f} s  {rss:7.0f} MiB  cpu {cpu:6.2f} s", flush=True)
                shutil.rmtree(target, ignore_errors=True)
                Path(str(target) + ".duckdb").unlink(missing_ok=True)
    med = {v: (statistics.median(w for w, _, _ in r), max(m for _, m, _ in r), statistics.median(c for _, _, c in r))
           for v, r in got.items()}
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"stored rows and checksum, the same for every Parity variant: {next(iter(sums.values()))}")
    for name, (wall, rss, cpu) in med.items():
        print(f"{name:7s} median {wall:6.2f} s (cpu {cpu:6.2f} s)  peak RSS {rss:7.0f} MiB  "
              f"({rss * 1024**2 / rows:,.0f} bytes/row)")
    # on a shared machine other work only ever adds time: the fastest run is the steadier figure
    low = {v: (min(w for w, _, _ in r), min(c for _, _, c in r)) for v, r in got.items()}
    for name, (wall, cpu) in low.items():
        print(f"{name:7s} fastest {wall:6.2f} s (least cpu {cpu:6.2f} s)")
    base = med["duckdb"]
    for name in variants:
        if name != "duckdb":
            print(f"{name} / duckdb: time {med[name][0] / base[0]:.2f}x, cpu {med[name][2] / base[2]:.2f}x, "
                  f"peak memory {med[name][1] / base[1]:.2f}x")
    for name in variants:
        if name != "duckdb":
            print(f"{name} / duckdb, fastest runs: time {low[name][0] / low['duckdb'][0]:.2f}x, "
                  f"cpu {low[name][1] / low['duckdb'][1]:.2f}x")
    if "before" in med:
        print(f"after / before: time {med['parity'][0] / med['before'][0]:.2f}x, "
              f"cpu {med['parity'][2] / med['before'][2]:.2f}x, peak memory {med['parity'][1] / med['before'][1]:.2f}x; "
              f"fastest runs: time {low['parity'][0] / low['before'][0]:.2f}x, cpu {low['parity'][1] / low['before'][1]:.2f}x")


if __name__ == "__main__":
    main()
