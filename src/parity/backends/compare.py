"""Run one expression on DuckDB and Spark and compare the results."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import ibis
import pyarrow as pa

if TYPE_CHECKING:
    import pandas as pd
    from ibis.backends import BaseBackend

def compare_backends(
    build: Callable[[BaseBackend], ibis.Expr],
    tables: Mapping[str, pd.DataFrame | pa.Table],
    *,
    connections: Mapping[str, BaseBackend] | None = None,
    sort: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build one expression on DuckDB and on Spark from the same tables; return both results.

    `build` receives a connection and returns an Ibis expression (table, column or scalar). The
    results come back as DataFrames (a scalar as a one-row frame named ``value``) with rows
    sorted by every column and a fresh index, ready for `assert_same`-style comparison.
    ``connections={"duckdb": ..., "spark": ...}`` reuses connections already holding `tables`.
    """
    from parity.backends import connect  # the package entry point (avoids an import cycle)

    cons = dict(connections or {})
    if "duckdb" not in cons:
        cons["duckdb"] = connect("duckdb", tables=tables)
    if "spark" not in cons:
        cons["spark"] = connect("spark", tables=tables)
    return _result(build(cons["duckdb"]), sort), _result(build(cons["spark"]), sort)


def _result(expr: ibis.Expr, sort: bool) -> pd.DataFrame:
    import pandas as pd

    value = expr.execute()
    if isinstance(value, pd.DataFrame):
        df = value
    elif isinstance(value, pd.Series):
        df = value.to_frame()
    else:
        df = pd.DataFrame({"value": [value]})
    if sort and (keys := _sortable(df)):
        df = df.sort_values(keys, na_position="last", kind="mergesort")
    return df.reset_index(drop=True)


def _sortable(df: pd.DataFrame) -> list[str]:
    """Columns whose values can be ordered (not lists, maps or structs)."""
    out = []
    for col in df.columns:
        sample = df[col].dropna()
        if sample.empty or not isinstance(sample.iloc[0], list | dict | tuple):
            out.append(col)
    return out


def assert_same_results(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    rtol: float = 1e-12,
    names: tuple[str, str] = ("duckdb", "spark"),
) -> None:
    """Assert two result frames hold the same values: integers exactly, floats to `rtol`.

    NULL, NaN and None are all "missing" and must be missing in the same cells; the pandas dtype
    that carries them may differ (DuckDB gives an integer column with NULLs as objects, Spark as
    floats), so dtypes are not compared. Rows are compared in order: sort first (as
    `compare_backends` does) unless the order itself is under test.
    """
    import numpy as np
    import pandas as pd

    assert list(left.columns) == list(right.columns), (
        f"columns differ: {names[0]} {list(left.columns)}, {names[1]} {list(right.columns)}"
    )
    assert len(left) == len(right), f"row counts differ: {names[0]} {len(left)}, {names[1]} {len(right)}"
    for col in left.columns:
        a, b = left[col].reset_index(drop=True), right[col].reset_index(drop=True)
        na, nb = a.isna().to_numpy(), b.isna().to_numpy()
        if (na != nb).any():
            row = int(np.flatnonzero(na != nb)[0])
            raise AssertionError(
                f"{col!r}: missing in one only at row {row}: {names[0]} {a[row]!r}, {names[1]} {b[row]!r}"
            )
        a, b = a[~na].infer_objects(), b[~nb].infer_objects()
        numeric = pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b)
        if numeric and not (pd.api.types.is_bool_dtype(a) or pd.api.types.is_bool_dtype(b)):
            fa, fb = a.to_numpy(dtype="float64"), b.to_numpy(dtype="float64")
            integral = pd.api.types.is_integer_dtype(a) or pd.api.types.is_integer_dtype(b)
            same = fa == fb if integral else np.isclose(fa, fb, rtol=rtol, atol=0.0) | (fa == fb)
        else:
            same = np.array([x == y for x, y in zip(a.tolist(), b.tolist(), strict=True)], dtype=bool)
        if not same.all():
            row = int(np.flatnonzero(~same)[0])
            raise AssertionError(
                f"{col!r}: {int((~same).sum())} values differ; first at row {a.index[row]}: "
                f"{names[0]} {a.iloc[row]!r}, {names[1]} {b.iloc[row]!r}"
            )

