"""The published view of time-to-event results (``parity explore progression|retention --method
survival --protected``, issue 17).

Findings (each group against its reference: spells and events of both, medians, the log-rank
test, the hazard ratio and the sentence) are protected exactly as every explorer finding is
(`parity.disclosure.explore.protect_explore`): every statistic is withheld with any of its four
counts. The secondary tables are rebuilt with only safe figures:

- ``groups``: each group's median time and its interval, only for groups of at least ``k`` spells
  (no counts: those are in the findings, protected there);
- ``curves``: Kaplan–Meier step data at whole years for those groups only, as (time, survival
  rounded to 2 decimals) — no numbers at risk, events or censorings — and each curve stops at the
  first year with fewer than ``k`` at risk or with 1 to ``k − 1`` events in the year: a step of the
  curve times the group's size would otherwise give that small count back. Rounding keeps the
  people censored in a year (leavers, for promotion) from being solved for exactly.
"""

from __future__ import annotations

from typing import Any

from parity.disclosure.explore import TABLES_LEFT_OUT, protect_explore
from parity.disclosure.rules import DisclosureRule

DECIMALS = 2
CURVES_NOTE = ("Published time-to-event figures: medians for groups of at least {k} spells; curves at whole "
               "years for those groups, shown while at least {k} are at risk and each year's events are "
               "none or at least {k}, survival rounded to {d} decimals, no counts at risk.")


def protect_survival(result: dict[str, Any], rule: DisclosureRule | None = None) -> dict[str, Any]:
    """A copy of a survival `ExploreResult.to_dict()` that is safe to publish."""
    rule = rule or DisclosureRule()
    out = protect_explore(result, rule)
    tables = result.get("tables") or {}
    safe = {(g["attribute"], g["group"]) for g in tables.get("groups") or [] if (g.get("n") or 0) >= rule.k}
    out["tables"] = {
        "groups": [{"attribute": g["attribute"], "group": g["group"], "reference": g.get("reference"),
                    **{m: (g.get(m) if (g["attribute"], g["group"]) in safe else None)
                       for m in ("median", "median_ci_low", "median_ci_high")}}
                   for g in tables.get("groups") or []],
        "curves": _curves(tables.get("curves") or [], safe, rule.k),
    }
    notes = [n for n in out.get("notes") or [] if n != TABLES_LEFT_OUT]
    out["notes"] = [*notes, CURVES_NOTE.format(k=rule.k, d=DECIMALS)]
    return out


def _curves(rows: list[dict], safe: set[tuple[str, str]], k: int) -> list[dict]:
    out, stopped = [], set()
    for r in sorted(rows, key=lambda r: (r["attribute"], r["group"], r["time"])):
        key = (r["attribute"], r["group"])
        if key not in safe or key in stopped:
            continue
        if r["at_risk"] < k or 0 < r["events"] < k:
            stopped.add(key)
            continue
        out.append({"attribute": key[0], "group": key[1], "time": r["time"],
                    "survival": round(float(r["survival"]), DECIMALS)})
    return out
