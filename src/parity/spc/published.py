"""What anyone may see of a charted series: its verdict and the rules that fired, never its values.

A month's rate for a group times its headcount gives back a small count, so the published view of an
SPC series (dashboard, report, agenda) carries no number of the series: the variation in words, the
rules that fired and the period of the latest signal.
"""

from __future__ import annotations

VARIATION = {
    "common_cause": ("Common cause", "no signal: the changes are what chance and the usual ups and downs give", "C"),
    "special_cause_concern": ("Special cause: concern", "a change beyond the usual variation, in the worse direction",
                              "!"),
    "special_cause_improvement": ("Special cause: improvement",
                                  "a change beyond the usual variation, in the better direction", "+"),
    "special_cause_neutral": ("Special cause", "a change beyond the usual variation", "!"),
}
RULES = {"outside_limits": "a point outside the limits", "shift": "a run on one side of the average",
         "trend": "a run rising or falling", "two_of_three": "two of three points near a limit"}
#: what the report summarises (measure, grouping): the WRES and WDES outcomes with monthly dates
REPORT_SERIES = (("appointment", "ethnicity"), ("disciplinary", "ethnicity"), ("training", "ethnicity"),
                 ("appointment", "disability"), ("capability", "disability"), ("leavers", "ethnicity"))


def published(series: dict) -> dict:
    """A series (`SpcResult.to_dict()["series"][i]`) without its values."""
    signals = [p for p in series["points"] if p["special_cause"]]
    return {"group": series["group"], "kind": series["kind"], "chart": series["chart"],
            "variation": series["variation"], "notes": series["notes"] if series["chart"] is None else [],
            "rules": sorted({r for p in signals for r in p["rules"]}),
            "last_signal": signals[-1]["period"] if signals else None,
            "periods": len(series["points"]),
            "first": series["points"][0]["period"] if series["points"] else None,
            "last": series["points"][-1]["period"] if series["points"] else None}


def in_words(s: dict) -> str:
    """"Special cause: concern (a run on one side of the average; latest signal 2025-02)"."""
    if s["chart"] is None:
        return "No chart: " + " ".join(s["notes"])
    words = VARIATION[s["variation"]][0]
    if s["rules"]:
        words += f" ({'; '.join(RULES[r] for r in s['rules'])}; latest signal {s['last_signal']})"
    return words
