"""Turn one column of text into typed values, vectorised over its *distinct* values.

Each parser sees the distinct stripped values of a column (a few hundred at most for codes and
dates, one per person for identifiers) and returns, for each, the parsed value or an error code
and a message; `parse_column` broadcasts them back to the rows. No Python loop runs per row.

Rules (docs/data-contract.md): dates are ISO ``YYYY-MM-DD`` or UK ``DD/MM/YYYY``; two-digit years
and dates that only parse as US ``MM/DD`` are refused as ambiguous; impossible dates (31/02/2024)
are refused; booleans are true/false, yes/no, y/n, 1/0; numbers may carry ``£``, ``%`` and thousands
separators; codes come from `parity.ingest.vocab`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parity.contract.lookup import normalise_label
from parity.ingest import objects
from parity.ingest.problems import MSG_UNKNOWN_ETHNICITY
from parity.ingest.vocab import ALLOWED, BLANK_MEANS, BOOL, ethnicity_code, vocabulary

DATE_HELP = "write dates as YYYY-MM-DD or DD/MM/YYYY"


class Parsed:
    """A parsed column: ``values`` (NA where blank or invalid) and per-row error code/message.

    Errors are kept per distinct value (``keys`` maps rows to them) and turned into per-row
    Series only when asked for: most columns have none, and two object arrays per column were
    a large part of an import's memory (issue 19).
    """

    def __init__(self, values: pd.Series, keys: np.ndarray, codes: np.ndarray, messages: np.ndarray,
                 index: pd.Index | None = None):
        self.values = values
        self.index = values.index if index is None else index
        self._keys, self._codes_u, self._msgs_u = keys, codes, messages
        self._bad_u = np.asarray(pd.notna(codes), dtype=bool)
        if not self._bad_u.any():  # no errors: nothing per row to keep
            self._keys = np.zeros(0, dtype=np.int32)
            self._codes_u = self._msgs_u = np.full(1, None, dtype=object)
        self._codes: pd.Series | None = None
        self._msgs: pd.Series | None = None

    @property
    def error_code(self) -> pd.Series:
        """object Series: None where fine (may be changed in place to waive an error)."""
        if self._codes is None:
            self._codes = pd.Series(self._per_row(self._codes_u), dtype=object, index=self.index, copy=False)
        return self._codes

    @property
    def message(self) -> pd.Series:
        if self._msgs is None:
            self._msgs = pd.Series(self._per_row(self._msgs_u), dtype=object, index=self.index, copy=False)
        return self._msgs

    def _per_row(self, per_value: np.ndarray) -> np.ndarray:
        return per_value[self._keys] if self._bad_u.any() else np.full(len(self.index), None, dtype=object)

    @property
    def bad(self) -> np.ndarray:
        if self._codes is not None:
            return self._codes.notna().to_numpy()
        return self._bad_u[self._keys] if self._bad_u.any() else np.zeros(len(self.index), dtype=bool)


def map_distinct(series: pd.Series, func) -> pd.Series:
    """``series.map(func)`` calling `func` once per distinct value, not per row (missing stays missing)."""
    codes, uniques = objects.factorize(series, use_na_sentinel=True)  # by object first (issue 19)
    table = np.array([*(func(u) for u in uniques), None], dtype=object)
    return pd.Series(table[codes], index=series.index, dtype=object, copy=False)  # a new array: no copy


def _result(n: int) -> tuple[list, list, list]:
    return [None] * n, [None] * n, [None] * n


def _dates(u: pd.Series, label: str) -> tuple[list, list, list]:
    vals, codes, msgs = _result(len(u))
    # a time of day (Parquet/XLSX timestamps, "2024-03-31 09:30") is dropped: the date is what counts
    iso = u.str.extract(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$")
    clock = iso[[3, 4, 5]].apply(pd.to_numeric).fillna(0)
    bad_clock = ((clock[3] > 23) | (clock[4] > 59) | (clock[5] > 59)).to_numpy()
    iso.loc[bad_clock, [0, 1, 2]] = np.nan
    uk = u.str.extract(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
    year = iso[0].fillna(uk[2]).to_numpy()
    month = iso[1].fillna(uk[1]).to_numpy()
    day = iso[2].fillna(uk[0]).to_numpy()
    named = pd.to_datetime(u, format="%d-%b-%Y", errors="coerce").fillna(
        pd.to_datetime(u, format="%d %B %Y", errors="coerce"))
    for i, raw in enumerate(u.to_numpy()):
        if not pd.isna(named.iloc[i]):
            vals[i] = named.iloc[i].date().isoformat()
            continue
        if pd.isna(year[i]):
            codes[i], msgs[i] = "invalid_date", f"{label}: {raw!r} is not a date; {DATE_HELP}."
            continue
        y, m, d = int(year[i]), int(month[i]), int(day[i])
        if len(year[i]) == 2:
            codes[i], msgs[i] = "ambiguous_date", (
                f"{label}: {raw!r} has a two-digit year, which is ambiguous; {DATE_HELP}.")
        elif m > 12 and d <= 12 and pd.isna(iso[0].iloc[i]):
            codes[i], msgs[i] = "ambiguous_date", (
                f"{label}: {raw!r} only makes sense as a US month/day date; {DATE_HELP} (day first).")
        else:
            try:
                vals[i] = pd.Timestamp(year=y, month=m, day=d).date().isoformat()
            except ValueError:
                codes[i], msgs[i] = "impossible_date", f"{label}: {raw!r} is not a real date (no such day)."
    return vals, codes, msgs


# A comma (or, with --decimal ",", a dot) is a thousands separator only in proper groups of three.
_GROUPED = {".": r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$", ",": r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?$"}
MSG_AMBIGUOUS_NUMBER = ("{label}: {value!r} is ambiguous: {why}. Write numbers with a decimal point and no "
                        "separators, or, if commas are decimal separators in this file, use --decimal ,.")
MSG_AMBIGUOUS_COMMA = ("{label}: {value!r} is ambiguous with --decimal ,: {why}. Write numbers with a decimal "
                       "comma (dots only in groups of three), or leave out --decimal , if dots are decimal points.")


def _numbers(u: pd.Series, label: str, integer: bool, decimal: str = ".") -> tuple[list, list, list]:
    """Numbers; "3882,71" is never 388271 (issue 12.5): separators must be unambiguous."""
    cleaned = u.str.replace(r"[£%\s\u00a0]", "", regex=True)
    sep = "," if decimal == "." else "."
    grouped = cleaned.str.match(_GROUPED[decimal]).to_numpy()
    has_sep = cleaned.str.contains(sep, regex=False).to_numpy()
    # a separator outside proper groups of three is a decimal mark of the other convention ...
    odd = has_sep & ~grouped & cleaned.str.match(r"^[+-]?[\d.,]+$").to_numpy()
    # ... and once a column shows one, its "1,234"-style values (no decimal mark) could be either
    ambiguous = odd | (grouped & ~cleaned.str.contains(decimal, regex=False).to_numpy() & odd.any())
    if decimal == ".":
        text = cleaned.where(~grouped, cleaned.str.replace(",", "", regex=False))
    else:
        text = cleaned.where(~grouped, cleaned.str.replace(".", "", regex=False)).str.replace(",", ".", regex=False)
    num = pd.to_numeric(text.where(~ambiguous, ""), errors="coerce").astype("float64")
    bad = num.isna().to_numpy() | (integer & (num % 1 != 0)).to_numpy()
    what = "a whole number" if integer else "a number"
    why_odd = (f"a {'comma' if sep == ',' else 'dot'} not followed by groups of three digits may be a decimal "
               f"{'comma' if sep == ',' else 'point'}")
    why_grouped = f"other values in {label} use a decimal {'comma' if sep == ',' else 'point'}"
    template = MSG_AMBIGUOUS_NUMBER if decimal == "." else MSG_AMBIGUOUS_COMMA
    msgs = [None if not b else template.format(label=label, value=v, why=why_odd if o else why_grouped)
            if a else f"{label}: {v!r} is not {what}." for v, b, a, o in zip(u, bad, ambiguous, odd, strict=True)]
    codes = np.where(ambiguous, "ambiguous_number", np.where(bad, "invalid_number", None))
    return list(np.where(bad, None, num.to_numpy(dtype=object))), list(codes), msgs


def _codes(u: pd.Series, label: str, kind: str, extra: dict[str, str]) -> tuple[list, list, list]:
    if kind == "ethnicity":
        vals = [ethnicity_code(v, extra) for v in u]
        msgs = [None if c else f"{label}: " + MSG_UNKNOWN_ETHNICITY.format(value=v) for v, c in zip(u, vals, strict=True)]
        return vals, ["unknown_ethnicity" if m else None for m in msgs], msgs
    if kind == "bool":
        vocab, allowed = BOOL, "yes/no, true/false, y/n or 1/0"
    else:
        vocab, allowed = vocabulary(kind), ALLOWED[kind]
    keys = u.map(normalise_label)
    mapped = keys.map(lambda k: extra.get(k, k)) if extra else keys
    # a mapped value may itself be a spelling (e.g. "Band 5") or the code ("5")
    vals = mapped.map(lambda k: vocab.get(normalise_label(k)) if k is not None else None)
    bad = vals.isna().to_numpy()
    msgs = [f"{label}: {v!r} is not a known {kind.replace('_', ' ')} (expected {allowed}); map it under "
            f"values: {label} in your mapping file." if b else None for v, b in zip(u, bad, strict=True)]
    vals = vals.astype(object).where(~vals.isna(), None)
    return list(vals), ["unknown_code" if b else None for b in bad], msgs


def parse_column(raw: pd.Series, kind: str, label: str, *, required: bool = True,
                 values: dict[str, str] | None = None, decimal: str = ".", is_stripped: bool = False) -> Parsed:
    """Parse `raw` (text) as `kind`. `values` maps normalised source values to canonical ones;
    `decimal` is the decimal mark of numbers ("." or ","); `is_stripped` says `raw` is text already
    without surrounding spaces (`parity.ingest.rowcheck.stripped`), so it is not stripped again."""
    stripped = raw if is_stripped else raw.astype(str).str.strip()
    keys, uniques = pd.factorize(stripped)
    u = pd.Series(uniques, dtype=object).astype(str)
    blank = (u == "").to_numpy()
    n = len(u)
    extra = {normalise_label(k): str(v) for k, v in (values or {}).items()}
    vals, codes, msgs = (np.full(n, None, dtype=object) for _ in range(3))
    nb = np.flatnonzero(~blank)
    if len(nb):
        sub = u.iloc[nb].reset_index(drop=True)
        if kind in ("id", "str", "unit"):
            if kind == "str" and extra:  # a mapping's values: also for text (benchmarks' indicator, issue 18)
                sub = sub.map(lambda v: extra.get(normalise_label(v), v))
            got = (sub.to_numpy(dtype=object), None, None)
        elif kind == "date":
            got = _dates(sub, label)
        elif kind in ("float", "int"):
            if extra:
                sub = sub.map(lambda v: extra.get(normalise_label(v), v))
            got = _numbers(sub, label, kind == "int", decimal)
        else:
            got = _codes(sub, label, kind, extra)
        for target, src in zip((vals, codes, msgs), got, strict=True):
            if src is not None:
                target[nb] = np.asarray(src, dtype=object)
    blank_idx = np.flatnonzero(blank)
    if kind in BLANK_MEANS:
        vals[blank_idx] = BLANK_MEANS[kind]
    elif required:
        codes[blank_idx] = "blank_value"
        msgs[blank_idx] = f"{label} is blank; every row needs a value."
    take = np.asarray(keys, dtype=np.int32 if n < 2**31 else np.int64)
    return Parsed(pd.Series(vals[take], index=raw.index, dtype=object, copy=False), take, codes, msgs, raw.index)
