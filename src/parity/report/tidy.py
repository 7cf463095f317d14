"""The tidy results (one row per indicator × group × breakdown) from the *protected* report.

Same columns as ``StandardResult.to_frame()`` / ``parity wres --format csv`` (docs/results-json.md)
plus ``suppressed`` (which of the row's fields are withheld). A withheld number is the rule's
marker; an undefined one is blank. Pay gaps follow in the same columns (docs/reports.md).
"""

from __future__ import annotations

import re
from typing import Any

from parity.report.build import Report

COLUMNS = ("standard", "year", "organisation", "indicator", "kind", "value", "ci_low_value", "ci_high_value",
           "p_value", "test", "assessment", "breakdown", "group", "numerator", "denominator", "percent",
           "ci_low", "ci_high", "suppressed")
HEAD = {"value": "value", "ci_low_value": "ci_low", "ci_high_value": "ci_high", "p_value": "p_value",
        "test": "test", "assessment": "assessment"}


_LAST_STEP = re.compile(r"(\.[^.\[]+|\[\d+\])$")


class Withheld:
    """Which JSON paths of a protected dict are withheld (a path is withheld if it or a parent is)."""

    def __init__(self, paths: list[str]):
        self.paths = set(paths)

    def __call__(self, path: str) -> bool:
        while True:
            if path in self.paths:
                return True
            last = _LAST_STEP.search(path)
            if not last:
                return False
            path = path[:last.start()]


def tidy_rows(report: Report) -> list[dict[str, Any]]:
    """Every tidy row of the report: standards first, then pay gaps."""
    rows: list[dict[str, Any]] = []
    marker = report.rule.marker
    for result in report.standards.values():
        rows += standard_rows(result, marker)
    for by, pg in report.paygap.items():
        rows += paygap_rows(by, pg, report, marker)
    return rows


def standard_rows(result: dict[str, Any], marker: str) -> list[dict[str, Any]]:
    withheld = Withheld(result.get("suppressed") or [])
    base = {"standard": result["standard"], "year": result["year"], "organisation": result["organisation"]}
    out = []
    for i, ind in enumerate(result["indicators"]):
        p = f"indicators[{i}]"
        head = {**base, "indicator": ind["id"], "kind": ind.get("kind")}
        for col, key in HEAD.items():
            head[col] = ind.get(key)
        head_withheld = [col for col, key in HEAD.items() if withheld(f"{p}.{key}")]
        row = _RowMaker(head, head_withheld, withheld, marker)
        for name, g in (ind.get("groups") or {}).items():
            gp = f"{p}.groups.{name}"
            out.append(row("overall", name, {k: (f"{gp}.{k}", g.get(k)) for k in
                                             ("numerator", "denominator", "percent", "ci_low", "ci_high")}))
        for j, r in enumerate(ind.get("rows") or []):
            label = f"band={r['band']};clinical={str(r.get('clinical')).lower()}"
            for name, g in r["groups"].items():
                gp = f"{p}.rows[{j}]"
                out.append(row(label, name, {"numerator": (f"{gp}.groups.{name}.count", g.get("count")),
                                             "denominator": (f"{gp}.total", r.get("total")),
                                             "percent": (f"{gp}.groups.{name}.percent", g.get("percent"))}))
        for j, br in enumerate(ind.get("breakdowns") or []):
            bp = f"{p}.breakdowns[{j}]"
            for name, g in (br.get("groups") or {}).items():
                figures = {k: (f"{bp}.groups.{name}.{k}", g.get(k)) for k in ("numerator", "denominator", "percent")}
                figures["value"] = (f"{bp}.value", br.get("value"))
                out.append(row(br["breakdown"], name, figures))
    return out


class _RowMaker:
    """Rows of one indicator: its head fields plus one group's figures, withheld ones as the marker."""

    def __init__(self, head: dict[str, Any], head_withheld: list[str], withheld: Withheld, marker: str):
        self.head, self.head_withheld, self.withheld, self.marker = head, head_withheld, withheld, marker

    def __call__(self, breakdown: str, group: str, figures: dict[str, tuple[str, Any]]) -> dict[str, Any]:
        r = {**self.head, "breakdown": breakdown, "group": group}
        hidden = list(self.head_withheld)
        for col, (path, value) in figures.items():
            r[col] = value
            if self.withheld(path):
                hidden.append(col)
        for col in hidden:
            r[col] = self.marker
        r["suppressed"] = ";".join(dict.fromkeys(hidden))
        return r


def paygap_rows(by: str, pg: dict[str, Any], report: Report, marker: str) -> list[dict[str, Any]]:
    """Pay gap rows: each measure as ``indicator`` ``paygap.<by>.<measure>`` with the comparison as
    ``breakdown``; quarters and within-band head counts as numerator / denominator rows."""
    base = {"standard": "PAYGAP", "year": report.year, "organisation": report.organisation, "kind": "pay_gap"}
    withheld_all = bool(pg.get("suppressed"))
    out = []

    def shown(value: Any) -> Any:  # a None in a protected pay gap dict is withheld when anything is
        return marker if value is None and withheld_all else value

    for r in pg.get("results") or []:
        comparison = f"{r.get('reference_group')} vs {r.get('comparison_group')}"
        hidden = r.get("withheld") or bool((r.get("disclosure") or {}).get("suppressed"))

        def mark(v: Any, hidden: bool = hidden) -> Any:
            return marker if v is None and hidden else v

        for measure in ("mean_hourly_gap", "median_hourly_gap", "mean_bonus_gap", "median_bonus_gap"):
            out.append({**base, "indicator": f"paygap.{by}.{measure}", "breakdown": comparison,
                        "group": r.get("comparison_group"), "value": mark(r.get(measure))})
        for group, pct in (r.get("bonus_percent") or {}).items():
            out.append({**base, "indicator": f"paygap.{by}.bonus_percent", "breakdown": comparison, "group": group,
                        "percent": mark(pct)})
        for q in r.get("quarters") or []:
            for group in (r.get("reference_group"), r.get("comparison_group")):
                out.append({**base, "indicator": f"paygap.{by}.quarters", "breakdown": f"quarter={q['quarter']};{comparison}",
                            "group": group, "numerator": mark((q.get("counts") or {}).get(group)),
                            "denominator": mark(q.get("size")), "percent": mark((q.get("percent") or {}).get(group))})
    for band in pg.get("within_band") or []:
        for side in ("reference", "comparison"):
            out.append({**base, "indicator": f"paygap.{by}.within_band", "breakdown": f"band={band.get('pay_band')}",
                        "group": band.get(side), "numerator": shown(band.get(f"n_{side}")),
                        "value": shown(band.get("mean_gap"))})
    return [{c: row.get(c) for c in COLUMNS} for row in out]
