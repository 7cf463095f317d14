"""National-scale `parity synth` benchmark: 220 organisations, 1.5 million staff, 5 years, Parquet.

Runs the real command under ``/usr/bin/time -v`` and prints wall time and peak memory.
Usage: ``.venv/bin/python benchmarks/synth_national.py [--out /tmp/nat] [--staff N] [--orgs M]``
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="/tmp/nat")
    ap.add_argument("--staff", type=int, default=1_500_000)
    ap.add_argument("--orgs", type=int, default=220)
    ap.add_argument("--years", type=int, default=5)
    args = ap.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    parity = Path(sys.executable).with_name("parity")
    cmd = ["/usr/bin/time", "-v", str(parity), "synth", "--out", args.out, "--orgs", str(args.orgs),
           "--staff", str(args.staff), "--years", str(args.years), "--format", "parquet", "--no-esr"]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", res.stderr).group(1)
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr).group(1))
    cpu = sum(float(re.search(rf"{k} time \(seconds\): (\S+)", res.stderr).group(1)) for k in ("User", "System"))
    size = sum(p.stat().st_size for p in Path(args.out).rglob("*") if p.is_file())
    print(" ".join(cmd[2:]))
    print(f"wall {wall}  cpu {cpu:.1f} s  peak RSS {rss_kb / 1024**2:.2f} GiB  output {size / 1024**2:.0f} MiB")


if __name__ == "__main__":
    main()
