"""How do we compare? (issue 18): the funnel plot on each indicator page, and a comparison page across
the organisations a regional or national user belongs to.

Protected figures only: the workspace's `benchmarks` table (published figures, or the protected ones
`parity benchmark build` stores) when it holds the year and indicator, otherwise the dashboard's own
protected release of every organisation (`Results.release`, the figures every page shows). Other
organisations are drawn but never named unless the user belongs to them: a dashboard hosting a
region keeps each organisation's pages to its own members.
"""

from __future__ import annotations

import numpy as np
from fastapi import APIRouter, Depends, Request

from parity.web.pages import render
from parity.web.roles import PERMISSIONS, current_user, organisations_of

router = APIRouter()
NEEDS_SEVERAL = ("This page compares the organisations you belong to; you belong to {n}. Each indicator page "
                 "compares your organisation with the others when the dashboard holds several.")


def comparison(request: Request, year: int, indicator_id: str) -> dict | None:
    """Every organisation's protected figure for `indicator_id` in `year`, scored (cached); None
    when it cannot be compared (one organisation, an indicator of another kind, no data)."""
    results = request.app.state.results
    results.refresh()
    key = ("compare", year, indicator_id)
    if key not in results.charts:
        results.charts[key] = _compute(results, year, indicator_id)
    return results.charts[key]


def _compute(results, year: int, indicator_id: str) -> dict | None:
    from parity.benchmark import figures
    from parity.benchmark.compare import definition, score
    from parity.indicators.source import open_source

    try:
        defn = definition(indicator_id)
        con, _ = open_source(results.workspace.path)
        frame = figures.from_table(con, year=year, indicator=indicator_id)
        source = "published or protected figures (benchmarks table)"
        if frame.empty:
            docs, orgs = results.release(defn.standard)
            rows = [figures.indicator_row(o, year, defn, ind) for o in orgs
                    for ind in (docs.get(((o,), year)) or {}).get("indicators", []) if ind["id"] == indicator_id]
            frame = figures.frame_of(rows, "protected")
            source = "the protected figures of every organisation in this dashboard"
        if frame.empty:
            return None
        d = score(frame, defn, year=year)
    except (ValueError, KeyError, FileNotFoundError):
        return None
    d["source"] = source
    return d


def indicator_block(request: Request, org: str, year: int, indicator_id: str) -> dict | None:
    """The indicator page's comparison: funnel plot with `org` highlighted and its sentence."""
    d = comparison(request, year, indicator_id)
    if d is None or not any(r["org"] == org for r in d["organisations"]):
        return None
    cache = request.app.state.results.charts
    key = ("compare-chart", org, year, indicator_id)
    if key not in cache:
        from parity.benchmark.chart import funnel_chart, sentence
        from parity.web.charts import _lock, quiet_svg

        with _lock:
            chart = funnel_chart(f"{indicator_id.replace('.', '-')}-funnel", d, highlight=org)
        cache[key] = {"svg": quiet_svg(chart.svg), "title": chart.title, "sentence": sentence(d, org),
                      "source": d["source"], "organisations": len(d["organisations"])}
    return cache[key]


#: a region is shown on its own when it has this many organisations or more; smaller ones are added
#: together, and a group smaller than this shows only how many it holds (a region's one or two
#: organisations' figures are not shown to a user who does not belong to them)
MIN_REGION = 3
POSITIONS = ("above_998", "above_95", "below_95", "below_998")
OTHER = "Other regions (fewer than {n} organisations each)"


def _row(label: str, rows: list[dict], *, shown: bool = True) -> dict:
    values = [r["value"] for r in rows if r["value"] is not None]
    return {"label": label, "organisations": len(rows),
            "median": float(np.median(values)) if values and shown else None,
            **{p: sum(r.get("position") == p for r in rows) if shown else None for p in POSITIONS}}


def region_rows(d: dict, mine: list[str]) -> list[dict]:
    """The user's organisations, each region of `MIN_REGION` or more organisations (the others added
    together) and all organisations: how many, the median value and how many lie outside each limit."""
    regions: dict[str, list[dict]] = {}
    for r in d["organisations"]:
        regions.setdefault(r.get("region") or "Region not known", []).append(r)
    out = [_row("Your organisations", [r for r in d["organisations"] if r["org"] in mine])]
    if len(regions) > 1 or "Region not known" not in regions:
        small = [r for rows in regions.values() if len(rows) < MIN_REGION for r in rows]
        out += [_row(name, rows) for name, rows in sorted(regions.items()) if len(rows) >= MIN_REGION]
        if small:
            out.append(_row(OTHER.format(n=MIN_REGION), small, shown=len(small) >= MIN_REGION))
    return out + [_row("All organisations", d["organisations"])]


def over_time(request: Request, years: list[int], indicator: str, mine: list[str]) -> list[dict]:
    """Per year (oldest first): the organisations' lower quartile, median and upper quartile, and the
    median of the user's organisations."""
    out = []
    for y in sorted(years):
        d = comparison(request, y, indicator)
        if d is None:
            continue
        values = [r["value"] for r in d["organisations"] if r["value"] is not None]
        yours = [r["value"] for r in d["organisations"] if r["value"] is not None and r["org"] in mine]
        if values:
            out.append({"year": y, "organisations": len(values), "q1": float(np.percentile(values, 25)),
                        "median": float(np.median(values)), "q3": float(np.percentile(values, 75)),
                        "yours": float(np.median(yours)) if yours else None})
    return out


def _years(request: Request, orgs: list[str]) -> list[int]:
    results = request.app.state.results
    return sorted({y for o in orgs for y in results.years(o)}, reverse=True)


@router.get("/compare")
def compare_page(request: Request, indicator: str = "wres.2", year: int | None = None,
                 user=Depends(current_user)):
    """The organisations the user belongs to (with a role that may see indicators), against national."""
    from parity.benchmark.chart import funnel_chart
    from parity.benchmark.figures import COMPARABLE_KINDS
    from parity.indicators.catalogue import CATALOGUE, indicators
    from parity.web.views.organisations import known_organisations

    indicators("WRES")
    choices = [(i, d.title) for i, d in CATALOGUE.items() if d.kind in COMPARABLE_KINDS and d.group_b]
    mine = [code for code, role in organisations_of(user, known_organisations(request))
            if role in PERMISSIONS["indicator"]]
    context = {"title": "How do we compare?", "choices": choices, "indicator": indicator, "mine": mine,
               "needs": NEEDS_SEVERAL.format(n=len(mine)) if len(mine) < 2 else None, "d": None, "chart": None,
               "rows": [], "regions": [], "over_time": [], "years": _years(request, mine), "year": year}
    if len(mine) >= 2 and indicator in dict(choices):
        year = year or (context["years"] or [None])[0]
        context["year"] = year
        d = comparison(request, year, indicator) if year else None
        if d is not None:
            from parity.web.charts import _lock, quiet_svg

            cache, key = request.app.state.results.charts, ("compare-page", year, indicator, tuple(mine))
            if key not in cache:  # drawing takes a second or two; cleared with the results
                with _lock:
                    chart = funnel_chart(f"{indicator.replace('.', '-')}-compare", d, named=set(mine))
                cache[key] = {"svg": quiet_svg(chart.svg), "title": chart.title, "description": chart.description}
            context.update(d=d, chart=cache[key], rows=[r for r in d["organisations"] if r["org"] in mine],
                           regions=region_rows(d, mine), min_region=MIN_REGION,
                           over_time=over_time(request, [y for y in context["years"] if year - 5 < y <= year],
                                               indicator, mine))
    return render(request, "compare.html", org=None, **context)
