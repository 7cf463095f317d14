"""Explore › time to promotion and to leaving (issue 17): Kaplan–Meier curves and the sentence, from
`parity.explore.survival` in its published view only (`parity.disclosure.survival.protect_survival`).

One analysis per organisation and year — by ethnicity, the CLI's default adjustment — protected as
one release and cached until the workspace changes, like the Explore scan (`views.explore`). The
curves are drawn on the server as Vega-Lite step lines for the groups whose curves are published
(groups of at least k spells, years with at least k at risk and no small count of events).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from parity.web.pages import render
from parity.web.roles import Access, require
from parity.web.versioned import VersionedCache
from parity.web.viewing import resolve

router = APIRouter()
BY = ("ethnicity",)
KINDS = {"progression": ("promotion", "Time in band until promotion", "Share still in band"),
         "retention": ("leaving", "Time in post until leaving", "Share still in post")}


class TimeCache(VersionedCache):
    """Protected survival results per (organisation, year, kind), cleared when the data change."""

    def get(self, org: str, year: int, kind: str) -> dict[str, Any] | str:
        return super().get(org, year, kind)

    def _compute(self, org: str, year: int, kind: str) -> dict[str, Any] | str:
        from parity.disclosure.survival import protect_survival
        from parity.explore.survival import survival

        result = survival(self.results.workspace.path, kind=kind, year=year, by=BY, org=org)
        return protect_survival(result.to_dict(), self.results.rule)


def times(app) -> TimeCache:
    return TimeCache.of(app, "explore_time")


def curve_chart(key: str, doc: dict[str, Any], y_title: str):
    """Kaplan–Meier step lines of the published curves (None when no curve is published)."""
    from parity.report import charts as report_charts
    from parity.web.charts import SCHEMA, live_spec, quiet_svg
    from parity.web.charts import _lock as vl_lock

    rows = (doc.get("tables") or {}).get("curves") or []
    drawn = {r["group"] for r in rows if r["time"] >= 1}  # a curve published for year 0 only is no curve
    values = [{"group": r["group"], "years": r["time"], "share": r["survival"]} for r in rows if r["group"] in drawn]
    if not values:
        return None
    top = max(v["years"] for v in values)
    groups = sorted({v["group"] for v in values})
    title = f"{y_title}, by ethnicity (Kaplan–Meier)"
    desc = (f"Step chart of the {y_title.lower()} against years, one line per group: "
            + "; ".join(f"{g} {min(v['share'] for v in values if v['group'] == g):.0%} after "
                        f"{max(v['years'] for v in values if v['group'] == g)} years" for g in groups)
            + ". Only groups and years whose figures are published are drawn.")
    spec = {"$schema": SCHEMA, "title": title, "description": desc, "width": 420, "height": 240,
            "data": {"values": values}, "background": "white",
            "mark": {"type": "line", "interpolate": "step-after", "point": True},
            "encoding": {"x": {"field": "years", "type": "quantitative", "title": "Years",
                               "axis": {"values": list(range(top + 1)), "format": "d"}},
                         "y": {"field": "share", "type": "quantitative", "title": y_title,
                               "axis": {"format": "%"}, "scale": {"domain": [0, 1]}},
                         "color": {"field": "group", "type": "nominal", "title": None,
                                   "scale": {"range": list(report_charts.OKABE_ITO)}},
                         "strokeDash": {"field": "group", "type": "nominal", "title": None},
                         "tooltip": [{"field": "group"}, {"field": "years"}, {"field": "share", "format": ".0%"}]},
            "config": {"font": report_charts.FONT, "view": {"stroke": None}}}
    import vl_convert

    with vl_lock:
        svg = vl_convert.vegalite_to_svg(spec)
    svg = report_charts.accessible_svg(svg, key, title, desc)
    return {"title": title, "description": desc, "svg": quiet_svg(svg), "spec": live_spec(spec)}


@router.get("/o/{org}/explore/time")
def explore_time_page(request: Request, year: int | None = None, access: Access = Depends(require("overview"))):
    v = resolve(request, access, year, None, "explore")
    sections = []
    for kind, (outcome, heading, y_title) in KINDS.items():
        doc = times(request.app).get(access.org, v.year, kind)
        chart = None if isinstance(doc, str) else curve_chart(f"km-{outcome}", doc, y_title)
        said = [] if isinstance(doc, str) else [
            {"who": ", ".join(str(x) for x in (f.get("group") or {}).values()), "text": f["narrative"]}
            for f in doc["findings"]]
        sections.append({"kind": kind, "heading": heading, "doc": doc, "chart": chart, "said": said})
    return render(request, "explore_time.html", title="Time to promotion and to leaving",
                  v=v, sections=sections, protected_only=True)
