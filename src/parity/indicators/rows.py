"""A handful of aggregate rows as plain Python lists, and each organisation-year's rows of a count
frame split out once (issue 19).

Results for every organisation and year are assembled from the same few count frames. Filtering,
grouping and summing a pandas frame per indicator per organisation-year cost far more than the
statistics (about 100 µs a call, some thousands of calls per standard nationally), so each frame
is split by one vectorised ``groupby(...).indices`` and the assembly sums plain lists.
"""

from __future__ import annotations

import math
import sys
import weakref
from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported by whoever made a DataFrame, never here (issue 19: the cached path)
    import pandas as pd


class Rows:
    """Columns of a few rows as lists: ``rows["group"]`` is a list, ``rows.empty`` and ``len(rows)``
    as for a DataFrame."""

    __slots__ = ("columns", "_n", "__weakref__")

    def __init__(self, columns: dict[str, list]):
        self.columns = columns
        self._n = len(next(iter(columns.values()))) if columns else 0

    def __len__(self) -> int:
        return self._n

    @property
    def empty(self) -> bool:
        return self._n == 0

    def __getitem__(self, name: str) -> list:
        return self.columns[name]

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    def get(self, name: str, default: list | None = None) -> list | None:
        return self.columns.get(name, default)


def as_rows(frame: pd.DataFrame | Rows) -> Rows:
    """`frame` as `Rows` (a DataFrame's columns as lists; `Rows` unchanged)."""
    if isinstance(frame, Rows):
        return frame
    if frame.empty:  # often: a table not imported (no column to read)
        return Rows({str(c): [] for c in frame.columns})
    return Rows({str(c): frame[c].tolist() for c in frame.columns})


def missing(value: object) -> bool:
    """None, pandas' NA or NaN: what ``groupby`` leaves out of its keys."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    pd = sys.modules.get("pandas")  # no pandas loaded: no value can be its NA
    return pd is not None and value is pd.NA


def sums(rows: Rows, column: str, key: str = "group") -> dict:
    """Sum of whole-number `column` per `key` value, in order of first appearance (keys that are
    missing are left out, as pandas' ``groupby`` does)."""
    out: dict = {}
    if rows.empty or column not in rows:
        return out
    for k, v in zip(rows[key], rows[column], strict=True):
        if not missing(k):
            out[k] = out.get(k, 0) + int(v)
    return out


class Splitter:
    """One frame's rows by a key (``keys`` columns; the first may be left out, meaning "all of
    them"), each key's `Rows` made on first use."""

    def __init__(self, frame: pd.DataFrame | Rows, keys: tuple[str, ...], normalise):
        if isinstance(frame, Rows):  # plain lists (the compiled-SQL cache): the same split in Python
            self._arrays = frame.columns
            self._positions = _positions(frame, keys, normalise)
        else:
            self._arrays = {str(c): frame[c].to_numpy() for c in frame.columns}
            self._positions = {normalise(k if isinstance(k, tuple) else (k,)): pos
                               for k, pos in frame.groupby(list(keys), sort=False).indices.items()}
        self._made: dict[Hashable, Rows] = {}
        self._empty = Rows({c: [] for c in self._arrays})

    def get(self, key: Hashable) -> Rows:
        rows = self._made.get(key)
        if rows is None:
            pos = self._positions.get(key)
            rows = self._empty if pos is None else Rows({c: _take(a, pos) for c, a in self._arrays.items()})
            self._made[key] = rows
        return rows


def _positions(rows: Rows, keys: tuple[str, ...], normalise) -> dict:
    """Row positions per key, in row order; keys with a missing part left out (as ``groupby``)."""
    out: dict = {}
    for i, key in enumerate(zip(*(rows[k] for k in keys), strict=True)):
        if not any(missing(k) for k in key):
            out.setdefault(normalise(key), []).append(i)
    return out


def _take(values, positions) -> list:
    return [values[i] for i in positions] if isinstance(values, list) else values[positions].tolist()


_SPLITS: dict[tuple[int, tuple[str, ...]], tuple[weakref.ref, Splitter]] = {}


def split(frame: pd.DataFrame | Rows, keys: tuple[str, ...], normalise=lambda k: k) -> Splitter:
    """The cached `Splitter` of `frame` by `keys` (dropped when the frame is)."""
    cache_key = (id(frame), keys)
    cached = _SPLITS.get(cache_key)
    if cached is None or cached[0]() is not frame:
        splitter = Splitter(frame, keys, normalise)
        cached = (weakref.ref(frame, lambda _, k=cache_key: _SPLITS.pop(k, None)), splitter)
        _SPLITS[cache_key] = cached
    return cached[1]


#: whole-number columns a count frame sums; any other column is part of the key
SUMMED = frozenset({"count", "numerator", "denominator"})
_TOTALS: dict[int, tuple[weakref.ref, pd.DataFrame]] = {}


def over_organisations(frame: pd.DataFrame | Rows) -> pd.DataFrame | Rows:
    """`frame` summed over ``org_code`` (the all-organisations level): one row per remaining key, in
    order of first appearance, missing keys kept (issue 19).

    The all-organisations result sums the same cells as every organisation's rows of the year,
    only over fewer rows (nationally the staff-by-band frame has about 17,000 rows a year, 100 an
    organisation), so the same whole-number sums come out. A frame with a column that is neither a
    key nor a count, or plain `Rows` (the compiled-SQL cache, one organisation's few rows), is
    returned as it is."""
    if isinstance(frame, Rows) or frame.empty or "org_code" not in frame:
        return frame
    import pandas as pd  # loaded already: `frame` is a DataFrame
    cached = _TOTALS.get(id(frame))
    if cached is not None and cached[0]() is frame:
        return cached[1]
    keys = [str(c) for c in frame.columns if c != "org_code" and c not in SUMMED]
    values = [str(c) for c in frame.columns if c in SUMMED]
    numeric = [k for k in keys if pd.api.types.is_float_dtype(frame[k])]
    if not values or numeric:
        return frame
    total = frame.groupby(keys, sort=False, dropna=False)[values].sum().reset_index()[keys + values]
    _TOTALS[id(frame)] = (weakref.ref(frame, lambda _, k=id(frame): _TOTALS.pop(k, None)), total)
    return total


def concat(parts: Iterable[Rows]) -> Rows:
    """Rows one after another (the columns of the first part)."""
    parts = [p for p in parts]
    if not parts:
        return Rows({})
    return Rows({c: [v for p in parts for v in p[c]] for c in parts[0].columns})
