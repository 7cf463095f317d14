"""Overview of one organisation and year: every indicator as a summary card."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from parity.web.pages import render
from parity.web.roles import Access, require
from parity.web.viewing import resolve, standards

router = APIRouter()
#: more than this share unknown is flagged on the card (the report's "questions" use the same figure)
UNKNOWN_WARNING = 10.0


def quality_warnings(result: dict) -> list[str]:
    out = []
    for ind in result.get("indicators", []):
        dq = ind.get("data_quality") or {}
        unknown, rate = dq.get("unknown_percent"), dq.get("declaration_rate")
        if unknown is not None and unknown > UNKNOWN_WARNING and ind.get("kind") != "difference":
            out.append(f"{ind['id'].upper()} {ind['title']}: {unknown:.0f}% of people have no recorded "
                       f"{'ethnicity' if ind['id'].startswith('wres') else 'disability status'}.")
        if rate is not None and rate < 80:
            out.append(f"{ind['id'].upper()} {ind['title']}: disability declaration rate is {rate:.0f}%.")
    return out


@router.get("/o/{org}/overview")
def overview(request: Request, year: int | None = None, view: str | None = None,
             access: Access = Depends(require("overview"))):
    v = resolve(request, access, year, view, "overview")
    results = standards(request, access.org, v)
    warnings = [w for r in results.values() if isinstance(r, dict) for w in quality_warnings(r)]
    return render(request, "overview.html", title=f"{access.org} overview {v.year}", v=v, results=results,
                  warnings=warnings, unsuppressed=not v.suppressed, k=request.app.state.results.rule.k)
