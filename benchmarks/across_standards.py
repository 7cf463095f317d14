"""Protection time of WRES and WDES as one release (issue 10 leak 12) against two separate releases.

The unprotected results of both standards are counted once (a generated region through
`benchmarks/protect_scale.py`'s cache, or a workspace with ``--workspace``, e.g. the demo), then
the protection pass is timed in one run, alternating: *separate* (one `Release` per standard, as
before session 26) and *together* (one `Release` of both standards with the shared totals linked,
`parity.report.release.protect_standards`, what every channel publishes now). CPU seconds of this
process are printed beside wall seconds (the machine may be shared), and the figures withheld.

    .venv/bin/python benchmarks/across_standards.py --orgs 12 --years 1 --repeat 2
    .venv/bin/python benchmarks/across_standards.py --workspace parity-demo --year 2025 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def from_region(orgs: int, years: int, staff: int, cache: Path) -> dict[str, dict]:
    from protect_scale import results_for

    return {name: results_for(orgs, years, name, staff, cache) for name in ("wres", "wdes")}


def from_workspace(workspace: Path, year: int) -> dict[str, dict]:
    """Both standards of every organisation over the report's trend years (as `parity report` counts)."""
    from parity.report.build import TREND_YEARS
    from parity.report.release import standard_results

    out = {}
    for name in ("wres", "wdes"):
        results, _ = standard_results(name, workspace, first=year - TREND_YEARS + 1, last=year)
        out[name] = {key: (r.to_dict(), getattr(r, "disclosure_one_year", None)) for key, r in results.items()}
    return out


def protect(dicts: dict[str, dict], together: bool) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, figures withheld) of one protection pass over both standards."""
    from parity.disclosure import DisclosureRule
    from parity.disclosure.release import Release

    start, cpu = time.perf_counter(), time.process_time()
    outs = []
    releases = [Release(DisclosureRule())] if together else [Release(DisclosureRule()) for _ in dicts]
    holders = releases * len(dicts) if together else releases  # the release each standard goes into
    for release, (name, found) in zip(holders, dicts.items(), strict=True):
        for (unit, year), (doc, one_year) in found.items():
            release.add(doc, year=year, unit=unit, one_year=one_year, standard=name)
    for release in releases:
        outs.append(release.protect())
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    return wall, used, sum(len(doc.get("suppressed") or []) for out in outs for doc in out.values() if doc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, help="a workspace (e.g. the demo's) instead of a generated region")
    parser.add_argument("--year", type=int, help="with --workspace: the reporting year")
    parser.add_argument("--orgs", type=int, default=12)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--staff", type=int, default=1000, help="staff per organisation")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "parity-protect-scale")
    args = parser.parse_args(argv)
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = "1"  # as protect_scale.py
    if args.workspace is not None:
        if args.year is None:
            parser.error("--workspace needs --year")
        dicts, what = from_workspace(args.workspace, args.year), f"{args.workspace} {args.year}"
    else:
        dicts, what = from_region(args.orgs, args.years, args.staff, args.cache), f"{args.orgs} orgs x {args.years} y"
    protect(dicts, together=True)  # warm up: imports, first linear programme
    rows = []
    for i in range(args.repeat):
        for together in ((False, True) if i % 2 == 0 else (True, False)):
            wall, cpu, hidden = protect(dicts, together)
            rows.append((together, wall, cpu, hidden))
            print(f"{what}: {'together' if together else 'separate'} {wall:.2f} s wall, {cpu:.2f} s CPU, "
                  f"{hidden} withheld, load {os.getloadavg()[0]:.1f}", flush=True)
    for together in (False, True):
        mine = [r for r in rows if r[0] == together]
        print(f"{'together' if together else 'separate'}: best {min(r[1] for r in mine):.2f} s wall, "
              f"{min(r[2] for r in mine):.2f} s CPU, {mine[0][3]} withheld")
    return 0


if __name__ == "__main__":
    sys.exit(main())
