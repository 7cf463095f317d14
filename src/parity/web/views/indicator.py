"""One indicator: chart, narrative, counts, breakdowns, trend and the questions to ask."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from parity.web import charts
from parity.web.pages import render
from parity.web.plain import indicator_code
from parity.web.roles import Access, require
from parity.web.viewing import View, resolve

router = APIRouter()
MINORITY = {"WRES": "BME", "WDES": "Disabled"}
UNKNOWN_INDICATOR = "There is no indicator {id!r} in WRES or WDES."
CHARTS = ("distribution", "groups", "forest", "trend")


def _find(request: Request, access: Access, v: View, indicator_id: str) -> tuple[str, dict, dict]:
    standard = "WRES" if indicator_id.startswith("wres.") else "WDES" if indicator_id.startswith("wdes.") else None
    if standard is None:
        raise HTTPException(404, UNKNOWN_INDICATOR.format(id=indicator_id))
    try:
        result = request.app.state.results.standard(access.org, v.year, standard, suppressed=v.suppressed)
    except (ValueError, KeyError, FileNotFoundError) as exc:
        raise HTTPException(404, f"{standard} could not be computed for {v.year}: {exc}") from exc
    for ind in result["indicators"]:
        if ind["id"] == indicator_id:
            return standard, result, ind
    raise HTTPException(404, UNKNOWN_INDICATOR.format(id=indicator_id))


def _charts(request: Request, access: Access, v: View, standard: str, ind: dict):
    trend = request.app.state.results.trend(access.org, v.year, standard, ind["id"], suppressed=v.suppressed)
    key = (access.org, v.year, v.suppressed, ind["id"])
    cache = request.app.state.results.charts
    if key not in cache:  # drawing SVG takes tens of milliseconds; results are cached, so are charts
        cache[key] = charts.indicator_charts(ind, standard, trend)
    return cache[key], trend


@router.get("/o/{org}/indicator/{indicator_id}")
def indicator(request: Request, indicator_id: str, year: int | None = None, view: str | None = None,
              access: Access = Depends(require("indicator"))):
    v = resolve(request, access, year, view, f"indicator {indicator_id}")
    standard, result, ind = _find(request, access, v, indicator_id)
    page_charts, trend = _charts(request, access, v, standard, ind)
    from parity.web.views.actions import indicator_actions
    from parity.web.views.compare import indicator_block

    return render(request, "indicator.html", actions=indicator_actions(request, access.org, ind["id"]), title=f"{ind['title']} — {indicator_code(ind['id'])}", v=v, ind=ind,
                  standard=standard, definition=_definition(standard, ind["id"]), charts=page_charts,
                  trend=trend, questions=_questions(ind, standard), result=result,
                  minority=MINORITY[standard], unsuppressed=not v.suppressed, k=request.app.state.results.rule.k,
                  comparison=indicator_block(request, access.org, v.year, ind["id"]))


@router.get("/o/{org}/indicator/{indicator_id}/chart/{name}.json")
def chart_spec(request: Request, indicator_id: str, name: str, year: int | None = None, view: str | None = None,
               access: Access = Depends(require("indicator"))):
    """The Vega-Lite spec behind a chart (JavaScript draws it; same checks as the page)."""
    if name not in CHARTS:
        raise HTTPException(404, "No such chart.")
    v = resolve(request, access, year, view, f"chart {indicator_id}")
    standard, _result, ind = _find(request, access, v, indicator_id)
    found = [c for c in _charts(request, access, v, standard, ind)[0] if c.name == name]
    if not found:
        raise HTTPException(404, "No chart for this indicator.")
    return JSONResponse(found[0].spec)


def _definition(standard: str, indicator_id: str):
    from parity.indicators.catalogue import indicators

    return next((d for d in indicators(standard) if d.id == indicator_id), None)


def _questions(ind: dict, standard: str) -> list[str]:
    try:
        from parity.report.questions import findings, questions_for
    except ImportError:  # the report package supplies the questions; without it the section is left out
        return []
    return questions_for(ind["id"], findings(ind, standard))
