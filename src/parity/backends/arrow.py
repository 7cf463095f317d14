"""Frames to Arrow with the data contract's stored types; every canonical table present."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from parity.contract import TABLES

if TYPE_CHECKING:
    import pandas as pd

_KIND_TYPES: dict[str, pa.DataType] = {
    "date": pa.date32(),
    "bool": pa.bool_(),
    "float": pa.float64(),
    "int": pa.int64(),
}



def _contract_type(table: str, column: str) -> pa.DataType | None:
    spec = TABLES.get(table)
    if spec is None:
        return None
    try:
        kind = spec.column(column).kind
    except KeyError:
        return None
    return _KIND_TYPES.get(kind, pa.string())


def to_arrow(name: str, frame: pd.DataFrame | pa.Table) -> pa.Table:
    """`frame` as an Arrow table with the stored types of canonical table `name`.

    Contract columns get their stored type (dates DATE, bools BOOLEAN, floats DOUBLE, codes and
    ids VARCHAR), so a frame holding pandas timestamps or Python dates gives the same table on
    every backend. Other columns keep Arrow's inferred type (large strings become strings).
    Values are never altered beyond the type conversion; a value that does not convert raises.
    """
    tbl = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    fields = []
    for f in tbl.schema:
        target = _contract_type(name, f.name)
        if target is None:
            target = pa.string() if pa.types.is_large_string(f.type) else f.type
        if pa.types.is_null(f.type) and target == f.type:
            target = pa.string()  # an all-null column of unknown type
        fields.append(pa.field(f.name, target))
    schema = pa.schema(fields)
    if schema == tbl.schema:
        return tbl
    columns = []
    for col, f in zip(tbl.columns, schema, strict=True):
        if pa.types.is_date32(f.type) and pa.types.is_timestamp(col.type) and col.type.tz is not None:
            col = pc.local_timestamp(col)  # the date on the wall clock, not in UTC
        columns.append(col.cast(f.type))
    return pa.Table.from_arrays(columns, schema=schema)


def _empty(name: str) -> pa.Table:
    """An empty canonical table with the contract's columns (long form for survey responses)."""
    spec = TABLES[name]
    fields = [pa.field(c.name, _KIND_TYPES.get(c.kind, pa.string())) for c in spec.columns]
    if spec.open_columns:
        fields += [pa.field("question", pa.string()), pa.field("answer", pa.string())]
    return pa.schema(fields).empty_table()


def _with_missing_tables(tables: Mapping[str, pd.DataFrame | pa.Table]) -> dict[str, pa.Table]:
    out = {name: to_arrow(name, frame) for name, frame in tables.items()}
    for name in TABLES:
        out.setdefault(name, _empty(name))
    return out

