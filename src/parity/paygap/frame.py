"""A pay gap report as one tidy DataFrame, for analysts (pandas, not for publication).

One row per comparison × measure × group (and × quarter for the pay quarters). Values are the
published one-decimal figures; ``value_unrounded`` carries the unrounded gap where the result has
one. The bootstrap interval belongs to the binary comparison it was computed for (men vs women,
White vs all ethnic minority, non-disabled vs Disabled) and is blank on the other rows.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from parity.paygap.groups import BINARY

#: measure → (result attribute, key of the unrounded value, bootstrap interval)
GAP_MEASURES = {
    "mean_hourly_gap": ("mean_hourly_gap", "mean_hourly_gap", "mean"),
    "median_hourly_gap": ("median_hourly_gap", "median_hourly_gap", "median"),
    "mean_bonus_gap": ("mean_bonus_gap", "mean_bonus_gap", None),
    "median_bonus_gap": ("median_bonus_gap", "median_bonus_gap", None),
}
COLUMNS = ["standard", "by", "year", "organisation", "snapshot_date", "reference_group", "comparison_group",
           "measure", "quarter", "group", "numerator", "denominator", "value", "value_unrounded",
           "ci_low", "ci_high", "withheld"]


def paygap_frame(report: Any) -> pd.DataFrame:
    """Tidy rows of a `PayGapReport`; numeric columns are float (blank = NaN), counts nullable Int64."""
    _, ref_binary, cmp_binary = BINARY[report.by]
    records: list[dict[str, Any]] = []
    for result in report.results:
        head = {"standard": "PAYGAP", "by": report.by, "year": report.year, "organisation": report.organisation,
                "snapshot_date": report.snapshot_date, "reference_group": result.reference_group,
                "comparison_group": result.comparison_group, "withheld": bool(result.withheld)}
        binary = (result.reference_group, result.comparison_group) == (ref_binary, cmp_binary)
        for measure, (attr, unrounded_key, interval) in GAP_MEASURES.items():
            ci = report.intervals.get(interval, {}) if (interval and binary) else {}
            records.append({**head, "measure": measure, "group": result.comparison_group,
                            "value": getattr(result, attr), "value_unrounded": result.unrounded.get(unrounded_key),
                            "ci_low": ci.get("ci_low"), "ci_high": ci.get("ci_high")})
        for group, percent in result.bonus_percent.items():
            counts = result.counts.get(group, {})
            records.append({**head, "measure": "bonus_percent", "group": group, "value": percent,
                            "numerator": counts.get("bonus_recipients"), "denominator": counts.get("relevant")})
        for quarter in result.quarters:
            for group, percent in quarter["percent"].items():
                records.append({**head, "measure": "quarter_percent", "quarter": quarter["quarter"], "group": group,
                                "value": percent, "numerator": quarter["counts"].get(group),
                                "denominator": quarter["size"]})
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    for col in ("value", "value_unrounded", "ci_low", "ci_high"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    for col in ("numerator", "denominator", "year"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    return frame
