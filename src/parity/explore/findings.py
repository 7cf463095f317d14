"""Findings: tested cells as ranked, self-describing records with a plain-English narrative.

Order: significant after false discovery rate control first — groups worse off than their reference
(RL > 1) before groups better off (RL < 1), each by size of the disparity (|ln RL|) — then the
rest by adjusted p-value. Every finding carries its counts (disclosure control is applied later, by the report layer).
"""

from __future__ import annotations

import pandas as pd

from parity.explore.compare import IS_REFERENCE, Settings
from parity.explore.phrases import describe, describe_reference, fmt_p, fmt_ratio, reference_values
from parity.stats._result import json_safe

#: reasons a cell was not tested, in words
REASONS = {
    "unknown": "an attribute is unknown: unknowns are counted but never compared (WRES/WDES guidance)",
    "no_reference": "its reference group has nobody in it",
    "too_small": "fewer than {min_cell} people in the group or its reference",
    "few_expected": "fewer than {min_expected:g} event(s) expected in the group or its reference",
}


def values_of(row) -> dict[str, str]:
    return {a: str(row[a]) for a in row["attributes"].split("+")}


def fy(year: int) -> str:
    return f"{int(year) - 1}/{str(int(year))[2:]}"


def _context(row, context: list[str]) -> dict:
    return {c: json_safe(row[c]) for c in context if c in row and not pd.isna(row[c])}


def _where(ctx: dict) -> str:
    parts = []
    if "year" in ctx:
        parts.append(f"In {fy(ctx['year'])}")
    if ctx.get("start_band") not in (None, "All"):
        parts.append(f"among staff starting the year in band {ctx['start_band']}")
    if "step" in ctx:
        parts.append(f"at the step {ctx['step']}")
    return (", ".join(parts) + ", ") if parts else ""


def narrative(row, settings: Settings, comparisons: int, ctx: dict) -> str:
    values = values_of(row)
    group = describe(values, row["noun"])
    ref = describe_reference(values, settings.reference, row["noun"])
    first, second = (group, ref) if row["adverse"] else (ref, group)
    a, na, b, nb = ((row["events"], row["n"], row["ref_events"], row["ref_n"]) if row["adverse"]
                    else (row["ref_events"], row["ref_n"], row["events"], row["n"]))
    level = round(settings.confidence * 100)
    tally = f"{a:,} of {na:,} vs {b:,} of {nb:,}"
    if pd.isna(row["rl"]):
        body = (f"the relative likelihood of {first} compared with {second} to {row['label']} is undefined "
                f"({row['undefined_reason']}; {tally}; continuity-corrected {level}% CI "
                f"{fmt_ratio(row['ci_low'])}–{fmt_ratio(row['ci_high'])})")
    else:
        body = (f"{first} were {fmt_ratio(row['rl'])} times as likely as {second} to {row['label']} "
                f"({level}% CI {fmt_ratio(row['ci_low'])}–{fmt_ratio(row['ci_high'])}; {tally})")
    text = _where(ctx) + body
    text = text[0].upper() + text[1:]
    verdict = "significant" if row["significant"] else "not significant"
    return (f"{text}, FDR-adjusted p {fmt_p(row['p_adjusted'])}: {verdict} with the false discovery rate "
            f"controlled at {settings.fdr:.0%} across {comparisons:,} comparisons.")


def finding(row, settings: Settings, comparisons: int, context: list[str]) -> dict:
    values = values_of(row)
    ctx = _context(row, context)
    ref = "rest" if settings.rest else reference_values(values, settings.reference)
    return json_safe({
        "outcome": row["outcome"],
        "group": values,
        "reference_group": ref,
        "context": ctx,
        "group_label": describe(values, row["noun"]),
        "reference_label": describe_reference(values, settings.reference, row["noun"]),
        "counts": {"events": row["events"], "n": row["n"], "reference_events": row["ref_events"],
                   "reference_n": row["ref_n"]},
        "rate": row["rate"], "reference_rate": row["ref_rate"],
        "relative_likelihood": row["rl"], "ci_low": row["ci_low"], "ci_high": row["ci_high"],
        "confidence": settings.confidence,
        "p_value": row["p_value"], "p_adjusted": row["p_adjusted"], "test": row["test"],
        "significant": bool(row["significant"]), "orientation": row["orientation"],
        "narrative": narrative(row, settings, comparisons, ctx),
    })


def in_label_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by their labels: engines return groups in any order, so ties must not depend on it."""
    labels = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c]) or frame[c].dtype == object]
    return frame.sort_values(labels, kind="stable", na_position="last") if labels else frame


def rank(frame: pd.DataFrame) -> pd.DataFrame:
    tested = in_label_order(frame[frame["tested"]])
    sig = tested["significant"].astype(bool)
    centre = tested["rl"].fillna(tested["ci_low"] * tested["ci_high"])  # geometric centre when undefined
    order = tested.assign(_tier=(~sig).astype(int) * 2 + (sig & (centre < 1)).astype(int),
                          _size=tested["size"].where(sig, 0.0), _p=tested["p_adjusted"].fillna(1.0))
    return order.sort_values(["_tier", "_size", "_p"], ascending=[True, False, True], kind="stable").drop(
        columns=["_tier", "_size", "_p"])


def findings(frame: pd.DataFrame, settings: Settings, comparisons: int, context: list[str]) -> list[dict]:
    if frame.empty:
        return []
    return [finding(row, settings, comparisons, context) for _, row in rank(frame).iterrows()]


def not_tested(frame: pd.DataFrame, settings: Settings, context: list[str]) -> list[dict]:
    if frame.empty:
        return []
    rows = in_label_order(frame[~frame["tested"] & (frame["reason"] != IS_REFERENCE)])
    return [json_safe({"outcome": row["outcome"], "group": values_of(row), "context": _context(row, context),
                       "n": row["n"], "events": row["events"], "reference_n": row["ref_n"],
                       "reference_events": row["ref_events"], "reason": row["reason"],
                       "explanation": REASONS[row["reason"]].format(min_cell=settings.min_cell,
                                                                    min_expected=settings.min_expected)})
            for _, row in rows.iterrows()]
