"""Columns of Python objects grouped by object identity first, then by value (issue 19: import speed).

A parsed column is built by broadcasting the parsed value of each *distinct* source value to its
rows (`parity.ingest.parse`), and a pseudonym column likewise: a million rows hold a few, or a few
hundred thousand, distinct objects, each many times. Hashing or converting every row by value
(``pd.factorize``, ``pa.array``) looks at every string again; here the rows are first grouped by
the object each one points to (an integer hash of the pointers), and only one row per distinct
object is looked at by value. Rows pointing to the same object hold the same value, so the result
is exactly that of working on the values: `factorize` equals ``pd.factorize`` (same codes, same
uniques, in order of first appearance) and `arrow_array` equals ``pa.array(values, type,
from_pandas=True)`` (``tests/ingest/test_objects.py``). The pointers are only read while the array
holding them (which keeps every object alive) is referenced.
"""

from __future__ import annotations

import ctypes

import numpy as np
import pandas as pd


def _objects(values) -> np.ndarray | None:
    """`values` as a C-contiguous 1-D object array, or None when it holds no Python objects."""
    if getattr(values, "dtype", None) != np.dtype(object):  # Arrow-backed text, numbers: never turned into objects
        return None
    a = values.to_numpy() if isinstance(values, (pd.Series, pd.Index)) else values
    if not isinstance(a, np.ndarray) or a.ndim != 1:
        return None
    return np.ascontiguousarray(a)


def by_identity(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, first): for each row of object array `a` the number of the object it points to, in
    order of first appearance, and the position of each object's first row."""
    n = len(a)
    if n == 0:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    # the array's cells are PyObject pointers: read them as integers (the objects live while `a` does)
    ptrs = np.ctypeslib.as_array((ctypes.c_size_t * n).from_address(a.ctypes.data)).copy()
    codes, uniques = pd.factorize(ptrs)
    first = np.empty(len(uniques), dtype=np.intp)
    first[codes[::-1]] = np.arange(n - 1, -1, -1)  # written last = the smallest position
    return codes, first


def factorize(values, use_na_sentinel: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, use_na_sentinel=...)``, the same codes and uniques, hashing each
    distinct object once (other dtypes go to ``pd.factorize`` as they are)."""
    a = _objects(values)
    if a is None or len(a) == 0:
        return pd.factorize(values, use_na_sentinel=use_na_sentinel)
    ident, first = by_identity(a)
    codes, uniques = pd.factorize(a[first], use_na_sentinel=use_na_sentinel)
    return codes[ident], uniques


def arrow_array(values, type, cast=None):
    """``pa.array(values, type, from_pandas=True)`` (then ``.cast(cast)``, if given), converting
    and casting each distinct object once (`type`, `cast`: Arrow types)."""
    import pyarrow as pa  # here, not at import: the CLI's other commands never load Arrow for this
    import pyarrow.compute as pc

    a = _objects(values)
    if a is None or len(a) < 1024:
        arr = pa.array(values, type, from_pandas=True)
        return arr.cast(cast) if cast is not None else arr
    ident, first = by_identity(a)
    distinct = pa.array(a[first], type, from_pandas=True)
    distinct = distinct.cast(cast) if cast is not None else distinct
    return pc.take(distinct, pa.array(ident.astype(np.int32 if len(first) < 2**31 else np.int64)))


def per_row(values, fn) -> np.ndarray:
    """``fn(pd.Series(values)).to_numpy()`` for an element-wise `fn` (``eq``, ``isin``, ``isna`` …),
    computed on one row per distinct object and broadcast to the rows that point to it."""
    a = _objects(values)
    if a is None or len(a) < 1024:
        return np.asarray(fn(values if isinstance(values, pd.Series) else pd.Series(values)))
    ident, first = by_identity(a)
    return np.asarray(fn(pd.Series(a[first], dtype=object)))[ident]
