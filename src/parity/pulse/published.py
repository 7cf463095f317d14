"""Pulse results for the board report ("What staff told us") and the meeting agenda.

Only the protected results (`parity.pulse.results.results`: published surveys, groups of at least
the threshold, withheld groups named but empty) ever reach these; free text never does. A
workspace without ``pulse.sqlite`` has no such section (and none is created by looking).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from parity.pulse.bank import PREFER_NOT_LABEL
from parity.pulse.results import results
from parity.pulse.store import FILE, PulseStore

STATE_WORDS = {"open": "still open", "closed": "closed", "scheduled": "not open yet"}


def _store(workspace, on: date | None = None) -> PulseStore | None:
    path = getattr(workspace, "path", workspace)
    if not isinstance(path, str | Path) or not (Path(path) / FILE).exists():
        return None
    return PulseStore(path) if on is None else PulseStore(path, today=lambda: on)


def _label(group: dict) -> str:
    """The group's name, with its question where the name alone is ambiguous ("Prefer not to say")."""
    if group["group"] == PREFER_NOT_LABEL:
        return f"{PREFER_NOT_LABEL} ({group['attribute'].replace('_', ' ')})"
    return group["group"]


def _summary(res: dict) -> dict[str, Any]:
    questions = []
    for q in res["questions"]:
        shown = [g for g in q["groups"] if not g["withheld"]]
        questions.append({
            "text": q["text"], "n": q["overall"]["n"], "positive": q["overall"]["positive"],
            "percent": q["overall"]["percent"], "ci_low": q["overall"]["ci_low"], "ci_high": q["overall"]["ci_high"],
            "groups": [{**{k: g[k] for k in ("attribute", "group", "n", "percent", "ci_low", "ci_high")},
                        "label": _label(g)} for g in shown],
            "withheld": [f"{g['attribute'].replace('_', ' ')}: {g['group']}" for g in q["groups"] if g["withheld"]],
            "findings": [g["comparison"]["narrative"] for g in shown
                         if g.get("comparison") and g["comparison"].get("significant")],
        })
    return {"survey": res["survey"], "title": res["title"], "closes": res["closes"], "state": res["state"],
            "used": res["used"], "threshold": res["threshold"], "questions": questions}


def staff_told_us(workspace, org: str | None) -> list[dict[str, Any]] | None:
    """The organisation's published pulses, newest first, as protected summaries; None when none."""
    store = _store(workspace)
    if store is None or not org:
        return None
    out = []
    for survey in store.list(org=org):
        res = results(store, survey.id)
        if res["published"]:
            out.append(_summary(res))
    return out or None


def agenda_lines(workspace, org: str, since: date, on: date | None = None) -> list[str]:
    """One line per open pulse (how many answers so far) and per question of a pulse that is open
    or closed on or after `since`, with the group differences that stay clear after Benjamini–Hochberg.
    ``on``: the meeting date, which says whether a pulse is open (default today)."""
    store = _store(workspace, on)
    if store is None:
        return []
    lines = []
    for survey in store.list(org=org):
        if survey.state == "closed" and survey.closes < since:
            continue
        res = results(store, survey.id)
        if not res["published"]:
            if survey.state == "open":
                lines.append(f"{survey.title}: open until {survey.closes:%d %B %Y}, {res['responses']} "
                             f"{'response' if res['responses'] == 1 else 'responses'} so far; results appear at {survey.threshold}.")
            continue
        s = _summary(res)
        for q in s["questions"]:
            lines.append(f"{s['title']} ({STATE_WORDS[s['state']]}, {s['used']} responses): \"{q['text']}\" — "
                         f"{q['percent']:.0f}% answered positively ({q['positive']} of {q['n']}).")
            lines += q["findings"]
    return lines
