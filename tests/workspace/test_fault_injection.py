"""Issue 12 fault injection: kill -9 an import at random moments; the workspace always holds the
old data or the new data, never a mix, and the next import works (the lock dies with its holder).

One child process imports two files in turn (A: 300 rows, B: 500 rows; each replaces the other:
same organisation and reporting year) until it is killed after a random delay.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd

from parity.ingest import import_file
from parity.workspace import Workspace

SRC = str(Path(__file__).resolve().parents[2] / "src")
ITERATIONS = 4
SIZES = {"A": 300, "B": 500}

CHILD = textwrap.dedent("""
    import sys
    from parity.ingest import import_file
    from parity.workspace import Workspace
    ws, a, b = sys.argv[1:4]
    print("ready", flush=True)
    while True:
        for path in (a, b):
            assert import_file(Workspace.open(ws), path, "leavers", year=2024).imported
""")


def leavers(tag: str) -> pd.DataFrame:
    n = SIZES[tag]
    return pd.DataFrame({"person_id": [f"{tag}{i:06d}" for i in range(n)], "leave_date": "2023-09-30",
                         "reason": f"file {tag}"})


def consistent(ws: Workspace) -> str:
    """Which file the workspace holds, asserting it holds exactly one, whole."""
    json.loads((ws.path / "workspace.json").read_text())  # never half-written
    with ws.connect(read_only=True) as con:
        rows = con.execute("SELECT reason, import_id, count(*) FROM leavers GROUP BY ALL").fetchall()
        last = con.execute("SELECT max(import_id) FROM import_log").fetchone()[0]
    assert len(rows) == 1, rows  # one file's rows, from one import
    reason, import_id, n = rows[0]
    tag = reason[-1]
    assert n == SIZES[tag] and import_id == last, (rows, last)
    return tag


def test_kill_9_at_random_points_leaves_old_or_new_data(tmp_path):
    ws = Workspace.open(tmp_path / "ws")
    paths = {}
    for tag in SIZES:
        paths[tag] = tmp_path / f"{tag}.csv"
        leavers(tag).to_csv(paths[tag], index=False)
    assert import_file(ws, paths["A"], "leavers", year=2024).imported
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    rng = random.Random(os.getpid())
    seen = []
    for _ in range(ITERATIONS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(ws.path), str(paths["A"]), str(paths["B"])],
                                 stdout=subprocess.PIPE, text=True, env=env)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 1.5))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        seen.append(consistent(Workspace.open(ws.path)))
    # after the last kill the lock is free and an import goes through at once
    r = import_file(Workspace.open(ws.path), paths["B"], "leavers", year=2024)
    assert r.imported and consistent(ws) == "B"
    assert len(ws.import_log()) >= 2 and set(seen) <= {"A", "B"}
