"""Pages that only read actions (overview, indicator) do not open the actions database on every view
(issue 11); they still see every change at once, whoever made it."""

from __future__ import annotations

import sqlite3
from datetime import date
from types import SimpleNamespace

from parity.actions import Action, ActionStore
from parity.actions.store import FILE
from parity.web.action_reads import ActionReads


def _workspace(tmp_path):
    (tmp_path / "parity.duckdb").write_bytes(b"")  # ActionStore only checks that a workspace is there
    return SimpleNamespace(path=tmp_path)


def _action(title: str, org: str = "R0A", indicators=("wres.2",)) -> Action:
    return Action(org=org, title=title, indicators=list(indicators), owner="Director of People",
                  start=date(2025, 4, 1), due=date(2026, 3, 31))


def test_no_database_means_no_actions_and_none_is_created(tmp_path):
    reads = ActionReads(_workspace(tmp_path))
    assert reads.list("R0A") == [] and reads.list("R0A", "wres.2") == []
    assert not (tmp_path / FILE).exists()


def test_every_change_is_seen_and_nothing_is_read_again_without_one(tmp_path, monkeypatch):
    ws = _workspace(tmp_path)
    store = ActionStore(ws)  # another connection: the CLI, another page, another process
    reads = ActionReads(ws)
    first = store.add(_action("Panel training"), who="a@example.org")
    store.add(_action("Elsewhere", org="R1B"), who="a@example.org")
    assert [a.title for a in reads.list("R0A")] == ["Panel training"]

    opened = []
    real = ActionStore.list
    monkeypatch.setattr(ActionStore, "list", lambda self, **kw: opened.append(kw) or real(self, **kw))
    for _ in range(5):
        assert [a.id for a in reads.list("R0A", "wres.2")] == [first.id]
        assert reads.list("R0A", "wres.1") == []
    assert opened == []  # unchanged: answered from memory

    store.update(first.id, who="b@example.org", expected_version=first.version, status="in_progress")
    assert [a.status for a in reads.list("R0A")] == ["in_progress"]
    store.add(_action("Mentoring", indicators=("wres.1", "wres.2")), who="a@example.org")
    assert [a.title for a in reads.list("R0A", "wres.1")] == ["Mentoring"]
    assert [a.title for a in reads.list("R0A", "wres.2")] == ["Panel training", "Mentoring"]
    assert len(opened) == 2  # one read per change
    assert [a.title for a in reads.list("R1B")] == ["Elsewhere"]  # another organisation's, only for it


def test_a_database_replaced_whole_is_read_afresh(tmp_path):
    ws = _workspace(tmp_path)
    ActionStore(ws).add(_action("Old"), who="a@example.org")
    reads = ActionReads(ws)
    assert [a.title for a in reads.list("R0A")] == ["Old"]
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "parity.duckdb").write_bytes(b"")
    ActionStore(SimpleNamespace(path=other)).add(_action("New"), who="a@example.org")
    with sqlite3.connect(other / FILE) as con:  # fold the WAL in, so the file alone holds it
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        (tmp_path / (FILE + suffix)).unlink(missing_ok=True)
    (other / FILE).replace(tmp_path / FILE)
    assert [a.title for a in reads.list("R0A")] == ["New"]
