"""`rowcheck.fill_defaults`: absent optional columns share one read-only array per default (issue 19:
import speed), so each holds its default and a change in place raises instead of leaking into the others."""

import numpy as np
import pandas as pd
import pytest

from parity.contract import schema
from parity.ingest.rowcheck import fill_defaults


def _values() -> pd.DataFrame:
    v = pd.DataFrame(index=pd.RangeIndex(3))
    v["person_id"] = pd.Series(["a", "b", "c"], dtype=object)
    v["staff_group"] = pd.Series(["01", None, "09"], dtype=object)
    v["board_member"] = pd.Series([True, None, None], dtype=object)  # present: its default fills the gaps
    return v


def test_absent_columns_hold_their_defaults():
    table = schema.table("workforce")
    v = _values()
    fill_defaults(v, table, "r0a")
    assert v["org_code"].tolist() == ["R0A"] * 3
    assert v["board_member"].tolist() == [True, False, False]
    absent = [c.name for c in table.columns if c.name not in ("person_id", "staff_group", "board_member",
                                                               "org_code", "clinical", "date_of_birth")]
    for name in absent:
        default = next(c.default for c in table.columns if c.name == name)
        assert v[name].tolist() == [default] * 3, name
    assert v["religion"].tolist() == [None] * 3 and v["site"].tolist() == [None] * 3


def test_shared_default_cannot_be_changed_in_place():
    v = _values()
    fill_defaults(v, schema.table("workforce"), None)
    assert np.shares_memory(v["religion"].to_numpy(), v["site"].to_numpy())  # the point: one array
    with pytest.raises(ValueError, match="read-only"):
        v.loc[0, "religion"] = "x"
    assert v["site"].tolist() == [None] * 3 and v["religion"].tolist() == [None] * 3
    v["religion"] = v["religion"].where(v.index != 0, "x")  # replacing a column is fine
    assert v["religion"].tolist() == ["x", None, None] and v["site"].tolist() == [None] * 3


def test_to_arrow_converts_a_shared_default_once_per_type():
    """`load.to_arrow` converts columns that are one array once per Arrow type: a bool and a text column
    sharing the None array each get their own type; values are those of converting every column."""
    import pyarrow as pa

    from parity.ingest.load import stored_columns, to_arrow

    table = schema.table("workforce")
    v = _values()
    v["snapshot_date"] = "2024-03-31"
    for name in ("ethnic_category", "sex", "disability", "pay_band", "assignment_category"):
        v[name] = pd.Series(["x", "y", None], dtype=object)
    v["fte"] = [1.0, 0.5, None]
    fill_defaults(v, table, None)
    assert np.shares_memory(v["board_voting"].to_numpy(), v["religion"].to_numpy())
    got = to_arrow(v, table, 7)
    assert got.schema.field("board_voting").type == pa.bool_()
    assert got.schema.field("religion").type == pa.string()
    assert got.column("religion").chunk(0).buffers() == got.column("site").chunk(0).buffers()  # converted once
    for name, kind in stored_columns(table):
        want = [None if pd.isna(x) else x for x in v[name].tolist()]
        if kind == "date":
            want = [None if x is None else pd.Timestamp(x).date() for x in want]
        assert got.column(name).to_pylist() == want, name
    assert got.column("import_id").to_pylist() == [7, 7, 7]
