"""Pseudonymise identifiers with the workspace key (docs/data-contract.md "Identifiers").

pseudonym = first 20 hex characters of HMAC-SHA256(workspace key, identifier with surrounding
spaces removed). One key per workspace for every id column, so the same person gets the same
pseudonym in every table and every year, while raw identifiers are never stored.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd

PSEUDONYM_LENGTH = 20


def pseudonym(key: bytes, raw: str) -> str:
    return hmac.new(key, raw.strip().encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def pseudonymise(key: bytes, series: pd.Series) -> pd.Series:
    """Pseudonyms for `series` (missing stays missing); one HMAC per distinct identifier."""
    text = series.astype(object).where(series.notna(), None)
    codes, uniques = pd.factorize(text.map(lambda v: None if v is None else str(v).strip()))
    hashed = np.array([pseudonym(key, u) for u in uniques] + [None], dtype=object)
    return pd.Series(hashed[codes], index=series.index, dtype=object)  # code -1 → the trailing None
