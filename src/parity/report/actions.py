"""The report's "Action plan and progress": each adverse finding, its actions, their status and
whether the number moved (issue 15).

The actions come from the workspace's action store (`parity.actions.ActionStore`); whether the
number moved is `parity.actions.evaluate` as shown through `parity.actions.protected`: the before
and latest figures are read from the report's own protected documents (``Report.history``, the
same release as every other page of the report) and the verdict is printed only when both are
published there. A report built from something other than a workspace directory, or for all
organisations, has no action plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parity.actions.model import Action


@dataclass
class ActionPlan:
    actions: list[Action] = field(default_factory=list)
    #: (action id, indicator) -> protected evaluation (`parity.actions.protected.protect_entry`)
    entries: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)

    def for_indicator(self, ref: str) -> list[dict[str, str]]:
        """The actions on `ref` as the report prints them (text only; figures from the protected release)."""
        from parity.actions.protected import STATUS_TEXT, VERDICT_TEXT

        def figure(side: dict | None) -> str:
            return "–" if side is None else f"{side['value']:.2f} ({side['year']})"

        out = []
        for a in self.actions:
            if ref not in a.indicators:
                continue
            e = self.entries.get((a.id, ref)) or {"before": None, "latest": None, "verdict": "not_available"}
            out.append({"title": a.title, "owner": a.owner, "due": a.due.strftime("%d %B %Y"),
                        "status": STATUS_TEXT[a.status], "before": figure(e["before"]),
                        "latest": figure(e["latest"]), "verdict": VERDICT_TEXT[e["verdict"]],
                        "update": f"{a.updates[-1].date:%d %B %Y}: {a.updates[-1].note}" if a.updates else ""})
        return out


def action_plan(report, source, org: str | None) -> ActionPlan | None:
    """The organisation's actions with protected verdicts, or None when there is no store to read."""
    from parity.actions.store import FILE, ActionStore

    source = getattr(source, "path", source)  # a Workspace, or its directory
    if not org or not isinstance(source, str | Path) or not (Path(source) / FILE).exists():
        return None
    actions = ActionStore(source).list(org=org)
    if not actions:
        return ActionPlan()
    from parity.actions.protected import protected_evaluation

    def protected_docs(standard: str, year: int):
        return report.history.get(standard, {}).get(year)

    try:
        entries = protected_evaluation(Path(source), actions, org=org, protected_docs=protected_docs)
    except (ValueError, KeyError, FileNotFoundError):  # a standard without data: no verdicts, plan still listed
        entries = {}
    return ActionPlan(actions, entries)


def plan_rows(plan: ActionPlan | None, findings: list) -> list[dict[str, Any]]:
    """[{"id", "title", "label", "actions": [(action, entry)]}]: every adverse finding (most serious
    first, as ranked for the board) with its actions, then other indicators that have actions."""
    if plan is None:
        return []
    rows = [{"id": f.id, "title": f"{f.source}: {f.title}", "label": f.label, "actions": plan.for_indicator(f.id)}
            for f in findings if f.severity == "adverse"]
    shown = {r["id"] for r in rows}
    titles = {f.id: f"{f.source}: {f.title}" for f in findings}
    for ref in dict.fromkeys(ref for a in plan.actions for ref in a.indicators):
        if ref not in shown:
            rows.append({"id": ref, "title": titles.get(ref, ref.upper() if ref.startswith("w") else ref),
                         "label": None, "actions": plan.for_indicator(ref)})
    return rows
