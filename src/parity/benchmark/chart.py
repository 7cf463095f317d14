"""The funnel plot and its sentence (dashboard and report; issue 18).

Each organisation's value against its size (the indicator's two denominators added), the national
value as a line, and the 95% and 99.8% control limits (Spiegelhalter 2005, `parity.benchmark.funnel`)
drawn for organisations of every size at the national split between the two groups (each
organisation's own position uses its own group sizes). Relative likelihoods on a log scale. One
organisation may be highlighted; organisations outside ``named`` are drawn but not named.
"""

from __future__ import annotations

import math

import numpy as np

from parity.benchmark.funnel import Z95, Z998, difference_se0, ratio_se0

WORDS = {"within": "within the limits, so its difference from the national figure could be chance",
         "above_95": "above the 95% limit", "above_998": "above the 99.8% limit",
         "below_95": "below the 95% limit", "below_998": "below the 99.8% limit"}
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
WHO = ["This organisation", "Your organisations", "Other organisations"]  # colours and shapes, in this order


def limit_lines(d: dict, sizes: np.ndarray) -> list[dict]:
    """Points of the four limit curves (95%/99.8%, lower/upper) at total sizes `sizes`."""
    nat = d["national"]
    groups = [v for k, v in nat.items() if isinstance(v, dict)]
    target = nat.get("value")
    if target is None or len(groups) != 2 or not all(g["denominator"] for g in groups):
        return []
    (a, b) = groups
    pa, pb = a["numerator"] / a["denominator"], b["numerator"] / b["denominator"]
    if not (0 < pa < 1 and 0 < pb < 1):
        return []
    share = a["denominator"] / (a["denominator"] + b["denominator"])
    ratio = d["kind"] == "relative_likelihood"
    out = []
    for n in sizes:
        na, nb = n * share, n * (1 - share)
        if na < 1 or nb < 1:
            continue
        se = ratio_se0(na, nb, pa, pb) if ratio else 100 * difference_se0(na, nb, pa, pb)
        for name, z in (("95%", Z95), ("99.8%", Z998)):
            for side, sign in (("lower", -1), ("upper", 1)):
                y = math.exp(math.log(target) + sign * z * se) if ratio else target + sign * z * se
                out.append({"size": float(n), "limit": y, "line": f"{name} {side}", "level": name})
    return out


def funnel_spec(d: dict, *, highlight: str | None = None, named: set[str] | None = None) -> dict:
    """The Vega-Lite spec of `d` (a `compare` result)."""
    named = set(named or ())
    points = []
    for r in d["organisations"]:
        if r["value"] is None or not r["denominator"] or (d["kind"] == "relative_likelihood" and r["value"] <= 0):
            continue
        label = r["org"] if r["org"] in named or r["org"] == highlight else "Another organisation"
        who = "This organisation" if r["org"] == highlight else "Your organisations" if r["org"] in named else "Other organisations"
        points.append({"size": r["denominator"], "value": round(r["value"], 4), "organisation": label, "who": who})
    present = {p["who"] for p in points}
    shown = [(w, c, m) for w, c, m in zip(WHO, ("#D55E00", "#009E73", "#0072B2"), ("diamond", "square", "circle"),
                                          strict=True) if w in present]  # the legend lists only what is drawn
    sizes = [p["size"] for p in points] or [100]
    grid = np.geomspace(max(10.0, min(sizes) / 2), max(sizes) * 1.5, 40)
    lines = limit_lines(d, grid)
    ratio = d["kind"] == "relative_likelihood"
    y_scale = {"type": "log"} if ratio else {"zero": False}
    y = {"field": "value", "type": "quantitative", "title": "Relative likelihood (log scale)" if ratio
         else "Percentage points", "scale": y_scale}
    x = {"field": "size", "type": "quantitative", "title": "Size (people in the two groups)", "scale": {"type": "log", "nice": False}}
    layers = []
    if lines:
        layers.append({"data": {"values": lines}, "mark": {"type": "line", "strokeWidth": 1.5},
                       "encoding": {"x": x, "y": {**y, "field": "limit"}, "detail": {"field": "line"},
                                    "strokeDash": {"field": "level", "type": "nominal", "title": "Control limit",
                                                   "scale": {"domain": ["95%", "99.8%"], "range": [[6, 3], [1, 0]]}},
                                    "color": {"value": "#768692"}}})
    if d["national"].get("value") is not None:
        layers.append({"data": {"values": [{"value": d["national"]["value"]}]},
                       "mark": {"type": "rule", "color": "#000000"}, "encoding": {"y": y}})
    layers.append({"data": {"values": points}, "mark": {"type": "point", "filled": True, "size": 60},
                   "encoding": {"x": x, "y": y,
                                "color": {"field": "who", "type": "nominal", "title": None,
                                          "scale": {"domain": [w for w, _c, _s in shown],
                                                    "range": [c for _w, c, _s in shown]}},
                                "shape": {"field": "who", "type": "nominal", "title": None,
                                          "scale": {"domain": [w for w, _c, _s in shown],
                                                    "range": [m for _w, _c, m in shown]}},
                                "tooltip": [{"field": "organisation"}, {"field": "value", "format": ".2f"},
                                            {"field": "size", "format": ","}]}})
    return {"$schema": SCHEMA, "width": 480, "height": 260, "layer": layers, "background": "white",
            "config": {"font": "Arial, Helvetica, sans-serif", "view": {"stroke": None}}}


def sentence(d: dict, org: str | None) -> str:
    """One sentence: this organisation against the national figure and its peers."""
    nat = d["national"].get("value")
    unit = "" if d["kind"] == "relative_likelihood" else " percentage points"
    if org is None:
        out = d["outliers"]
        above = out["above_998"] + out["above_95"]
        below = out["below_998"] + out["below_95"]
        return (f"{len(d['organisations'])} organisations; national {_f(nat)}{unit}. Above the 95% limit: "
                f"{', '.join(above) or 'none'}; below: {', '.join(below) or 'none'} ({d['better']} is better).")
    r = next(x for x in d["organisations"] if x["org"] == org)
    if r["value"] is None:
        return f"{org}'s figure is withheld or cannot be calculated, so it is not compared."
    where = WORDS.get(r.get("position"), "not placed on the funnel (its counts are not available)")
    peers = d["peers"]
    rank = f"; it ranks {r['rank']} of {peers['organisations']} ({d['better']} is better)" if r.get("rank") else ""
    return (f"{org}: {_f(r['value'])}{unit} against {_f(nat)}{unit} nationally — {where}{rank}; the middle half of "
            f"organisations lie between {_f(peers.get('q1'))} and {_f(peers.get('q3'))}.")


def _f(x) -> str:
    return "not known" if x is None else f"{x:.2f}"


def funnel_chart(key: str, d: dict, *, highlight: str | None = None, named: set[str] | None = None):
    """The funnel plot as an accessible inline SVG (`parity.report.charts.Chart`)."""
    import vl_convert

    from parity.report.charts import Chart, accessible_svg

    spec = funnel_spec(d, highlight=highlight, named=named)
    from parity.report.view import indicator_code

    title = f"Funnel plot: {indicator_code(d['indicator'])} {d['year']}"  # "WRES 2", never "WRES.2" (issue 14)
    desc = sentence(d, highlight) + " Dashed lines: 95% limits; solid lines: 99.8% limits; the black line: national."
    spec["title"], spec["description"] = title, desc
    svg = vl_convert.vegalite_to_svg(spec)
    return Chart(key, title, desc, accessible_svg(svg, key, title, desc), spec)
