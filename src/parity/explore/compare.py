"""Cells against their reference: counts in, relative likelihoods, intervals and p-values out.

A *cell* is one combination of attribute values (e.g. ethnicity = Black, sex = female) within its
*strata* (the year; for progression the starting band). Its reference is, with a dict reference,
the cell with every reference attribute in the combination set to its reference value and every
other attribute equal ("Black women in bands 5-6" vs "White men in bands 5-6" under the default
White / men reference; vs "White women in bands 5-6" with ``reference={"ethnicity": "White"}``);
with ``reference="rest"`` everyone else in the same strata. Ratios are oriented so that above 1
means the cell is worse off. The counting happened in Ibis; this module only sees small frames.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from parity.explore.attributes import DEFAULT_REFERENCE, EXCLUSIVE, UNKNOWN, attribute
from parity.stats import benjamini_hochberg
from parity.stats.many import relative_likelihoods

ADVERSE = "cell rate ÷ reference rate (adverse outcome): above 1 means the group is worse off"
FAVOURABLE = "reference rate ÷ cell rate (favourable outcome): above 1 means the group is worse off"
REST = "rest"
BAD_REFERENCE = "reference must be None, 'rest' or a dict of attribute → value, got {value!r}"

#: why a cell was not tested (the reference cell itself is not a comparison and is not listed)
IS_REFERENCE, UNKNOWN_VALUE, NO_REFERENCE, TOO_SMALL, FEW_EXPECTED = (
    "reference", "unknown", "no_reference", "too_small", "few_expected")


@dataclass(frozen=True)
class Settings:
    """How cells are compared; every field is echoed in the output's ``settings``."""

    reference: dict[str, str] | str = field(default_factory=lambda: dict(DEFAULT_REFERENCE))
    fdr: float = 0.05
    #: a cell and its reference each need at least this many people ...
    min_cell: int = 30
    #: ... and at least this many events expected under the pooled rate (else no test has power)
    min_expected: float = 1.0
    confidence: float = 0.95

    @classmethod
    def make(cls, reference=None, **kwargs) -> Settings:
        if reference is None:
            reference = dict(DEFAULT_REFERENCE)
        elif isinstance(reference, dict):
            for name in reference:
                attribute(name)  # fails clearly on a misspelt attribute
            reference = {k: str(v) for k, v in reference.items()}
        elif reference != REST:
            raise ValueError(BAD_REFERENCE.format(value=reference))
        return cls(reference=reference, **kwargs)

    @property
    def rest(self) -> bool:
        return self.reference == REST

    def to_dict(self) -> dict:
        return {"reference": self.reference, "fdr": self.fdr, "min_cell": self.min_cell,
                "min_expected": self.min_expected, "confidence": self.confidence}


def combos(by: tuple[str, ...] | list[str], settings: Settings, max_size: int = 3) -> list[tuple[str, ...]]:
    """Every combination of 1 to 3 of `by`, never two exclusive attributes (ethnicity and its WRES
    grouping); with a dict reference only those holding at least one reference attribute."""
    by = tuple(dict.fromkeys(by))
    for name in by:
        attribute(name)
    out = []
    for size in range(1, min(max_size, len(by)) + 1):
        for combo in combinations(by, size):
            if any(len(set(combo) & pair) > 1 for pair in EXCLUSIVE):
                continue
            if not settings.rest and not set(combo) & set(settings.reference):
                continue
            out.append(combo)
    return out


def _with_reference(cells: pd.DataFrame, attrs: list[str], strata: list[str], settings: Settings) -> pd.DataFrame:
    out = cells.copy()
    if settings.rest:
        totals = out.groupby(strata, dropna=False)[["n", "events"]].transform("sum")
        out["ref_n"], out["ref_events"] = totals["n"] - out["n"], totals["events"] - out["events"]
        out["is_reference"] = False
        return out
    eq = [a for a in attrs if a in settings.reference]
    keys = strata + attrs
    ref = out[keys + ["n", "events"]].rename(columns={"n": "ref_n", "events": "ref_events"})
    ref = ref[np.logical_and.reduce([ref[a] == settings.reference[a] for a in eq])].drop(columns=eq)
    out = out.merge(ref, on=[k for k in keys if k not in eq], how="left")
    out["is_reference"] = np.logical_and.reduce([out[a] == settings.reference[a] for a in eq])
    return out


def compare(cells: pd.DataFrame, attrs: list[str], *, strata: list[str], adverse: bool | np.ndarray,
            settings: Settings) -> pd.DataFrame:
    """Each cell of `cells` (columns strata + attrs + ``n, events``) with its reference's counts,
    rates, the relative likelihood and its interval and p-value, or the reason it was not tested.
    ``adverse``: one flag for every cell, or one per row of `cells` (several outcomes at once)."""
    out = _with_reference(cells, attrs, strata, settings)
    out["ref_n"] = out["ref_n"].fillna(0).astype("int64")
    out["ref_events"] = out["ref_events"].fillna(0).astype("int64")
    out["rate"] = out["events"] / out["n"].where(out["n"] > 0)
    out["ref_rate"] = out["ref_events"] / out["ref_n"].where(out["ref_n"] > 0)
    pooled = (out["events"] + out["ref_events"]) / (out["n"] + out["ref_n"]).where(lambda s: s > 0)
    expected = np.minimum(out["n"], out["ref_n"]) * pooled.fillna(0)
    unknown = np.logical_or.reduce([out[a] == UNKNOWN for a in attrs])
    out["reason"] = np.select(
        [out["is_reference"], unknown, out["ref_n"] == 0,
         (out["n"] < settings.min_cell) | (out["ref_n"] < settings.min_cell), expected < settings.min_expected],
        [IS_REFERENCE, UNKNOWN_VALUE, NO_REFERENCE, TOO_SMALL, FEW_EXPECTED], default="")
    out["tested"] = out["reason"] == ""
    out = pd.concat([out, _stats(out, adverse, settings.confidence)], axis=1)
    if isinstance(adverse, np.ndarray):
        out["orientation"] = np.where(adverse, ADVERSE, FAVOURABLE).tolist()  # str dtype, as a scalar gives
    else:
        out["orientation"] = ADVERSE if adverse else FAVOURABLE
    out["adverse"] = adverse
    return out.drop(columns="is_reference")


def _stats(out: pd.DataFrame, adverse: bool | np.ndarray, confidence: float) -> pd.DataFrame:
    """RL, interval, p-value and test of every tested cell in one array pass (NaN / None elsewhere)."""
    tested = out[out["tested"]]
    bad = np.broadcast_to(np.asarray(adverse, dtype=bool), (len(out),))[out["tested"].to_numpy()]
    cell = (tested["events"].to_numpy(), tested["n"].to_numpy())
    ref = (tested["ref_events"].to_numpy(), tested["ref_n"].to_numpy())
    # oriented so that above 1 means the cell is worse off: the cell first for an adverse outcome
    a = [np.where(bad, c, r) for c, r in zip(cell, ref, strict=True)]
    b = [np.where(bad, r, c) for c, r in zip(cell, ref, strict=True)]
    stats = relative_likelihoods(*a, *b, confidence=confidence).set_axis(tested.index)
    stats = stats.drop(columns="continuity_correction").rename(columns={"value": "rl"})
    stats = stats.reindex(out.index)
    for col in ("test", "undefined_reason"):  # None (not NaN) where untested, as the JSON output expects
        stats[col] = pd.Series([v if isinstance(v, str) else None for v in stats[col]], index=out.index, dtype=object)
    return stats


def adjust(frame: pd.DataFrame, fdr: float) -> pd.DataFrame:
    """Benjamini-Hochberg over every tested row of `frame` (all outcomes and combinations together)."""
    out = frame.copy()
    p = out["p_value"].where(out["tested"]).astype("float64")
    adjusted, rejected = benjamini_hochberg(p.tolist(), alpha=fdr)
    out["p_adjusted"] = adjusted
    out["significant"] = rejected
    out["size"] = [_size(r) for r in out[["rl", "ci_low", "ci_high"]].itertuples(index=False)]
    return out


def comparisons(frame: pd.DataFrame) -> int:
    """How many tests entered the false discovery rate control."""
    return int((frame["tested"] & frame["p_value"].notna()).sum()) if not frame.empty else 0


def _size(r) -> float:
    """|ln RL|; for an undefined ratio the centre of its (continuity-corrected) log interval."""
    if r.rl is not None and not pd.isna(r.rl) and r.rl > 0:
        return abs(math.log(r.rl))
    if r.ci_low is not None and not pd.isna(r.ci_low) and r.ci_low > 0:
        return abs((math.log(r.ci_low) + math.log(r.ci_high)) / 2)
    return 0.0
