"""Benchmark: the same disparity step by Parity, hand-written SQL, Polars, pandas, Aequitas and Fairlearn.

The step (`peers_impl.py`): selection rate from shortlisting and its ratio to the White rate, by
organisation x reporting year x broad ethnic group, over the national synthetic applications
(default 220 organisations, 1.5 million staff, 5 years: about 16 million applications). The peers
are installed in a virtual environment of their own (``benchmarks/.peers-venv``, created on first
run from the package index; pinned versions below), so the project's environment is untouched.
Each implementation runs in its own process on the same Parquet file; their results are checked
equal (counts exactly, rates and ratios to 1e-9) before any time is reported, then each is timed
``--repeat`` times and the median step time and its ratio to Parity are printed.

Run: `.venv/bin/python benchmarks/peers.py [--staff N] [--orgs M] [--years K] [--repeat R]`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from wres_national import national_arguments  # noqa: E402  (the same national set and options)

HERE = Path(__file__).parent
PEERS_VENV = HERE / ".peers-venv"
PEER_PACKAGES = ["polars==2.1.0", "pandas>=2.2", "pyarrow>=15", "aequitas==1.1.0", "fairlearn==0.15.0"]
OURS = ("parity", "sql")
PEERS = ("polars", "pandas", "aequitas", "fairlearn")
KEY = ["org_code", "year", "group"]


def peers_python() -> Path:
    python = PEERS_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {PEERS_VENV} with {', '.join(PEER_PACKAGES)}", flush=True)
        venv.create(PEERS_VENV, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PEER_PACKAGES], check=True)
    return python


def write_input(directory: Path, *, staff: int, orgs: int, years: int, seed: int) -> tuple[Path, Path, int]:
    from parity.backends import to_arrow
    from parity.contract.codes import ETHNIC_CATEGORIES
    from parity.synth import build

    tables = build(staff=staff, orgs=orgs, years=years, seed=seed)
    apps = to_arrow("applications", tables["applications"]).select(
        ["org_code", "application_date", "ethnic_category", "shortlisted", "offer_declined", "appointed"])
    import pyarrow.parquet as pq

    path = directory / "applications.parquet"
    pq.write_table(apps, path)
    groups = directory / "groups.json"
    groups.write_text(json.dumps({code: g for code, (_, g) in ETHNIC_CATEGORIES.items() if g != "Unknown"}))
    return path, groups, apps.num_rows


def run(name: str, python: Path, source: Path, groups: Path, out: Path) -> float:
    env = dict(os.environ)
    if name in OURS:  # the project's own code, from this checkout
        env["PYTHONPATH"] = str(HERE.parent / "src") + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run([str(python), str(HERE / "peers_impl.py"), name, str(source), str(groups), str(out)],
                          check=True, capture_output=True, text=True, env=env)
    return float(done.stdout.strip().splitlines()[-1])


def check_equal(results: dict[str, pd.DataFrame]) -> int:
    base = results["parity"].sort_values(KEY).reset_index(drop=True)
    for name, frame in results.items():
        other = frame.sort_values(KEY).reset_index(drop=True)
        assert len(other) == len(base), f"{name}: {len(other)} cells, Parity {len(base)}"
        assert (other[KEY].astype(str).values == base[KEY].astype(str).values).all(), f"{name}: different cells"
        assert (other[["n", "selected"]].values == base[["n", "selected"]].values).all(), f"{name}: counts differ"
        for col in ("rate", "ratio"):
            a, b = other[col].astype(float).to_numpy(), base[col].astype(float).to_numpy()
            same = ((a - b).__abs__() <= 1e-9 * abs(b).clip(1)) | (pd.isna(a) & pd.isna(b))
            assert same.all(), f"{name}: {col} differs in {int((~same).sum())} cells"
    return len(base)


def main() -> None:
    args = national_arguments(__doc__.splitlines()[0])
    peer_python = peers_python()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source, groups, rows = write_input(tmp, staff=args.staff, orgs=args.orgs, years=args.years, seed=args.seed)
        print(f"{rows:,} applications", flush=True)
        pythons = {**dict.fromkeys(OURS, Path(sys.executable)), **dict.fromkeys(PEERS, peer_python)}
        times: dict[str, list[float]] = {name: [] for name in pythons}
        results = {}
        for i in range(args.repeat):
            for name, python in pythons.items():  # interleaved, so drift in machine speed hits all alike
                out = tmp / f"{name}.parquet"
                times[name].append(run(name, python, source, groups, out))
                if i == 0:
                    results[name] = pd.read_parquet(out)
            if i == 0:
                cells = check_equal(results)
                print(f"all {len(results)} agree on {cells:,} cells", flush=True)
    ours = statistics.median(times["parity"])
    print(f"\n{'implementation':<12} {'median s':>9} {'÷ Parity':>9}")
    for name, ts in times.items():
        m = statistics.median(ts)
        print(f"{name:<12} {m:>9.2f} {m / ours:>9.2f}")


if __name__ == "__main__":
    main()
