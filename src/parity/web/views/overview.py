"""Overview of one organisation and year: what the board should know, then every indicator as a card."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from parity.web.pages import render
from parity.web.roles import Access, require
from parity.web.viewing import resolve, standards

router = APIRouter()
#: more than this share unknown is flagged on the card (the report's "questions" use the same figure)
UNKNOWN_WARNING = 10.0
#: findings shown in the top panel before "all findings" (the rest are one click away)
PANEL_SIZE = 5
#: tag colour of a finding: (severity, certainty)
FINDING_COLOURS = {("adverse", "clear"): "red", ("adverse", "uncertain"): "orange",
                   ("within_range", "clear"): "blue", ("within_range", "uncertain"): "blue"}


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


def board_findings(request: Request, org: str, year: int) -> list:
    """The ranked findings of `org` and `year`, from the protected release whatever the page's view
    (the panel never shows an unsuppressed figure; `parity.report.findings`)."""
    from parity.report.findings import board_findings as rank_findings
    from parity.report.release import unit_for
    from parity.web.results import STANDARDS

    results = request.app.state.results
    releases = {}
    for name in STANDARDS:
        docs, orgs = results.release(name)
        unit = unit_for(org, orgs)
        releases[name] = {y: d for (u, y), d in docs.items() if u == unit}
    return rank_findings(releases, year)


@router.get("/o/{org}/overview")
def overview(request: Request, year: int | None = None, view: str | None = None,
             access: Access = Depends(require("overview"))):
    v = resolve(request, access, year, view, "overview")
    results = standards(request, access.org, v)
    warnings = [w for r in results.values() if isinstance(r, dict) for w in quality_warnings(r)]
    findings = board_findings(request, access.org, v.year)
    shown = [f for f in findings if f.severity != "not_adverse"][:PANEL_SIZE]
    return render(request, "overview.html", title=f"{access.org} overview {v.year}", v=v, results=results,
                  warnings=warnings, unsuppressed=not v.suppressed, k=request.app.state.results.rule.k,
                  findings=findings, shown=shown, colours=FINDING_COLOURS)
