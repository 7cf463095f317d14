"""`parity report --national`: a national (or regional) summary of every organisation (issue 18) —
a funnel plot per indicator with the outliers by name, a region table and the distribution of
organisations' values over the years, from protected figures only.

Figures: the workspace's `benchmarks` table for the years it holds (published figures, or those
`parity benchmark build` stores), otherwise each standard's release of every organisation protected
together over the trend years, exactly as `parity report` publishes them
(`parity.report.release.protected_release`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parity.report.build import TREND_YEARS

POSITION_KEYS = ("above_998", "above_95", "below_95", "below_998")


def _frame(con, releases, defn, year: int) -> tuple[pd.DataFrame, str]:
    from parity.benchmark import figures

    frame = figures.from_table(con, year=year, indicator=defn.id)
    if not frame.empty:
        return frame, "benchmarks table"
    protected, orgs = releases.get(defn.standard, ({}, []))
    rows = [figures.indicator_row(o, year, defn, ind) for o in orgs
            for ind in (protected.get(((o,), year)) or {}).get("indicators", []) if ind["id"] == defn.id]
    return figures.frame_of(rows, "protected"), "protected release"


def region_table(d: dict, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Per region: organisations, median value and how many lie outside each limit."""
    region = dict(zip(frame["org_code"], frame["region"], strict=True))
    rows: dict[str, dict] = {}
    for r in d["organisations"]:
        name = region.get(r["org"]) or "Not known"
        row = rows.setdefault(name, {"region": name, "organisations": 0, "values": [],
                                     **{k: 0 for k in POSITION_KEYS}})
        row["organisations"] += 1
        if r["value"] is not None:
            row["values"].append(r["value"])
        if r.get("position") in POSITION_KEYS:
            row[r["position"]] += 1
    out = []
    for row in sorted(rows.values(), key=lambda x: x["region"]):
        values = row.pop("values")
        out.append({**row, "median": float(np.median(values)) if values else None})
    return out


ROW_KEYS = ("org", "org_name", "region", "value", "denominator", "position", "rank", "origin")


def organisation_rows(d: dict) -> list[dict[str, Any]]:
    """Each organisation's protected value, size, funnel position and rank (the workbook's sheets)."""
    return [{k: r.get(k) for k in ROW_KEYS} for r in d["organisations"]]


def national_summary(source, *, year: int, rule=None, charts: bool = True, progress=None,
                     release_cache: dict | None = None) -> dict[str, Any]:
    """Every comparable indicator: comparison, outliers, regions, distribution over time, chart.
    ``release_cache``: `parity report --all-orgs`'s protected releases, reused (`benchmark.releases`)."""
    from parity.benchmark.chart import funnel_chart, sentence
    from parity.benchmark.compare import describe, score
    from parity.benchmark.figures import COMPARABLE_KINDS, table_years
    from parity.benchmark.releases import protected_releases
    from parity.disclosure import DisclosureRule
    from parity.indicators.catalogue import CATALOGUE, indicators
    from parity.indicators.source import open_source

    indicators("WRES")
    rule = rule or DisclosureRule()
    con, _ = open_source(source)
    releases = {name: (docs, orgs) for name, (docs, orgs) in
                protected_releases(source, year=year, rule=rule, progress=progress, cache=release_cache).items()
                if len(orgs) > 1}
    years = sorted(set(table_years(con)) | {y for p, _ in releases.values() for (_u, y) in p}) or [year]
    years = [y for y in years if year - TREND_YEARS < y <= year]
    out: list[dict[str, Any]] = []
    for defn in CATALOGUE.values():
        if defn.kind not in COMPARABLE_KINDS or not defn.group_b:
            continue
        frame, origin = _frame(con, releases, defn, year)
        if frame["org_code"].nunique() < 2:
            continue
        if progress:
            progress(f"Comparing {defn.id}: {frame['org_code'].nunique()} organisations")
        d = score(frame, defn, year=year)
        outliers = {k: d["outliers"][k] for k in POSITION_KEYS}
        over_time = []
        for y in years:
            f, _ = _frame(con, releases, defn, y)
            values = pd.to_numeric(f["value"], errors="coerce").dropna().to_numpy()
            if len(values):
                over_time.append({"year": y, "organisations": len(values), "median": float(np.median(values)),
                                  "q1": float(np.percentile(values, 25)), "q3": float(np.percentile(values, 75))})
        named = {o for v in outliers.values() for o in v}
        chart = funnel_chart(f"{defn.id.replace('.', '-')}-national", d, named=named) if charts else None
        out.append({"indicator": defn.id, "title": defn.title, "kind": defn.kind, "source": origin,
                    "origins": d["origins"], "figures": describe(d["origins"]),
                    "national": d["national"]["value"], "better": d["better"],
                    "organisations": len(d["organisations"]), "outliers": outliers,
                    "overdispersion": {k: d["overdispersion"].get(k) for k in ("phi", "p_value", "overdispersed")},
                    "regions": region_table(d, frame), "over_time": over_time, "sentence": sentence(d, None),
                    "rows": organisation_rows(d),
                    "chart": chart})
    if not out:
        raise ValueError(f"Nothing to compare for {year}: the workspace needs two or more organisations "
                         "(or a benchmarks table holding the year)")
    return {"year": year, "indicators": out, "k": rule.k}


#: what `parity report --national` writes unless --formats says otherwise; `--all-orgs` writes the first two
FORMATS = ("html", "json", "pdf", "xlsx")


def render_national(summary: dict[str, Any], *, stylesheets: tuple[str, ...] = (), chart_images: bool = False) -> str:
    """The summary's HTML: styles inlined (or, for the PDF, linked) and charts as inline SVG (or images)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    from parity.report.html import asset

    css = asset("national.css")
    if "</" in css:  # inlined unescaped: keep it inert
        raise ValueError("stylesheet text must not contain '</'")
    env = Environment(loader=PackageLoader("parity.report", "templates"), autoescape=select_autoescape(["j2"]))
    return env.get_template("national.html.j2").render(s=summary, css=css, stylesheets=stylesheets,
                                                       chart_images=chart_images)


def write_national(source, *, year: int, out: Path, rule=None,
                   formats: tuple[str, ...] | list[str] = ("html", "json"), progress=None,
                   release_cache: dict | None = None) -> dict[str, Path]:
    """national-YEAR.html (funnel plots, tables), .json (the same without charts), .pdf (tagged, A4)
    and .xlsx (one sheet per indicator), as `formats` asks."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"--national writes {', '.join(FORMATS)}; not {', '.join(unknown)}")
    tick = progress or (lambda _message: None)
    summary = national_summary(source, year=year, rule=rule, charts=bool({"html", "pdf"} & set(formats)),
                               progress=progress, release_cache=release_cache)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {f: out / f"national-{year}.{f}" for f in FORMATS if f in formats}
    if "html" in paths:
        paths["html"].write_text(render_national(summary), encoding="utf-8")
    if "json" in paths:
        plain = {**summary, "indicators": [{k: v for k, v in i.items() if k != "chart"}
                                           for i in summary["indicators"]]}
        paths["json"].write_text(json.dumps(plain, indent=2, default=float), encoding="utf-8")
    if "pdf" in paths:
        tick("Writing the PDF")
        from parity.report.national_pdf import write_national_pdf

        write_national_pdf(summary, paths["pdf"])
    if "xlsx" in paths:
        tick("Writing the workbook")
        from parity.report.national_excel import write_national_excel

        write_national_excel(summary, paths["xlsx"])
    return paths


def run_national(workspace, *, year: int, out: Path, k: int = 10, org: str | None = None,
                 unsuppressed: bool = False, formats: tuple[str, ...] | list[str] | None = None) -> dict[str, Path]:
    """The CLI's `parity report --national` (protected only: no --org, no --unsuppressed)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from parity.commands.common import console
    from parity.disclosure import DisclosureRule

    if org or unsuppressed:
        raise ValueError("--national summarises every organisation from protected figures: drop --org and "
                         "--unsuppressed")
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  transient=True) as bar:
        task = bar.add_task("Starting")
        paths = write_national(workspace, year=year, out=out, rule=DisclosureRule(k=k), formats=formats or FORMATS,
                               progress=lambda message: bar.update(task, description=message))
    for name, path in paths.items():
        console.print(f"  {name}: {Path(path).resolve()}")
    return paths
