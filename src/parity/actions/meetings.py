"""Meeting notes of the staff network's weekly meeting: date, decisions, and the actions it created.

Stored beside the actions (``actions.sqlite``), so the agenda of the next meeting can start from
the last one's decisions and list the actions each meeting created.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from parity.actions.store import ActionStore, _now

SCHEMA = """
CREATE TABLE IF NOT EXISTS meetings (
  id INTEGER PRIMARY KEY AUTOINCREMENT, org_code TEXT NOT NULL, date TEXT NOT NULL,
  decisions TEXT NOT NULL, recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meeting_actions (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id), action_id INTEGER NOT NULL REFERENCES actions(id),
  PRIMARY KEY (meeting_id, action_id)
);
"""
NO_DECISIONS = "A meeting note needs its decisions (write 'none' if there were none)"
OTHER_ORG = "Action {id} belongs to {other}, not {org}: a meeting can only list its own organisation's actions"


@dataclass
class Meeting:
    org: str
    date: date
    decisions: str
    recorded_by: str = ""
    id: int | None = None
    actions: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.id, "org": self.org, "date": self.date.isoformat(), "decisions": self.decisions,
                "recorded_by": self.recorded_by, "actions": list(self.actions)}


class MeetingStore:
    def __init__(self, workspace) -> None:
        self.actions = ActionStore(workspace)

    def _db(self):
        return self.actions._db()

    def record(self, meeting: Meeting, *, who: str) -> Meeting:
        if not meeting.decisions.strip():
            raise ValueError(NO_DECISIONS)
        for action_id in meeting.actions:
            action = self.actions.get(action_id)  # a clear error for an unknown action
            if action.org != meeting.org:  # the web checks this too; the CLI and API must not link across
                raise ValueError(OTHER_ORG.format(id=action_id, other=action.org, org=meeting.org))
        with self._db() as con:
            con.executescript(SCHEMA)
            con.execute("BEGIN IMMEDIATE")
            cur = con.execute("INSERT INTO meetings (org_code, date, decisions, recorded_by, recorded_at) "
                              "VALUES (?,?,?,?,?)", (meeting.org, meeting.date.isoformat(), meeting.decisions,
                                                     who, _now()))
            for action_id in meeting.actions:
                con.execute("INSERT INTO meeting_actions (meeting_id, action_id) VALUES (?,?)", (cur.lastrowid,
                                                                                                action_id))
            con.execute("COMMIT")
            meeting_id = cur.lastrowid
        return next(m for m in self.list(org=meeting.org) if m.id == meeting_id)

    def list(self, *, org: str | None = None, before: date | None = None) -> list[Meeting]:
        """Meetings, oldest first; ``before``: only those held before that date."""
        with self._db() as con:
            con.executescript(SCHEMA)
            rows = con.execute("SELECT * FROM meetings ORDER BY date, id").fetchall()
            links: dict[int, list[int]] = {}
            for m_id, a_id in con.execute("SELECT meeting_id, action_id FROM meeting_actions ORDER BY action_id"):
                links.setdefault(m_id, []).append(a_id)
        out = [Meeting(r["org_code"], date.fromisoformat(r["date"]), r["decisions"], r["recorded_by"], r["id"],
                       links.get(r["id"], [])) for r in rows]
        return [m for m in out if (org is None or m.org == org) and (before is None or m.date < before)]

