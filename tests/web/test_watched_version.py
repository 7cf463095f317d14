"""Issue 11 (load): the server reads the workspace's data version with a stat, re-reading
workspace.json only when it changed on disk, and still sees every import (here: a bump made by
another `Workspace`, as the CLI's import does)."""

from __future__ import annotations

from parity.web.results import WatchedWorkspace
from parity.workspace import Workspace, meta


def test_the_version_is_read_again_only_when_the_file_changes(tmp_path, monkeypatch):
    Workspace.open(tmp_path / "ws", create=True)
    watched = WatchedWorkspace.open(tmp_path / "ws", create=True)
    reads = []
    real = meta.read
    monkeypatch.setattr(meta, "read", lambda folder: reads.append(folder) or real(folder))

    first = watched.data_version
    assert [watched.data_version for _ in range(5)] == [first] * 5
    assert len(reads) == 1  # one read, then stats only

    other = Workspace.open(tmp_path / "ws")  # another process's view, as `parity import` bumps it
    for n in range(1, 4):  # back to back: each bump is seen, with one read of the file each
        other.bump_data_version()
        expected = other.data_version
        before = len(reads)
        assert watched.data_version == watched.data_version == expected != first
        assert expected.endswith(f":{n}") and len(reads) == before + 1
