"""Object columns grouped by identity give exactly what working on the values gives (issue 19)."""

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from parity.ingest import objects


def _column(rng, n: int, k: int) -> np.ndarray:
    """n rows drawn from k distinct strings, None and NaN, as parse broadcasts them — plus copies of
    equal strings that are separate objects (equal values at different addresses)."""
    distinct = np.array([f"v{i:05d}" for i in range(k)] + [None, float("nan")], dtype=object)
    out = distinct[rng.integers(0, k + 2, n)]
    for i in rng.choice(n, size=n // 10, replace=False):  # an equal value, another object
        if isinstance(out[i], str):
            out[i] = "".join(list(out[i]))
    return out


@pytest.mark.parametrize("k", [1, 7, 3000])
@pytest.mark.parametrize("sentinel", [True, False])
def test_factorize_equals_pandas(k, sentinel):
    col = _column(np.random.default_rng(k), 5000, k)
    want_codes, want_uniques = pd.factorize(col, use_na_sentinel=sentinel)
    codes, uniques = objects.factorize(pd.Series(col), use_na_sentinel=sentinel)
    assert np.array_equal(codes, want_codes)
    assert len(uniques) == len(want_uniques)
    assert all(a == b or (pd.isna(a) and pd.isna(b)) for a, b in zip(uniques, want_uniques, strict=True))


def test_factorize_not_contiguous_and_other_dtypes():
    block = np.array([["a", "x"], ["b", "x"], ["a", "y"], [None, "y"]], dtype=object)
    col = block[:, 0]  # a strided view of a 2-D block
    assert not col.flags.c_contiguous
    codes, uniques = objects.factorize(col)
    assert codes.tolist() == [0, 1, 0, -1] and list(uniques) == ["a", "b"]
    nums = pd.Series([3.0, 1.0, 3.0])  # not objects: pandas' own
    assert objects.factorize(nums)[0].tolist() == [0, 1, 0]
    empty_codes, empty_uniques = objects.factorize(np.array([], dtype=object))
    assert len(empty_codes) == 0 and len(empty_uniques) == 0


@pytest.mark.parametrize("k", [1, 5, 2000])
def test_arrow_array_equals_pyarrow(k):
    col = _column(np.random.default_rng(100 + k), 4000, k)
    got = objects.arrow_array(pd.Series(col), pa.string())
    want = pa.array(pd.Series(col), pa.string(), from_pandas=True)
    assert got.type == want.type and got.equals(want)
    assert got.null_count == sum(1 for v in col if not isinstance(v, str))


def test_arrow_array_bools_and_dates():
    rng = np.random.default_rng(3)
    flags = np.array([True, False, None], dtype=object)[rng.integers(0, 3, 3000)]
    assert objects.arrow_array(flags, pa.bool_()).equals(pa.array(flags, pa.bool_(), from_pandas=True))
    days = np.array(["2024-03-31", "2023-03-31", None], dtype=object)[rng.integers(0, 3, 3000)]
    got = objects.arrow_array(days, pa.string(), cast=pa.date32())
    assert got.equals(pa.array(days, pa.string(), from_pandas=True).cast(pa.date32()))
    assert got[0].as_py() in (dt.date(2024, 3, 31), dt.date(2023, 3, 31), None)


def test_arrow_array_refuses_what_pyarrow_refuses():
    mixed = np.array(["a", 1] * 1000, dtype=object)
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError)):
        pa.array(mixed, pa.string(), from_pandas=True)
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError)):
        objects.arrow_array(mixed, pa.string())


def test_arrow_backed_text_is_left_to_pandas(monkeypatch):
    """Text read by Arrow is never turned into Python objects just to be grouped."""
    text = pd.Series(["a", "b", "a"] * 500, dtype=pd.StringDtype("pyarrow"))
    monkeypatch.setattr(objects, "by_identity", lambda a: pytest.fail("objects made from Arrow text"))
    codes, uniques = objects.factorize(text)
    assert codes.tolist()[:3] == [0, 1, 0] and list(uniques) == ["a", "b"]
    assert objects.per_row(text, lambda s: s.eq("a")).tolist()[:3] == [True, False, True]
