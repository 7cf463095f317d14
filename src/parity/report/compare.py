"""The board report's "How we compare" (issue 18): the organisation against the national figure and
the other organisations, for each indicator comparing two groups, from protected figures only.

The figures are the report's own protected release of every organisation (`build_report` protects
all organisations, the all-organisations level and the trend years together), or the workspace's
`benchmarks` table when it holds the year (published or `parity benchmark build` figures). An
unsuppressed report has no section (comparisons use protected figures only); nor does a report for
all organisations together, or for the only organisation of a workspace without a benchmarks table.
Funnel plots are drawn for the relative likelihoods; every comparison has its sentence.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

#: drawn as funnel plots (each takes a second or two to draw); the others are sentences only
CHARTED = ("relative_likelihood",)


def frames(source, protected: dict, orgs: list[str], defn, year: int) -> tuple[pd.DataFrame, str]:
    """Every organisation's protected figures for one indicator: the benchmarks table, else the release."""
    from parity.benchmark import figures
    from parity.indicators.source import open_source

    con, _ = open_source(source)
    frame = figures.from_table(con, year=year, indicator=defn.id)
    if not frame.empty:
        return frame, "the benchmarks table (published or protected figures)"
    rows = [figures.indicator_row(o, year, defn, ind) for o in orgs
            for ind in (protected.get(((o,), year)) or {}).get("indicators", []) if ind["id"] == defn.id]
    return figures.frame_of(rows, "protected"), "the protected figures of every organisation in the workspace"


def how_we_compare(source, releases: dict[str, tuple[dict, list[str]]], *, org: str | None, year: int,
                   unsuppressed: bool, cache: dict | None = None) -> list[dict[str, Any]] | None:
    """[{indicator, title, sentence, position, rank, organisations, chart}] or None (no section).

    ``cache``: a dict shared by the reports of every organisation (`parity report --all-orgs`, the same
    source, year and releases): each indicator's figures are read and scored once, not once per report
    (issue 19); only the sentence and the funnel plot, which name the organisation, are its own."""
    if unsuppressed or org is None:
        return None
    from parity.benchmark.chart import funnel_chart, sentence
    from parity.benchmark.figures import COMPARABLE_KINDS
    from parity.indicators.catalogue import CATALOGUE

    out = []
    for name, (protected, orgs) in releases.items():
        doc = protected.get(((org,), year)) or protected.get(((), year)) or {}
        for ind in doc.get("indicators", []):
            defn = CATALOGUE.get(ind["id"])
            if defn is None or defn.kind not in COMPARABLE_KINDS or not defn.group_b:
                continue
            key = (name, defn.id, year)
            scored = cache.get(key) if cache is not None else None
            if scored is None:
                scored = _scored(source, protected, orgs, defn, year)
                if cache is not None:
                    cache[key] = scored
            d, members, origin = scored
            if d is None or org not in members:
                continue
            mine = next(r for r in d["organisations"] if r["org"] == org)
            chart = None
            if defn.kind in CHARTED and mine["value"] is not None:
                chart = funnel_chart(f"{defn.id.replace('.', '-')}-compare", d, highlight=org)
            out.append({"indicator": defn.id, "title": defn.title, "sentence": sentence(d, org),
                        "position": mine.get("position"), "rank": mine.get("rank"),
                        "organisations": len(d["organisations"]), "source": origin, "chart": chart})
    return out or None


def _scored(source, protected: dict, orgs: list[str], defn, year: int) -> tuple[dict | None, set[str], str]:
    """(every organisation's funnel positions and ranks, or None when there is no comparison; the
    organisations in the figures; where the figures come from)."""
    from parity.benchmark.compare import score

    frame, origin = frames(source, protected, orgs, defn, year)
    if frame["org_code"].nunique() < 2:
        return None, set(), origin
    try:
        return score(frame, defn, year=year), set(frame["org_code"]), origin
    except ValueError:
        return None, set(), origin
