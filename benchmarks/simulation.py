"""Statistical soundness of the bias explorer's scan, measured by simulation.

Three checks (targets from issue 7):

1. Coverage of the 95% relative-likelihood interval for an injected effect (target 95 ± 1%).
   a. Fast: binomial draws of a cell and its reference at the scan's cell level (RL 1.5, several
      sizes and base rates), the interval from `parity.stats.relative_likelihood` as the scan uses it.
   b. Real: the injected cells of check 2 (real generator, real scan).
2. Power (real generator, real scan): `parity.synth.build(bias={"training": 1.5})` makes BME staff
   1.5 times less likely to access non-mandatory training (RL 1.5, favourable orientation); share of
   the injected cells (Asian / Black / Mixed / Other, alone or by sex, vs the White reference) with
   n ≥ 200 found significant after FDR control at 5% (target ≥ 95%).
3. False discovery rate with no bias (real generator, real scan): every cell of the group-neutral
   outcomes (appointment, disciplinary, capability, training, four survey items) by ethnicity × sex
   is a true null, so FDR = share of runs with any discovery (target ≤ 5%). Promotion and leaving
   are left out: in the generator they differ by group through staff mix (doctors are not promoted
   on AfC bands, fixed-term staff leave more), real differences the scan rightly finds.

4. Coverage of the Cox 95% hazard-ratio interval (issue 17; real generator, real
   `parity explore progression --method survival`): `parity.synth.build(bias={"promotion_hazard": 0.7})`
   makes BME staff's yearly promotion probability 1 − (1 − p)^0.7, a hazard ratio of 0.7 on the
   continuous scale; share of runs whose interval for BME against White (ethnicity_wres, default
   adjustment: band strata, staff group, FTE, age band) contains 0.7 (target ≈ 95%), with the
   mean and spread of the estimates.

Monte-Carlo standard errors are printed beside each figure. Run:
``.venv/bin/python benchmarks/simulation.py [--coverage-runs N] [--runs N] [--workers 2]``;
``--survival-runs N`` sets check 4's runs (0 skips it), ``--only-survival`` runs check 4 alone.
"""

from __future__ import annotations

import argparse
import math
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from parity.synth import connect as synth_connect

TRUE_RL = 1.5
NEUTRAL_OUTCOMES = ("appointment", "disciplinary", "capability", "training", "harassment_public",
                    "harassment_staff", "equal_opportunities", "discrimination")
BME_BROAD = ("Asian", "Black", "Mixed", "Other")
#: (cell n, reference n, reference rate) for the fast coverage check; RL 1.5 on an adverse outcome
SCENARIOS = ((200, 2000, 0.05), (200, 2000, 0.25), (500, 5000, 0.02), (1000, 3000, 0.10), (60, 600, 0.20))


def connect_synth(tables: dict[str, pd.DataFrame]):
    """`parity.synth.build` tables as a DuckDB connection (survey responses stored long, as on import)."""
    return synth_connect(tables)


def _se(p: float, n: int) -> float:
    return math.sqrt(p * (1 - p) / n) if n else float("nan")


def coverage_binomial(runs: int, seed: int = 1) -> dict:
    """Share of 95% Katz intervals containing the true RL, over binomial draws of cell counts."""
    from parity.stats import relative_likelihood

    rng = np.random.default_rng(seed)
    covered = total = 0
    for i in range(runs):
        n, n_ref, p_ref = SCENARIOS[i % len(SCENARIOS)]
        a, b = rng.binomial(n, p_ref * TRUE_RL), rng.binomial(n_ref, p_ref)
        rl = relative_likelihood(int(a), n, int(b), n_ref)
        if rl.ci_low is None:
            continue
        total += 1
        covered += rl.ci_low <= TRUE_RL <= rl.ci_high
    share = covered / total
    return {"intervals": total, "coverage": share, "mc_se": _se(share, total)}


def _injected(frame: pd.DataFrame) -> pd.DataFrame:
    """Tested cells whose true RL is 1.5: a BME broad group (alone or by sex) vs a White reference."""
    f = frame[frame["tested"] & frame["ethnicity"].isin(BME_BROAD)]
    return f[f["attributes"].isin(["ethnicity", "ethnicity+sex"])]


def power_run(seed: int, staff: int = 6000, min_n: int = 200) -> dict:
    """One trust with training bias 1.5: injected cells (n ≥ min_n) found, and interval coverage."""
    from parity import synth
    from parity.explore import scan

    con = connect_synth(synth.build(staff=staff, years=1, seed=seed, bias={"training": TRUE_RL}))
    frame = scan(con, year=synth.api.C.DEFAULT_LAST_YEAR, outcomes=["training"], by=("ethnicity", "sex")).frame
    cells = _injected(frame)
    big = cells[cells["n"] >= min_n]
    edge = big[big["n"] < 2 * min_n + 100]  # the hardest of them: 200 <= n < 500
    defined = cells[cells["ci_low"].notna()]
    return {"cells": len(big), "found": int(big["significant"].sum()), "edge_cells": len(edge),
            "edge_found": int(edge["significant"].sum()), "intervals": len(defined),
            "covered": int(((defined["ci_low"] <= TRUE_RL) & (TRUE_RL <= defined["ci_high"])).sum())}


def fdr_run(seed: int, staff: int = 2500) -> dict:
    """One trust with no bias: discoveries among true nulls (every tested cell)."""
    from parity import synth
    from parity.explore import scan

    con = connect_synth(synth.build(staff=staff, years=1, seed=seed))
    result = scan(con, year=synth.api.C.DEFAULT_LAST_YEAR, outcomes=list(NEUTRAL_OUTCOMES), by=("ethnicity", "sex"))
    return {"comparisons": result.comparisons, "discoveries": int(result.frame["significant"].sum())}


def _map(fn, seeds, workers: int) -> list[dict]:
    if workers <= 1:
        return [fn(s) for s in seeds]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(fn, seeds))


def power(runs: int, seed: int = 1000, workers: int = 2) -> dict:
    out = _map(power_run, range(seed, seed + runs), workers)
    cells, found = sum(r["cells"] for r in out), sum(r["found"] for r in out)
    intervals, covered = sum(r["intervals"] for r in out), sum(r["covered"] for r in out)
    edge, edge_found = sum(r["edge_cells"] for r in out), sum(r["edge_found"] for r in out)
    return {"runs": runs, "cells": cells, "power": found / cells if cells else float("nan"),
            "edge_cells": edge, "edge_power": edge_found / edge if edge else float("nan"),
            "power_mc_se": _se(found / cells, cells) if cells else float("nan"),
            "intervals": intervals, "coverage": covered / intervals if intervals else float("nan"),
            "coverage_mc_se": _se(covered / intervals, intervals) if intervals else float("nan")}


def fdr(runs: int, seed: int = 5000, workers: int = 2) -> dict:
    out = _map(fdr_run, range(seed, seed + runs), workers)
    false = sum(1 for r in out if r["discoveries"] > 0)  # every discovery is false: V / R = 1
    return {"runs": runs, "comparisons_per_run": float(np.mean([r["comparisons"] for r in out])),
            "runs_with_false_discovery": false, "fdr": false / runs, "mc_se": _se(false / runs, runs)}


TRUE_HR = 0.7


def survival_run(seed: int, staff: int = 3000, years: int = 6) -> dict:
    """One generated trust with promotion_hazard 0.7: the Cox estimate and whether its interval covers."""
    from parity.explore.survival import survival
    from parity.synth import build

    tables = build(staff=staff, years=years, seed=seed, bias={"promotion_hazard": TRUE_HR})
    r = survival(connect_synth(tables), kind="progression", year=2025, by=("ethnicity_wres",))
    (f,) = [f for f in r.findings if f["group"] == {"ethnicity_wres": "BME"}]
    return {"hr": f["hazard_ratio"], "covered": f["ci_low"] <= TRUE_HR <= f["ci_high"],
            "width": math.log(f["ci_high"] / f["ci_low"])}


def survival_coverage(runs: int, seed: int = 9000, workers: int = 2) -> dict:
    out = _map(survival_run, range(seed, seed + runs), workers)
    covered = sum(1 for r in out if r["covered"])
    logs = np.log([r["hr"] for r in out])
    return {"runs": runs, "coverage": covered / runs, "covered": covered, "mc_se": _se(covered / runs, runs),
            "mean_hr": float(np.exp(logs.mean())), "sd_log_hr": float(logs.std(ddof=1)),
            "mean_ci_width_log": float(np.mean([r["width"] for r in out]))}


def print_survival(runs: int, seed: int, workers: int) -> None:
    t = time.time()
    s = survival_coverage(runs, seed=9000 + seed, workers=workers)
    print(f"4  Cox coverage (real generator + survival, HR {TRUE_HR}): {s['coverage']:.2%} of {s['runs']} "
          f"intervals (MC SE {s['mc_se']:.2%}); geometric mean HR {s['mean_hr']:.3f}, SD of log HR "
          f"{s['sd_log_hr']:.3f}, mean interval width (log) {s['mean_ci_width_log']:.3f} [{time.time() - t:.0f}s]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coverage-runs", type=int, default=20000, help="binomial draws for check 1a")
    parser.add_argument("--runs", type=int, default=60, help="generated trusts for checks 2 and 3 (each)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--survival-runs", type=int, default=150, help="generated trusts for check 4")
    parser.add_argument("--only-survival", action="store_true", help="run check 4 only")
    args = parser.parse_args()
    if args.only_survival:
        print_survival(args.survival_runs, args.seed, args.workers)
        return
    t = time.time()
    c = coverage_binomial(args.coverage_runs, seed=args.seed)
    print(f"1a coverage (binomial cells, RL {TRUE_RL}): {c['coverage']:.2%} of {c['intervals']:,} intervals "
          f"(MC SE {c['mc_se']:.2%}) [{time.time() - t:.0f}s]")
    t = time.time()
    p = power(args.runs, seed=1000 + args.seed, workers=args.workers)
    print(f"2  power (real generator + scan, RL {TRUE_RL}, n >= 200): {p['power']:.2%} of {p['cells']:,} cells "
          f"in {p['runs']} trusts (MC SE {p['power_mc_se']:.2%}) [{time.time() - t:.0f}s]")
    print(f"   of which 200 <= n < 500: {p['edge_power']:.2%} of {p['edge_cells']:,} cells")
    print(f"1b coverage (same injected cells, all sizes): {p['coverage']:.2%} of {p['intervals']:,} intervals "
          f"(MC SE {p['coverage_mc_se']:.2%})")
    t = time.time()
    f = fdr(args.runs, seed=5000 + args.seed, workers=args.workers)
    print(f"3  FDR with no bias (real generator + scan, {f['comparisons_per_run']:.0f} comparisons a run): "
          f"{f['fdr']:.2%} ({f['runs_with_false_discovery']} of {f['runs']} runs with any discovery; "
          f"MC SE {f['mc_se']:.2%}) [{time.time() - t:.0f}s]")
    if args.survival_runs:
        print_survival(args.survival_runs, args.seed, args.workers)


if __name__ == "__main__":
    main()
