"""Actions stored once in the workspace (``actions.sqlite``), shared by the CLI, the web and reports.

SQLite in WAL mode, so the dashboard and the command line can use it at once. Every change is
written with an audit row per field (who, when, before → after) in the same transaction, and
guarded by optimistic locking: an update names the version it was made from, and a conditional
UPDATE refuses it when someone else saved first, saying who and when — nothing is overwritten.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from parity.actions.model import Action, Target, Update

FILE = "actions.sqlite"
NOT_FOUND = "No action {id} in this workspace"
STALE = ("Action {id} was changed by {who} at {when} since you opened it (version {now}; you had {had}). "
         "Nothing was saved: open it again, then make your change.")
NO_WORKSPACE = "{path} is not a Parity workspace (no parity.duckdb): import data first"

SCHEMA = """
CREATE TABLE IF NOT EXISTS actions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_code TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
  indicators TEXT NOT NULL, owner TEXT NOT NULL, start_date TEXT NOT NULL, due_date TEXT NOT NULL,
  status TEXT NOT NULL, target TEXT, target_year INTEGER,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL, updated_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS action_updates (
  id INTEGER PRIMARY KEY AUTOINCREMENT, action_id INTEGER NOT NULL REFERENCES actions(id),
  date TEXT NOT NULL, note TEXT NOT NULL, status TEXT, author TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS action_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT, action_id INTEGER NOT NULL, at TEXT NOT NULL, who TEXT NOT NULL,
  field TEXT NOT NULL, before TEXT, after TEXT
);
CREATE INDEX IF NOT EXISTS actions_org ON actions(org_code);
"""

#: stored column → how an Action field is written there
_FIELDS = {"title": "title", "description": "description", "indicators": "indicators", "owner": "owner",
           "start": "start_date", "due": "due_date", "status": "status", "target": "target",
           "target_year": "target_year", "org": "org_code"}


class StaleAction(ValueError):
    """Someone else saved the action after it was read."""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stored(action: Action, name: str):
    value = getattr(action, name)
    if name == "indicators":
        return json.dumps(list(value))
    if name in ("start", "due"):
        return value.isoformat()
    if name == "target":
        return str(value) if value else None
    return value


class ActionStore:
    def __init__(self, workspace) -> None:
        root = Path(getattr(workspace, "path", workspace))
        if not (root / "parity.duckdb").exists():
            raise FileNotFoundError(NO_WORKSPACE.format(path=root))
        self.path = root / FILE

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        new = not self.path.exists()
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        if new:
            os.chmod(self.path, 0o600)  # special-category context: owner only, like the workspace
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA busy_timeout=30000")
            con.executescript(SCHEMA)
            con.row_factory = sqlite3.Row
            yield con
        finally:
            con.close()

    # reading ---------------------------------------------------------------------------------
    def _action(self, con: sqlite3.Connection, row: sqlite3.Row) -> Action:
        updates = [Update(date.fromisoformat(u["date"]), u["note"], u["author"], u["status"])
                   for u in con.execute("SELECT * FROM action_updates WHERE action_id = ? ORDER BY date, id",
                                        (row["id"],))]
        return Action(org=row["org_code"], title=row["title"], description=row["description"],
                      indicators=json.loads(row["indicators"]), owner=row["owner"],
                      start=date.fromisoformat(row["start_date"]), due=date.fromisoformat(row["due_date"]),
                      status=row["status"], target=Target.parse(row["target"]), target_year=row["target_year"],
                      id=row["id"], version=row["version"], updated_at=row["updated_at"],
                      updated_by=row["updated_by"], updates=updates)

    def get(self, action_id: int) -> Action:
        with self._db() as con:
            row = con.execute("SELECT * FROM actions WHERE id = ?", (action_id,)).fetchone()
            if row is None:
                raise KeyError(NOT_FOUND.format(id=action_id))
            return self._action(con, row)

    def list(self, *, org: str | None = None, status: str | None = None, indicator: str | None = None,
             owner: str | None = None) -> list[Action]:
        with self._db() as con:
            rows = con.execute("SELECT * FROM actions ORDER BY id").fetchall()
            out = [self._action(con, r) for r in rows if org is None or r["org_code"] == org]
        return [a for a in out if (status is None or a.status == status)
                and (indicator is None or indicator in a.indicators)
                and (owner is None or owner.lower() in a.owner.lower())]

    def audit(self, action_id: int) -> list[dict]:
        with self._db() as con:
            return [dict(r) for r in con.execute("SELECT at, who, field, before, after FROM action_audit "
                                                 "WHERE action_id = ? ORDER BY id", (action_id,))]

    # writing ---------------------------------------------------------------------------------
    def add(self, action: Action, *, who: str) -> Action:
        action.check()
        now = _now()
        with self._db() as con:
            con.execute("BEGIN IMMEDIATE")
            cur = con.execute(
                "INSERT INTO actions (org_code, title, description, indicators, owner, start_date, due_date, status,"
                " target, target_year, version, created_at, created_by, updated_at, updated_by)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?,?,?)",
                tuple(_stored(action, f) for f in ("org", "title", "description", "indicators", "owner", "start",
                                                   "due", "status", "target", "target_year")) + (now, who, now, who))
            new_id = cur.lastrowid
            con.execute("INSERT INTO action_audit (action_id, at, who, field, before, after) VALUES (?,?,?,?,?,?)",
                        (new_id, now, who, "created", None, action.title))
            for u in action.updates:
                self._add_update(con, new_id, u, now)
            con.execute("COMMIT")
        return self.get(new_id)

    def update(self, action_id: int, *, who: str, expected_version: int | None = None, note: str | None = None,
               on: date | None = None, **changes) -> Action:
        """Change fields (``status=``, ``due=``, ...) and/or add a progress note, atomically.

        ``expected_version``: the version the change was made from; None means "the current one"
        (the CLI's one-shot update). Either way the write is conditional on that version.
        """
        unknown = set(changes) - set(_FIELDS)
        if unknown:
            raise ValueError(f"Unknown action field(s): {', '.join(sorted(unknown))}")
        now = _now()
        with self._db() as con:
            con.execute("BEGIN IMMEDIATE")
            row = con.execute("SELECT * FROM actions WHERE id = ?", (action_id,)).fetchone()
            if row is None:
                con.execute("ROLLBACK")
                raise KeyError(NOT_FOUND.format(id=action_id))
            had = row["version"] if expected_version is None else expected_version
            current = self._action(con, row)
            for name, value in changes.items():
                setattr(current, name, value)
            current.check()
            diffs = {n: (row[_FIELDS[n]], _stored(current, n)) for n in changes}
            diffs = {n: (b, a) for n, (b, a) in diffs.items() if b != a}
            if diffs or note:
                sets = ", ".join(f"{_FIELDS[n]} = ?" for n in diffs)
                sql = f"UPDATE actions SET {sets + ', ' if sets else ''}version = version + 1, updated_at = ?, " \
                      "updated_by = ? WHERE id = ? AND version = ?"
                cur = con.execute(sql, tuple(a for _, a in diffs.values()) + (now, who, action_id, had))
                if cur.rowcount != 1:
                    con.execute("ROLLBACK")
                    raise StaleAction(STALE.format(id=action_id, who=row["updated_by"], when=row["updated_at"],
                                                   now=row["version"], had=had))
                for n, (b, a) in diffs.items():
                    con.execute("INSERT INTO action_audit (action_id, at, who, field, before, after) "
                                "VALUES (?,?,?,?,?,?)", (action_id, now, who, n, b, a))
                if note:
                    self._add_update(con, action_id, Update(on or date.today(), note, who, changes.get("status")),
                                     now)
                    con.execute("INSERT INTO action_audit (action_id, at, who, field, before, after) "
                                "VALUES (?,?,?,?,?,?)", (action_id, now, who, "update", None, note))
            con.execute("COMMIT")
        return self.get(action_id)

    @staticmethod
    def _add_update(con: sqlite3.Connection, action_id: int, u: Update, now: str) -> None:
        con.execute("INSERT INTO action_updates (action_id, date, note, status, author, created_at) "
                    "VALUES (?,?,?,?,?,?)", (action_id, u.date.isoformat(), u.note, u.status, u.author, now))
