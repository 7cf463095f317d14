"""The report's "Change over time": each main measure's Making Data Count verdict, per group and for
the ratio between groups, in words only (`parity.spc.published`: no monthly value reaches a report).

Read from the workspace's monthly tables for one organisation; a report built from something other
than a workspace directory, or for all organisations together, has no such section.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def change_over_time(source, org: str | None) -> list[dict[str, Any]] | None:
    from parity.spc import spc
    from parity.spc.published import REPORT_SERIES, in_words, published

    source = getattr(source, "path", source)
    if not org or not isinstance(source, str | Path) or not (Path(source) / "parity.duckdb").exists():
        return None
    rows = []
    for measure, by in REPORT_SERIES:
        try:
            result = spc(source, org=org, measure=measure, by=by, period="month")
        except ValueError:  # the measure's table is not imported
            continue
        for s in result.series:
            p = published(s.to_dict())
            rows.append({"measure": result.measure.label, "group": p["group"], "variation": p["variation"],
                         "charted": p["chart"] is not None, "words": in_words(p)})
    return rows
