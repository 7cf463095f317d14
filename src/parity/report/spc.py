"""The report's "Change over time": each main measure's Making Data Count verdict, per group and for
the ratio between groups, in words only (`parity.spc.published`: no monthly value reaches a report).

Read from the workspace's monthly tables for one organisation; a report built from something other
than a workspace directory, or for all organisations together, has no such section. With ``cache``
(a dict shared by the reports of every organisation, `parity report --all-orgs`), every
organisation's section is computed in one pass — one grouped count per measure over all
organisations (`parity.spc.spc_every_org`) — and each report reads its own; the words are those of a
report for that organisation alone (issue 19).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def change_over_time(source, org: str | None, cache: dict | None = None) -> list[dict[str, Any]] | None:
    source = getattr(source, "path", source)
    if not org or not isinstance(source, str | Path) or not (Path(source) / "parity.duckdb").exists():
        return None
    from parity.spc import spc  # only now: it loads Ibis and the explorer (issue 19)
    if cache is not None:
        if "rows" not in cache:
            cache["rows"] = every_org(source)
        return list(cache["rows"].get(org, []))
    rows = []
    for measure, by in _series():
        try:
            result = spc(source, org=org, measure=measure, by=by, period="month")
        except ValueError:  # the measure's table is not imported
            continue
        rows += _rows(result)
    return rows


def every_org(source) -> dict[str, list[dict[str, Any]]]:
    """{org: its "Change over time" rows} for every organisation with a charted measure."""
    from parity.spc import spc_every_org
    from parity.spc.series import connect

    src = connect(source, org=None)  # the staff in post built once for every measure
    out: dict[str, list[dict[str, Any]]] = {}
    try:
        for measure, by in _series():
            for org, result in spc_every_org(source, measure=measure, by=by, period="month", src=src).items():
                if not isinstance(result, ValueError):  # that organisation's table is empty: no rows
                    out.setdefault(org, []).extend(_rows(result))
    finally:
        src.release()
    return out


def _series():
    from parity.spc.published import REPORT_SERIES

    return REPORT_SERIES


def _rows(result) -> list[dict[str, Any]]:
    from parity.spc.published import in_words, published

    rows = []
    for s in result.series:
        p = published(s.to_dict())
        rows.append({"measure": result.measure.label, "group": p["group"], "variation": p["variation"],
                     "charted": p["chart"] is not None, "words": in_words(p)})
    return rows
