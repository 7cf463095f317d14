"""Pseudonymise identifiers with the workspace key (docs/data-contract.md "Identifiers").

pseudonym = first 20 hex characters of HMAC-SHA256(workspace key, identifier with surrounding
spaces removed). One key per workspace for every id column, so the same person gets the same
pseudonym in every table and every year, while raw identifiers are never stored.

Speed (issue 19): identifiers repeat across rows (a person in every snapshot), so each column is
factorised first and only its distinct values are hashed; the HMAC is the RFC 2104 construction
with the key's inner and outer SHA-256 states computed once and copied per identifier, which gives
exactly ``hmac.new(key, id, sha256)`` (tests/ingest/test_pseudonyms.py checks it independently)
at about half the cost of setting the key up per call.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

import numpy as np
import pandas as pd

from parity.ingest import objects

PSEUDONYM_LENGTH = 20
_BLOCK = 64  # SHA-256 block size in bytes (RFC 2104's B)


def pseudonym(key: bytes, raw: str) -> str:
    return hmac.new(key, raw.strip().encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def pseudonyms(key: bytes, ids: Iterable[bytes]) -> list[str]:
    """`pseudonym` of many already stripped, UTF-8 encoded identifiers (one list, in order)."""
    if len(key) > _BLOCK:  # RFC 2104: a key longer than the block is hashed first
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    out = []
    append = out.append
    for raw in ids:
        i = inner.copy()
        i.update(raw)
        o = outer.copy()
        o.update(i.digest())
        append(o.hexdigest()[:PSEUDONYM_LENGTH])
    return out


def pseudonymise(key: bytes, series: pd.Series) -> pd.Series:
    """Pseudonyms for `series` (missing stays missing); one HMAC per distinct identifier."""
    return pseudonymise_columns(key, [series])[0]


def _hashed(key: bytes, columns: list[pd.Series]) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """(the distinct pseudonyms, per column (row codes, -1 when missing; each code's pseudonym's
    position among them)), hashing each distinct identifier once across the columns."""
    facts = [objects.factorize(c, use_na_sentinel=True) for c in columns]  # missing → -1; by object first
    raw = np.array([str(u).strip() for _, uniques in facts for u in uniques], dtype=object)
    shared, distinct = pd.factorize(raw)  # identifiers repeated between the columns: once
    hashed = np.array(pseudonyms(key, (str(d).encode("utf-8") for d in distinct)), dtype=object)
    out, at = [], 0
    for codes, uniques in facts:
        out.append((codes, shared[at:at + len(uniques)]))
        at += len(uniques)
    return hashed, out


def pseudonymise_columns(key: bytes, columns: list[pd.Series]) -> list[pd.Series]:
    """`pseudonymise` of several id columns, hashing each distinct identifier once across them all
    (an ESR assignment number is often the person's employee number); the same pseudonyms."""
    hashed, per_column = _hashed(key, columns)
    out = []
    for col, (codes, where) in zip(columns, per_column, strict=True):
        table = np.append(hashed[where], None)  # code -1 → the trailing None
        out.append(pd.Series(table[codes], index=col.index, dtype=object, copy=False))
    return out


def pseudonymise_arrow(key: bytes, columns: list[pd.Series]) -> list[pd.Series]:
    """`pseudonymise_columns` as Arrow-backed text (``pd.ArrowDtype(pa.string())``, missing → null):
    each row takes its pseudonym from the distinct ones in C (``take``), and storing hands the Arrow
    array to DuckDB as it is, with no per-row Python strings (issue 19). The same pseudonyms."""
    import pyarrow as pa
    import pyarrow.compute as pc

    hashed, per_column = _hashed(key, columns)
    distinct = pa.array(hashed, pa.string())
    out = []
    for col, (codes, where) in zip(columns, per_column, strict=True):
        missing = codes < 0
        if len(where):
            rows = pc.take(distinct, pa.array(where[np.where(missing, 0, codes)], mask=missing))
        else:  # every row missing
            rows = pa.nulls(len(codes), pa.string())
        out.append(pd.Series(pd.arrays.ArrowExtensionArray(rows), index=col.index, copy=False))
    return out

