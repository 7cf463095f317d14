"""Explore › by unit (issue 17): a heat map of unit × ethnic group relative likelihoods, with a
drill-down from division to department, from the scan's published view only.

One scan per organisation and year over ``org_l3`` (division), ``org_l5`` (department) and ethnicity,
with three reporting years pooled (a division's casework in one year has little power; the page says
so), protected as ONE release (`parity.disclosure.explore.protect_explore`): the division cells, the
department cells and the organisation's ethnic-group cells are linked margins of one another there,
so moving between the division view and a division's departments shows only what that one release
publishes, and subtracting departments from their division gives nothing back. Cached until the
workspace changes, like the other Explore pages.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from parity.web.pages import render
from parity.web.roles import Access, require
from parity.web.versioned import VersionedCache
from parity.web.viewing import resolve

router = APIRouter()
TOP, BOTTOM = "org_l3", "org_l5"
BY = (TOP, BOTTOM, "ethnicity")
POOL = 3
GROUPS = ("Asian", "Black", "Mixed", "Other")
DEFAULT_OUTCOME = "disciplinary"
#: outcomes whose people carry a unit (survey respondents do not): the others are not scanned here
OUTCOMES = ("disciplinary", "capability", "training", "promotion", "leaving", "appointment")


class UnitScans(VersionedCache):
    """Protected unit scans per (organisation, year), cleared when the workspace's data version changes."""

    unavailable = "The scan by unit could not be run for the year ending 31 March {year}: {reason}."

    def get(self, org: str, year: int) -> dict[str, Any] | str:
        return super().get(org, year)

    def _compute(self, org: str, year: int) -> dict[str, Any] | str:
        from parity.disclosure.explore import protect_explore
        from parity.explore import explore

        result = explore(self.results.workspace.path, kind="scan", year=year, by=BY, org=org, pool_years=POOL,
                         outcomes=list(OUTCOMES))
        return protect_explore(result.to_dict(), self.results.rule)


def unit_scans(app) -> UnitScans:
    return UnitScans.of(app, "explore_units")


def heat_cells(scan: dict[str, Any], outcome: str, division: str | None) -> list[dict[str, Any]]:
    """One cell per unit × ethnic group: its relative likelihood, or why there is none.

    ``division`` None: the divisions; else that division's departments. ``state``: "shown",
    "withheld" (tested, but a count is under the threshold: withheld with its statistics), or
    "not tested" (too few people or events to compare)."""
    keys = {TOP, "ethnicity"} if division is None else {TOP, BOTTOM, "ethnicity"}
    unit_key = TOP if division is None else BOTTOM
    out: dict[tuple[str, str], dict[str, Any]] = {}

    def mine(group: dict) -> bool:
        return (set(group) == keys and group.get("ethnicity") in GROUPS and group.get(unit_key) != "Unknown"
                and (division is None or group.get(TOP) == division))

    for f in scan.get("findings") or []:
        if f.get("outcome") == outcome and mine(f.get("group") or {}):
            g = f["group"]
            rl = f.get("relative_likelihood")
            shown = isinstance(rl, int | float)
            out[(g[unit_key], g["ethnicity"])] = {
                "unit": g[unit_key], "group": g["ethnicity"], "rl": rl if shown else None,
                "state": "shown" if shown else "withheld", "significant": bool(f.get("significant")) if shown else None,
                "label": f"{rl:.2f}" if shown else "withheld", "narrative": f.get("narrative")}
    for c in scan.get("not_tested") or []:
        g = c.get("group") or {}
        if c.get("outcome") == outcome and mine(g) and (g[unit_key], g["ethnicity"]) not in out:
            out[(g[unit_key], g["ethnicity"])] = {"unit": g[unit_key], "group": g["ethnicity"], "rl": None,
                                                  "state": "not tested", "significant": None, "label": "too few",
                                                  "narrative": c.get("explanation")}
    return [out[k] for k in sorted(out)]


def heat_map(cells: list[dict[str, Any]], unit_word: str, outcome_label: str):
    """Unit × group relative likelihoods as a Vega-Lite heat map (log colour scale centred on 1);
    withheld and untested cells grey with their word, never a colour."""
    from parity.report.charts import render

    if not cells:
        return None
    data = [{"unit": c["unit"], "group": c["group"], "rl": c["rl"], "label": c["label"], "state": c["state"]}
            for c in cells]
    x = {"field": "group", "type": "nominal", "title": "Ethnic group (compared with White staff in the same unit)",
         "sort": list(GROUPS), "axis": {"labelAngle": 0}}
    y = {"field": "unit", "type": "nominal", "title": unit_word.capitalize()}
    chart = {"data": {"values": data}, "layer": [
        {"mark": {"type": "rect", "stroke": "white"},
         "encoding": {"x": x, "y": y, "color": {
             "condition": {"test": "datum.rl != null", "field": "rl", "type": "quantitative",
                           "scale": {"type": "log", "domain": [0.25, 4], "scheme": "blueorange", "clamp": True},
                           "title": "Relative likelihood (above 1: worse off)"},
             "value": "#d8dde0"},
             "tooltip": [{"field": "unit"}, {"field": "group"}, {"field": "label", "title": "relative likelihood"}]}},
        {"mark": {"type": "text", "fontSize": 11},
         "encoding": {"x": x, "y": y, "text": {"field": "label"}}},
    ]}
    shown = [c for c in cells if c["state"] == "shown"]
    desc = (f"Heat map of {outcome_label.lower()} by {unit_word} and ethnic group: "
            + "; ".join(f"{c['group']} staff in {c['unit']} {c['label']}" for c in shown[:40])
            + (". " if shown else "No figures are published. ")
            + f"{sum(c['state'] == 'withheld' for c in cells)} cell(s) withheld, "
            f"{sum(c['state'] == 'not tested' for c in cells)} too small to compare.")
    height = max(60, 28 * len({c["unit"] for c in cells}))
    return render("units-heat", chart, f"{outcome_label} by {unit_word}", desc, height=height)


@router.get("/o/{org}/explore/units")
def units_page(request: Request, year: int | None = None, outcome: str = DEFAULT_OUTCOME, division: str | None = None,
               access: Access = Depends(require("overview"))):
    from parity.contract.units import level_names
    from parity.web.charts import live_spec, quiet_svg
    from parity.web.views.explore import outcome_titles

    v = resolve(request, access, year, None, "explore")
    titles = {name: title for name, title in outcome_titles().items() if name in OUTCOMES}
    outcome = outcome if outcome in titles else DEFAULT_OUTCOME
    names = level_names(request.app.state.results.workspace.path)
    scan = unit_scans(request.app).get(access.org, v.year)
    cells = [] if isinstance(scan, str) else heat_cells(scan, outcome, division or None)
    if division and not cells and not isinstance(scan, str):
        division = None  # a division with nothing published (or a mistyped one): back to the divisions
        cells = heat_cells(scan, outcome, None)
    unit_word = names.get(BOTTOM if division else TOP, "unit").replace("_", " ")
    top_word = names.get(TOP, "division").replace("_", " ")
    chart = heat_map(cells, unit_word, titles[outcome])
    units = sorted({c["unit"] for c in cells})
    return render(request, "explore_units.html", title=f"Explore by {top_word}{f', {division}' if division else ''}", v=v, scan=scan,
                  cells=cells, units=units, groups=GROUPS, titles=titles, outcome=outcome, division=division,
                  unit_word=unit_word, top_word=top_word, pool=POOL,
                  chart=None if chart is None else {"svg": quiet_svg(chart.svg), "spec": live_spec(chart.spec),
                                                    "title": chart.title, "description": chart.description},
                  protected_only=True)
