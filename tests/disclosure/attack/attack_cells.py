"""Cells: every number of a result dict under a name that does not depend on list order.

A result dict (docs/results-json.md, a pay gap report dict, protected or not) is walked leaf by
leaf; list items are named by what identifies them (an indicator's ``id``, a breakdown's
``breakdown``, a row's band, a quarter, a pay band), so the raw and the protected copy of the same
figure get the same name even if a renderer reorders or drops items. Only the structure the public
JSON already has is assumed: a new field is simply one more number.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

#: integer fields that are not counts of people
NOT_COUNTS = {"year", "survey_year", "resamples", "seed", "k", "survey_min_responses", "import_id",
              "cells_suppressed", "complementary"}
#: parts of a result that are settings or the disclosure bookkeeping, not figures about people
SKIP = {"settings", "disclosure", "suppressed", "rule", "unrounded"}

Path = tuple[str, ...]


def label(item: Any, index: int) -> str:
    """What names a list item: its id, breakdown, band (and clinical), quarter, group or position."""
    if isinstance(item, dict):
        for key in ("id", "breakdown", "quarter", "pay_band"):
            if item.get(key) is not None:
                return str(item[key])
        if "band" in item:
            return f"{item['band']}|{item.get('clinical')}"
        if "comparison_group" in item:
            return f"{item.get('attribute')}:{item['comparison_group']}"
        if "year" in item:
            return f"year {item['year']}"
    return f"#{index}"


def leaves(obj: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """(path, value) for every scalar under `obj`, skipping settings and disclosure bookkeeping."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in SKIP:
                continue
            yield from leaves(value, (*path, str(key)))
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from leaves(item, (*path, label(item, i)))
    else:
        yield path, obj


def number(value: Any) -> float | None:
    """A published number, or None for withheld / text / booleans."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
    return None


def is_count(path: Path, value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and path[-1] not in NOT_COUNTS


def numbers(obj: Any) -> dict[Path, float]:
    """Every published number of `obj` by path (withheld fields are absent)."""
    out = {}
    for path, value in leaves(obj):
        n = number(value)
        if n is not None:
            out[path] = n
    return out


def counts(obj: Any) -> dict[Path, int]:
    """Every count (integer field) of `obj` by path."""
    return {path: int(value) for path, value in leaves(obj) if is_count(path, value)}


def decimals(value: float) -> int:
    """Decimal places a published float was given with (a full-precision float counts as exact)."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        return 12
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def half_step(value: float) -> float:
    """Half a unit in the last place shown: the rounding error a reader must allow for."""
    d = decimals(value)
    return 1e-9 * max(1.0, abs(value)) if d >= 9 else 0.5 * 10.0 ** -d
