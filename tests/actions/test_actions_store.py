"""The action store: fields checked, every change audited, concurrent edits never lost (issue 15)."""

from __future__ import annotations

import os
import stat
import threading
from datetime import date

import pytest

from parity.actions import Action, ActionStore, StaleAction, Target


@pytest.fixture
def store(tmp_path):
    (tmp_path / "parity.duckdb").write_bytes(b"")  # a workspace folder (the store lives beside the data)
    return ActionStore(tmp_path)


def action(**kw):
    base = dict(org="RXX", title="Diverse interview panels", indicators=["wres.2"], owner="Director of People",
                start=date(2023, 4, 1), due=date(2024, 3, 31), target=Target.parse("<=1.25"), target_year=2027)
    return Action(**{**base, **kw})


def test_add_list_and_file_mode(store):
    saved = store.add(action(), who="alice")
    assert saved.id == 1 and saved.version == 1 and saved.status == "planned"
    assert str(saved.target) == "<=1.25" and saved.target_year == 2027
    store.add(action(org="RYY", indicators=["wdes.4a.ii"], title="Tackle bullying"), who="alice")
    assert [a.title for a in store.list(org="RXX")] == ["Diverse interview panels"]
    assert [a.id for a in store.list(indicator="wdes.4a.ii")] == [2]
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600


@pytest.mark.parametrize("kw, message", [
    (dict(status="finished"), "Unknown status 'finished'"),
    (dict(indicators=["wres.99"]), "Unknown indicator 'wres.99'"),
    (dict(indicators=["explore:disciplinary"]), "An explorer cell looks like"),
    (dict(due=date(2023, 1, 1)), "before the start date"),
    (dict(title="  "), "needs a title"),
])
def test_bad_fields_are_refused_with_a_clear_message(store, kw, message):
    with pytest.raises(ValueError, match=message):
        store.add(action(**kw), who="alice")
    assert store.list() == []


def test_bad_target():
    with pytest.raises(ValueError, match="A target looks like"):
        Target.parse("at most 1.25")
    assert Target.parse(">= 80").met_by(80) and not Target.parse("<1.25").met_by(1.25)


def test_update_note_and_audit_trail(store):
    a = store.add(action(), who="alice")
    b = store.update(a.id, who="bob", status="in_progress", note="Panels trained", on=date(2023, 9, 1))
    assert b.version == 2 and b.status == "in_progress" and b.updated_by == "bob"
    assert [(u.date, u.note, u.author, u.status) for u in b.updates] == [
        (date(2023, 9, 1), "Panels trained", "bob", "in_progress")]
    trail = store.audit(a.id)
    assert [(t["who"], t["field"], t["before"], t["after"]) for t in trail] == [
        ("alice", "created", None, "Diverse interview panels"),
        ("bob", "status", "planned", "in_progress"),
        ("bob", "update", None, "Panels trained")]


def test_second_of_two_edits_from_the_same_version_is_refused_and_nothing_is_lost(store):
    a = store.add(action(), who="alice")
    store.update(a.id, who="bob", expected_version=a.version, owner="Chief People Officer")
    with pytest.raises(StaleAction, match=r"changed by bob at .* \(version 2; you had 1\)"):
        store.update(a.id, who="carol", expected_version=a.version, owner="Head of EDI")
    now = store.get(a.id)
    assert now.owner == "Chief People Officer" and now.version == 2
    assert [t["who"] for t in store.audit(a.id) if t["field"] == "owner"] == ["bob"]


def test_concurrent_edits_one_wins_the_other_is_told(store):
    a = store.add(action(), who="alice")
    barrier, outcomes = threading.Barrier(8), []

    def edit(i):
        barrier.wait()
        try:
            store.update(a.id, who=f"user{i}", expected_version=1, owner=f"Owner {i}")
            outcomes.append("saved")
        except StaleAction:
            outcomes.append("stale")
    threads = [threading.Thread(target=edit, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["saved"] + ["stale"] * 7
    final = store.get(a.id)
    assert final.version == 2 and final.owner == f"Owner {final.updated_by[4:]}"


def test_unknown_id(store):
    with pytest.raises(KeyError, match="No action 7"):
        store.update(7, who="x", note="hello")


def test_store_needs_a_workspace(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a Parity workspace"):
        ActionStore(tmp_path / "nowhere")
