"""Benchmark (issue 19): the pay gap protection of `parity report --all-orgs` alone, at scale.

Every ethnicity and disability comparison of all organisations and each organisation, and both
within-band tables, protected together (`parity.disclosure.paygap.protect_paygap_levels`,
`protect_within_band_levels`) as the first report of ``--all-orgs`` protects them once for all
reports. The inputs (every unit's comparisons, `parity.report.paygap_levels.level_reports` with one
bootstrap resample) are computed first and not timed; then each protection is timed in CPU seconds.
`--save FILE` writes every unit's withheld fields (JSON) so that two runs, e.g. with
``PYTHONPATH=<old src>``, can be compared with `--compare FILE`.

Workspace: the national synthetic set as a workspace (`benchmarks/national_compare.py` writes one), or
any multi-organisation workspace (`parity synth --orgs N`, then `parity import`). Run:
``.venv/bin/python benchmarks/paygap_protect.py --workspace DIR [--save out.json] [--compare before.json]``
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path


def inputs(workspace: Path, year: int) -> dict[str, dict]:
    """Every unit's unprotected pay gap report by ethnicity and by disability."""
    from parity.report.paygap_levels import level_reports

    cache: dict = {}
    employees: dict = {}
    out = {}
    for by in ("ethnicity", "disability"):
        out[by] = level_reports(workspace, year=year, by=by, org=None, mine=None, cache=cache, employees=employees)
        out[by][()] = cache[(year, by)][1][()]  # the all-organisations comparison (`mine` is None here)
    return out


def protect_all(levels: dict[str, dict]) -> tuple[dict[str, dict], float]:
    """Every comparison and within-band table protected across units: withheld fields, CPU seconds."""
    from parity.disclosure import DisclosureRule
    from parity.disclosure.paygap import protect_paygap_levels, protect_within_band_levels
    from parity.report.paygap_levels import same_comparisons

    rule, clock, decisions, total = DisclosureRule(), time.process_time, {}, 0.0
    for by, units in levels.items():
        for result in units[()]["results"]:
            comparisons = same_comparisons(units, result)
            start = clock()
            out = protect_paygap_levels(comparisons, rule)
            seconds = clock() - start
            total += seconds
            name = f"{by}:{result['reference_group']}/{result['comparison_group']}"
            decisions[name] = {"/".join(u): sorted(o["disclosure"]["suppressed"]) for u, o in out.items()}
            print(f"  {name:40s} {len(comparisons)} units {seconds:7.2f} s CPU, "
                  f"{sum(map(len, decisions[name].values()))} withheld", flush=True)
        start = clock()
        hidden = protect_within_band_levels({u: list(pg.get("within_band") or []) for u, pg in units.items()}, rule)
        seconds = clock() - start
        total += seconds
        decisions[f"{by}:within_band"] = {"/".join(u): sorted(v) for u, v in hidden.items()}
        print(f"  {by + ' within band':40s} {len(units)} units {seconds:7.2f} s CPU, "
              f"{sum(map(len, hidden.values()))} rows withheld", flush=True)
    return decisions, total


def compare(before: dict[str, dict], after: dict[str, dict]) -> None:
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name, {}), after.get(name, {})
        changed = [u for u in sorted(set(a) | set(b)) if sorted(map(str, a.get(u, []))) != sorted(map(str, b.get(u, [])))]
        print(f"  {name:40s} units changed {len(changed)}: withheld {sum(map(len, a.values()))} -> "
              f"{sum(map(len, b.values()))}" + (f" ({', '.join(changed[:5])})" if changed else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--save", type=Path, help="write every unit's withheld fields here (JSON)")
    parser.add_argument("--compare", type=Path, help="compare the decisions with a file --save wrote")
    args = parser.parse_args()
    start = time.process_time()
    levels = inputs(args.workspace, args.year)
    print(f"inputs: {len(levels['ethnicity'])} units, {time.process_time() - start:.1f} s CPU (not timed below)")
    decisions, total = protect_all(levels)
    print(f"pay gap protection: {total:.1f} s CPU; load average {os.getloadavg()[0]:.2f}")
    if args.save:
        args.save.write_text(json.dumps(decisions, indent=0, sort_keys=True))
    if args.compare:
        compare(json.loads(args.compare.read_text()), decisions)


if __name__ == "__main__":
    main()
