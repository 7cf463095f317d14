"""Change over time: Making Data Count charts of the monthly figures (`parity.spc`), issue 15.

Everyone sees each series' **variation** — common cause, or special cause (concern or improvement)
with the rules that fired and when — as an icon with words, never the monthly values: a month's rate
for a group times its headcount gives back a small count, so the published view carries no number
of the series. Analysts may open the unsuppressed view (audited, as on indicator pages) to see the
centre line, limits and every point. Results are cached per organisation, measure, grouping and
period until the workspace changes.
"""

from __future__ import annotations

import threading

from fastapi import APIRouter, Depends, Request

from parity.spc.published import RULES, VARIATION, published
from parity.web.pages import render
from parity.web.roles import Access, require
from parity.web.viewing import resolve

router = APIRouter()
MEASURES = {"disciplinary": "Formal disciplinary cases", "capability": "Formal capability cases",
            "appointment": "Appointment from shortlisting", "training": "Non-mandatory training",
            "leavers": "Leavers"}
GROUPINGS = {"ethnicity": "Ethnicity (BME and White)", "disability": "Disability", "sex": "Sex"}
PERIODS = {"month": "Month", "quarter": "Quarter"}
_lock = threading.Lock()


def _cached(app, org: str, measure: str, by: str, period: str):
    from parity.spc import spc

    results = app.state.results
    version = results.workspace.data_version
    with _lock:
        cache = getattr(app.state, "spc_cache", None)
        if cache is None or cache[0] != version:
            cache = (version, {})
            app.state.spc_cache = cache
    key = (org, measure, by, period)
    if key not in cache[1]:
        with results.lock:  # one DuckDB user at a time in this process
            try:
                cache[1][key] = spc(results.workspace.path, org=org, measure=measure, by=by, period=period).to_dict()
            except ValueError as exc:  # the table is not imported
                cache[1][key] = str(exc)
    return cache[1][key]


@router.get("/o/{org}/spc")
def spc_page(request: Request, measure: str = "disciplinary", by: str = "ethnicity", period: str = "month",
             view: str | None = None, access: Access = Depends(require("overview"))):
    v = resolve(request, access, None, view, "change over time")
    measure = measure if measure in MEASURES else "disciplinary"
    by = by if by in GROUPINGS else "ethnicity"
    period = period if period in PERIODS else "month"
    result = _cached(request.app, access.org, measure, by, period)
    series = [] if isinstance(result, str) else [published(s) for s in result["series"]]
    detail = None if isinstance(result, str) or v.suppressed else result["series"]
    return render(request, "spc.html", title="Change over time", v=v, result=result, series=series,
                  detail=detail, measure=measure, by=by, period=period, measures=MEASURES, groupings=GROUPINGS,
                  periods=PERIODS, variation=VARIATION, rule_words=RULES)
