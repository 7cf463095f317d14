"""Issue 12.11: writers queue on the workspace lock with a clear message; readers wait for a
writer instead of failing. Real parallel processes (subprocess), as an operator would run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd

from parity.ingest import import_file
from parity.workspace import Workspace
from parity.workspace.lock import writer_lock

SRC = str(Path(__file__).resolve().parents[2] / "src")
PARALLEL = 8


def env(**extra) -> dict:
    e = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), "COLUMNS": "200"}
    e.update({k: str(v) for k, v in extra.items()})
    return e


def parity(*args, **extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from parity.cli import main; main()", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(**extra))


def staff(org: str, n: int = 20) -> pd.DataFrame:
    return pd.DataFrame({"person_id": [f"{org}-{i}" for i in range(n)], "snapshot_date": "2024-03-31",
                         "ethnic_category": ["A", "H"] * (n // 2), "sex": "female", "disability": "no",
                         "pay_band": "5", "staff_group": "03", "assignment_category": "permanent", "fte": "1",
                         "primary_assignment": "Y", "org_code": org})


def test_eight_parallel_imports_queue_and_all_succeed(ws, tmp_path):
    files = []
    for i in range(PARALLEL):
        path = tmp_path / f"org{i}.csv"
        staff(f"R{i}").to_csv(path, index=False)
        files.append(path)
    with writer_lock(ws.path, "the test holding the lock"):  # every import must queue behind it
        procs = [parity("import", f, "-t", "workforce", "-w", ws.path, "--format", "json") for f in files]
        first_lines = [p.stderr.readline() for p in procs]  # each says it waits, while we hold the lock
    for line in first_lines:
        assert "Another import is running" in line and "waiting up to" in line, first_lines
        assert f"pid {os.getpid()}: the test holding the lock" in line
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, (out, err)
        assert json.loads(out)["imported"]
        assert "Unexpected error" not in err and "Traceback" not in err
    with ws.connect(read_only=True) as con:
        counts = dict(con.execute("SELECT org_code, count(*) FROM workforce GROUP BY 1").fetchall())
    assert counts == {f"R{i}": 20 for i in range(PARALLEL)}
    assert sorted(ws.import_log()["import_id"]) == list(range(1, PARALLEL + 1))


def test_a_writer_that_waits_too_long_gives_up_cleanly(ws, tmp_path):
    path = tmp_path / "org.csv"
    staff("R1").to_csv(path, index=False)
    with writer_lock(ws.path, "a long import"):
        p = parity("import", path, "-t", "workforce", "-w", ws.path, PARITY_LOCK_TIMEOUT=1)
        out, err = p.communicate(timeout=120)
    assert p.returncode == 2
    text = " ".join((out + err).split())
    assert "Another import is still running" in text and "nothing was changed" in text
    assert "a long import" in text and "Could not process" not in text and "Traceback" not in text
    assert not ws.tables()


HOLD_DB = textwrap.dedent("""
    import sys, time
    from parity.workspace import Workspace
    ws = Workspace.open(sys.argv[1])
    with ws.writing("parity import big.csv --table workforce"):
        con = ws.connect()              # what an import holds while it writes
        print("holding", flush=True)
        sys.stdin.readline()            # until the test says the reader is waiting
        time.sleep(float(sys.argv[2]))
        con.close()
""")


def test_a_reader_waits_for_a_writer_in_another_process(ws, tmp_path):
    path = tmp_path / "org.csv"
    staff("R1").to_csv(path, index=False)
    assert import_file(ws, path, "workforce").imported
    holder = subprocess.Popen([sys.executable, "-c", HOLD_DB, str(ws.path), "1"], stdout=subprocess.PIPE,
                              stdin=subprocess.PIPE, text=True, env=env())
    assert holder.stdout.readline().strip() == "holding"
    reader = parity("wres", "-w", ws.path, "--year", "2024", "--format", "json")
    waiting = reader.stderr.readline()
    holder.stdin.write("go\n")
    holder.stdin.close()
    out, err = reader.communicate(timeout=300)
    holder.wait(timeout=60)
    assert reader.returncode == 0, waiting + err
    assert "in use by another process" in waiting and "parity import big.csv" in waiting
    assert "Unexpected error" not in err
    assert json.loads(out)["indicators"]


def test_in_process_workspaces_share_the_lock(ws, tmp_path):
    # two Workspace objects on one folder in one process (the dashboard and an import) do not
    # deadlock each other: the lock is re-entrant per process
    other = Workspace(ws.path)
    with ws.writing("outer"), other.writing("inner"):
        pass
    path = tmp_path / "org.csv"
    staff("R1").to_csv(path, index=False)
    with ws.writing("outer"):
        assert import_file(other, path, "workforce").imported
