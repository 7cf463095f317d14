"""Action plans tied to the indicators: what the organisation is doing about a gap, and whether
the number moved.

An action names the indicator(s) or explorer cell it targets, an owner, dates, a status and an
optional target; progress updates are dated notes. Actions live once in the workspace
(`ActionStore`, ``actions.sqlite``) with an audit trail and optimistic locking, and
`evaluate` compares each targeted indicator before the action started with the latest year.

    >>> store = ActionStore("ws")                                             # doctest: +SKIP
    >>> store.add(Action(org="RXX", title="Diverse interview panels", indicators=["wres.2"],
    ...                  owner="Director of People", start=date(2023, 4, 1),
    ...                  due=date(2024, 3, 31)), who="analyst")                 # doctest: +SKIP
"""

from parity.actions.evaluate import evaluate
from parity.actions.exchange import read_plan, write_plan
from parity.actions.model import STATUSES, Action, Target, Update
from parity.actions.store import ActionStore, StaleAction

__all__ = ["STATUSES", "Action", "ActionStore", "StaleAction", "Target", "Update", "evaluate", "import_plan",
           "read_plan", "write_plan"]


def import_plan(store: ActionStore, path, *, org: str | None, who: str) -> dict:
    """Read a plan; add new rows, update rows whose ID is already in the store (export → edit → import).

    Returns ``{"added": [...ids], "updated": [...ids], "unchanged": [...], "problems": [...]}``.
    """
    from pathlib import Path

    actions, problems, ids = read_plan(Path(path), org=org, who=who)
    known = {a.id: a for a in store.list()}
    out: dict = {"added": [], "updated": [], "unchanged": [], "problems": problems}
    for action, file_id in zip(actions, ids, strict=True):
        old = known.get(file_id)
        if old is None:
            out["added"].append(store.add(action, who=who).id)
            continue
        fields = ("org", "title", "description", "indicators", "owner", "start", "due", "status", "target",
                  "target_year")
        changes = {f: getattr(action, f) for f in fields if getattr(action, f) != getattr(old, f)}
        seen = {(u.date, u.note) for u in old.updates}
        notes = [u for u in action.updates if (u.date, u.note) not in seen]
        if changes:
            store.update(old.id, who=who, expected_version=old.version, **changes)
        for u in notes:
            store.update(old.id, who=who, note=u.note, on=u.date)
        (out["updated"] if changes or notes else out["unchanged"]).append(old.id)
    return out
