"""Explore › the recruitment funnel stage by stage (issue 14): application → shortlisted → appointed
(and interviewed, offered when the data record them), per group, the relative likelihood of moving on
at each step with its interval — from `parity.explore.funnel` in its published view only
(`parity.disclosure.explore.protect_explore`), for every role.

One funnel per organisation and year — by ethnicity and sex, the `parity explore funnel` defaults —
protected as one release and cached until the workspace changes, like the Explore scan
(`views.explore`). The page's choice of attributes only chooses rows of that one release. The
explorer's stage-count table is not in the published view (`protect_explore` drops it): each step's
counts here are the findings' own counts, each published or withheld with its cell. The funnel is
protected around WRES 2 as the dashboard prints it (`parity.disclosure.explore_wres`): its step out of
shortlisted and its step into appointed count WRES 2's applicants, so no subtraction from WRES 2 gives a
withheld step back.

WRES indicator 2 is the same comparison's last step (appointment from shortlisting) over a whole
year's shortlisted applicants; declined offers are left out of the step into appointed as WRES 2 does
(`parity.explore.funnel`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from parity.web.pages import render
from parity.web.roles import Access, require
from parity.web.versioned import VersionedCache
from parity.web.viewing import resolve

router = APIRouter()
BY = ("ethnicity", "sex")
#: the stages in words, as a step's heading names them
STAGE_WORDS = {"applied": "application", "shortlisted": "shortlisted", "interviewed": "interviewed",
               "offered": "offered the post", "appointed": "appointed"}
NOUN = "applicants"
ATTRIBUTE_SETS = {"ethnicity": "Ethnicity", "sex": "Sex", "ethnicity+sex": "Ethnicity and sex"}


class FunnelCache(VersionedCache):
    """Protected funnels per (organisation, year), cleared when the workspace's data version changes."""

    unavailable = "The recruitment funnel could not be run for the year ending 31 March {year}: {reason}."

    def get(self, org: str, year: int) -> dict[str, Any] | str:
        return super().get(org, year)

    def _compute(self, org: str, year: int) -> dict[str, Any] | str:
        from parity.disclosure.explore import protect_explore
        from parity.disclosure.explore_wres import wres_by_year
        from parity.explore import explore

        result = explore(self.results.workspace.path, kind="funnel", year=year, by=BY, org=org)
        docs, orgs = self.results.release("WRES")  # protected around WRES 2 as the pages print it
        return protect_explore(result.to_dict(), self.results.rule, wres=wres_by_year(docs, orgs, org))


def funnels(app) -> FunnelCache:
    return FunnelCache.of(app, "explore_funnel")


def step_heading(step: str) -> str:
    """"applied → shortlisted" → "Application → shortlisted"."""
    before, _, after = step.partition(" → ")
    words = f"{STAGE_WORDS.get(before, before)} → {STAGE_WORDS.get(after, after)}"
    return words[:1].upper() + words[1:]


def _attributes(group: dict) -> str:
    return "+".join(a for a in BY if a in group)


def steps(doc: dict[str, Any], attributes: str) -> list[dict[str, Any]]:
    """One entry per step, in the funnel's order: its heading and its rows (groups of `attributes`),
    tested groups in label order, then the groups too small to compare."""
    stages = (doc.get("settings") or {}).get("stages") or []
    out = []
    for a, b in zip(stages, stages[1:], strict=False):
        step = f"{a} → {b}"

        def here(cell: dict, step=step) -> bool:
            return (cell.get("context") or {}).get("step") == step and _attributes(cell.get("group") or {}) == attributes

        tested = [f for f in doc.get("findings") or [] if here(f)]
        rows = [_row(f) for f in sorted(tested, key=lambda f: f.get("group_label") or "")]
        rows += [_untested(c) for c in doc.get("not_tested") or [] if here(c)]
        reference = tested[0].get("reference_label") if tested else None
        out.append({"step": step, "heading": step_heading(step), "rows": rows, "reference": reference})
    return out


def matrix(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stage-by-stage view: one row per group, its row of each step (None where not counted)."""
    groups = list(dict.fromkeys(r["group"] for s in found for r in s["rows"]))
    return [{"group": g, "cells": [next((r for r in s["rows"] if r["group"] == g), None) for s in found]}
            for g in groups]


def _number(value) -> float | int | None:
    """A published figure, or None (withheld figures are None in the protected view)."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _row(f: dict[str, Any]) -> dict[str, Any]:
    """A compared group: "shown" when its relative likelihood is published, else "withheld"."""
    counts = f.get("counts") or {}
    rl, rate = _number(f.get("relative_likelihood")), _number(f.get("rate"))
    return {"group": _capital(f.get("group_label") or ""), "events": _number(counts.get("events")),
            "n": _number(counts.get("n")), "rate": None if rate is None else rate * 100, "rl": rl,
            "low": _number(f.get("ci_low")), "high": _number(f.get("ci_high")),
            "state": "shown" if rl is not None else "withheld", "significant": bool(f.get("significant")),
            "text": f.get("narrative")}


def _untested(c: dict[str, Any]) -> dict[str, Any]:
    """A group too small to compare: its published counts, no ratio."""
    from parity.explore.phrases import describe

    events, n = _number(c.get("events")), _number(c.get("n"))
    return {"group": _capital(describe(c.get("group") or {}, NOUN)), "events": events, "n": n,
            "rate": events / n * 100 if events is not None and n else None, "rl": None, "low": None,
            "high": None, "state": "too few", "significant": False, "text": c.get("explanation")}


@router.get("/o/{org}/explore/funnel")
def funnel_page(request: Request, year: int | None = None, by: str = "ethnicity",
                access: Access = Depends(require("overview"))):
    from parity.disclosure.explore import TABLES_LEFT_OUT

    v = resolve(request, access, year, None, "explore")
    by = by if by in ATTRIBUTE_SETS else "ethnicity"
    doc = funnels(request.app).get(access.org, v.year)
    found = [] if isinstance(doc, str) else steps(doc, by)
    return render(request, "explore_funnel.html", title="Recruitment funnel, stage by stage", v=v,
                  doc=doc, steps=found, groups=matrix(found), by=by, attribute_sets=ATTRIBUTE_SETS,
                  tables_left_out=TABLES_LEFT_OUT, protected_only=True)
