"""The organisation's actions for pages that only read them (overview, indicator pages), without
opening the actions database on every view (issue 11: under the mixed load, opening it, setting WAL
and running its schema script cost about 2 ms a page, about 2% of the server's CPU).

One read-only SQLite connection is kept per workspace and asked `PRAGMA data_version`, which changes
whenever another connection commits — a page's edit, the CLI, another process — so the list is read
again (through `ActionStore`, exactly as before) only after a change. The file's inode is checked too,
in case the database is replaced whole. No database yet means no actions, and nothing is created.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from parity.actions import Action, ActionStore
from parity.actions.store import FILE

_lock = threading.Lock()


class ActionReads:
    def __init__(self, workspace) -> None:
        self.workspace = workspace
        self.path = Path(getattr(workspace, "path", workspace)) / FILE
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        self._inode: int | None = None
        self._seen: tuple[int, int] | None = None
        self._actions: list[Action] = []

    def list(self, org: str, indicator: str | None = None) -> list[Action]:
        """As `ActionStore.list(org=org, indicator=indicator)` (the same objects until a change: read only)."""
        with self._lock:
            found = self._current()
        return [a for a in found if a.org == org and (indicator is None or indicator in a.indicators)]

    def _current(self) -> list[Action]:
        try:
            inode = os.stat(self.path).st_ino
        except FileNotFoundError:
            self._close()
            return []
        if inode != self._inode:
            self._close()
            self._con = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
            self._inode = inode
        version = (inode, self._con.execute("PRAGMA data_version").fetchone()[0])
        if version != self._seen:
            self._actions = ActionStore(self.workspace).list()
            self._seen = version
        return self._actions

    def _close(self) -> None:
        if self._con is not None:
            self._con.close()
        self._con, self._inode, self._seen, self._actions = None, None, None, []


def action_reads(app) -> ActionReads:
    """The app's reader (made on first use)."""
    with _lock:
        reads = getattr(app.state, "action_reads", None)
        if reads is None:
            reads = app.state.action_reads = ActionReads(app.state.workspace)
        return reads
