"""Did the number move, as a page or a published report may say it: protected figures only.

`evaluate` works on the unprotected counts (the change test needs them). What is *shown* of it
follows the protected release instead: the before and latest values are taken from the protected
documents (the same release as every dashboard page and the report), and the verdict is shown
only when both years' values are published there. When either is withheld (small numbers, or a
year absent from the release) the verdict is held back too ("withheld"), so a verdict can never
be read against a figure the reader may not see.

``protected_docs`` maps ``(standard, year) -> protected result document`` (``docs/results-json.md``),
or returns None when the standard has no published result that year.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

STATUS_TEXT = {"planned": "Planned", "in_progress": "In progress", "done": "Done", "stopped": "Stopped"}
VERDICT_TEXT = {"improved": "Improved beyond chance", "worsened": "Worsened beyond chance",
                "no_clear_change": "No clear change", "too_early": "Too early to tell",
                "no_baseline": "No year before the action to compare with",
                "not_available": "Not available", "withheld": "Withheld (small numbers)"}
#: verdicts that read figures of two years (held back unless both are published)
READS_FIGURES = ("improved", "worsened", "no_clear_change")


def _published(doc: dict[str, Any] | None, indicator: str) -> dict[str, Any] | None:
    if not doc:
        return None
    for ind in doc.get("indicators", []):
        if ind.get("id") == indicator:
            value = ind.get("value")
            if isinstance(value, bool) or not isinstance(value, int | float):
                return None  # withheld (None or a marker string) or no single value
            return {"value": value, "ci_low": ind.get("ci_low"), "ci_high": ind.get("ci_high")}
    return None


def protect_entry(entry: dict[str, Any], protected_docs: Callable[[str, int], dict | None]) -> dict[str, Any]:
    """One `evaluate` entry as it may be shown: protected before/latest values, verdict held back
    unless both are published. Explorer cells have no protected release: their figures are never
    shown and their verdict is withheld."""
    ref, verdict = entry["indicator"], entry["verdict"]
    out = {"id": entry["id"], "indicator": ref, "before": None, "latest": None, "verdict": verdict}
    if verdict not in READS_FIGURES and verdict != "not_available":
        return out
    standard = ref.split(".")[0].upper()
    shown = []
    for side in ("before", "latest"):
        year = (entry.get(side) or {}).get("year")
        value = None
        if year is not None and standard in ("WRES", "WDES"):
            value = _published(protected_docs(standard, year), ref)
        shown.append(None if value is None else {"year": year, **value})
    out["before"], out["latest"] = shown
    if verdict in READS_FIGURES and None in shown:
        out["verdict"] = "withheld"
    return out


def protected_evaluation(workspace, actions, *, org: str,
                         protected_docs: Callable[[str, int], dict | None]) -> dict[tuple[int, str], dict]:
    """{(action id, indicator): protected entry} for `actions` of `org`."""
    from parity.actions.evaluate import evaluate

    if not actions:
        return {}
    entries = evaluate(workspace, actions, org=org)["actions"]
    return {(e["id"], e["indicator"]): protect_entry(e, protected_docs) for e in entries}
