"""Vectorised building blocks: named random streams, categorical draws, id and date columns.

Tables are assembled as pyarrow arrays straight from numpy (no Python loop over rows), which is
what lets a national run of millions of rows finish in seconds.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa

EPOCH = dt.date(1970, 1, 1)


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent generator per table/purpose: adding a stream never changes the others."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(name.encode()),)))


def draw(rng: np.random.Generator, shares: Mapping[str, float] | Sequence[float], n: int) -> np.ndarray:
    """Indices into `shares` (normalised), one per row."""
    p = np.asarray(list(shares.values()) if isinstance(shares, Mapping) else shares, dtype=float)
    cdf = np.cumsum(p / p.sum())
    cdf[-1] = 1.0
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int16)


def bernoulli(rng: np.random.Generator, p: np.ndarray | float, n: int) -> np.ndarray:
    return rng.random(n) < p


def days(d: dt.date) -> int:
    """Days since 1970-01-01 (the storage of a pyarrow date32)."""
    return (d - EPOCH).days


def fy_bounds(year: int) -> tuple[int, int]:
    """First and last day (as `days`) of the financial year ending 31 March `year`."""
    return days(dt.date(year - 1, 4, 1)), days(dt.date(year, 3, 31))


def uniform_days(rng: np.random.Generator, start: np.ndarray | int, end: np.ndarray | int, n: int) -> np.ndarray:
    """A uniform day in [start, end] (inclusive), per row."""
    start = np.asarray(start, dtype=np.int64)
    span = np.asarray(end, dtype=np.int64) - start + 1
    return (start + np.floor(rng.random(n) * span)).astype(np.int32)


def date_col(day_numbers: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(day_numbers, dtype=np.int32), type=pa.date32())


def cat_col(codes: np.ndarray, labels: Sequence[str | None]) -> pa.DictionaryArray:
    """Dictionary-encoded strings; a label of None or "" is written as a blank (null) cell."""
    labels = list(labels)
    blank = np.array([lab is None or lab == "" for lab in labels])
    codes = np.asarray(codes, dtype=np.int32)
    mask = blank[codes] if blank.any() else None
    dictionary = pa.array([lab if lab else "\x00" for lab in labels], type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(codes, mask=mask), dictionary)


#: "0000".."9999" as little 4-byte words: ids are built four digits per numpy pass
_QUADS = np.frombuffer("".join(f"{i:04d}" for i in range(10000)).encode(), dtype=np.uint32)


def id_col(prefix: str, numbers: np.ndarray, width: int | None = None) -> pa.Array:
    """``prefix`` + zero-padded number (width rounded up to a multiple of 4), built as one byte
    buffer: no Python string per row."""
    numbers = np.asarray(numbers, dtype=np.uint32)
    n = len(numbers)
    top = int(numbers.max()) if n else 0
    width = max(width or 0, len(str(top)))
    width = -(-width // 4) * 4
    pre = np.frombuffer(prefix.encode(), dtype=np.uint8)
    quads = np.empty((n, width // 4), dtype=np.uint32)
    rest = numbers.copy()
    for k in range(width // 4 - 1, -1, -1):  # loop over groups of four digits, not rows
        q = rest // 10000
        quads[:, k] = _QUADS[rest - q * 10000]
        rest = q
    w = len(pre) + width
    buf = np.empty((n, w), dtype=np.uint8)
    buf[:, : len(pre)] = pre
    buf[:, len(pre):] = quads.view(np.uint8).reshape(n, width)
    offsets = np.arange(0, (n + 1) * w, w, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(buf))


def bool_col(values: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(values, dtype=bool), mask=mask)


def table(columns: Mapping[str, pa.Array | np.ndarray]) -> pa.Table:
    return pa.table({k: v if isinstance(v, pa.Array | pa.ChunkedArray) else pa.array(v) for k, v in columns.items()})
