"""Issue 12.12: a full disk says "disk full while writing ...; nothing was changed", and nothing was.

The disk is a small tmpfs mounted for the test (we run as root in CI); where mounting is not
permitted the test is skipped with the reason.
"""

from __future__ import annotations

import subprocess
import uuid

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from parity.cli import app
from parity.ingest import import_file
from parity.workspace import Workspace
from parity.workspace.errors import DiskFull


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip() or done.returncode}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def leavers(n: int, reason: str) -> pd.DataFrame:
    rng = np.random.default_rng(n)
    return pd.DataFrame({"person_id": [f"E{10_000_000 + i}" for i in range(n)], "leave_date": "2023-07-31",
                         "reason": [f"{reason} {x}" for x in rng.integers(0, 10**12, n)]})


def stored(ws: Workspace) -> list[tuple]:
    with ws.connect(read_only=True) as con:
        return con.execute("SELECT * FROM leavers ORDER BY ALL").fetchall()


def test_disk_full_changes_nothing_and_says_so(small_disk, tmp_path):
    ws = Workspace.open(small_disk / "ws")
    first = tmp_path / "small.csv"
    leavers(50, "old").to_csv(first, index=False)
    assert import_file(ws, first, "leavers").imported
    before, log_before, version = stored(ws), len(ws.import_log()), ws.data_version
    big = tmp_path / "big.csv"
    leavers(200_000, "new").to_csv(big, index=False)  # ~ 10 MB of rows: more than the disk holds
    with pytest.raises(DiskFull) as err:
        import_file(ws, big, "leavers", year=2024)
    msg = str(err.value)
    assert msg.startswith("Disk full while writing") and "nothing was changed" in msg
    assert "cannot rollback" not in msg
    again = Workspace.open(ws.path)
    assert stored(again) == before and len(again.import_log()) == log_before and again.data_version == version


def test_cli_says_disk_full_not_rollback(small_disk, tmp_path):
    ws = small_disk / "ws"
    big = tmp_path / "big.csv"
    leavers(200_000, "new").to_csv(big, index=False)
    out = CliRunner().invoke(app, ["import", str(big), "-t", "leavers", "-w", str(ws)])
    assert out.exit_code == 2
    text = " ".join(out.output.split())
    assert "Disk full while writing" in text and "nothing was changed" in text
    assert "cannot rollback" not in text and "Traceback" not in text and "Unexpected" not in text
