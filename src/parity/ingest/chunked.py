"""Validate (and hand on for storage) a large file one chunk at a time (docs/ingest.md "Speed").

Each chunk (`parity.ingest.chunks`) is checked on its own by `parity.ingest.rowcheck.check_rows`,
exactly as a file read at once, with the file's row numbers. What spans the whole file is kept
as a few numbers per row, never as text:

- **exact duplicate rows**: a 128-bit hash of each row's source text (two independent 64-bit
  hashes); `SeenRows` remembers the first copy of every row so far, so a copy of a row in an
  earlier chunk is found as the chunk is read (and its other problems are not reported, as at once);
- **duplicate keys**: a 128-bit hash of each row's key; the groups are found at the end, and the
  identifiers named in the messages are read again from the file for those rows only;
- **two primary assignments** (workforce): a 128-bit hash of organisation, snapshot and person;
- **reconciliation**: one reason code per row; the summary warnings add up their counts
  (`parity.ingest.tally`).

Two different rows share a 128-bit hash with probability about n² / 2¹²⁹ (10⁻²⁴ for 16 M rows).
Accepted rows go to `sink(frame, questions, positions)` chunk by chunk (the import stores them in
its one transaction, `parity.ingest.staging`); rows found to share a key only at the end are
returned in `Outcome.drop` for the sink's owner to take out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from parity.contract.codes import UNKNOWN_CODES
from parity.ingest import validate as rules
from parity.ingest.chunks import Chunks, NotPlain
from parity.ingest.mapping import resolve
from parity.ingest.problems import (
    BLANK_ROW,
    DUPLICATE_KEY,
    DUPLICATE_ROW,
    ERROR,
    INVALID_VALUE,
    TOTAL_ROW,
    ValidationReport,
)
from parity.ingest.rowcheck import check_rows, stripped
from parity.ingest.tally import Tallies

REASONS = [None, BLANK_ROW, TOTAL_ROW, DUPLICATE_ROW, INVALID_VALUE, DUPLICATE_KEY]
_CODE = {r: i for i, r in enumerate(REASONS)}
_KEY2 = "parity-ingest-h2"  # a second SipHash key (16 bytes): the two hashes are independent


def hash128(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Two independent 64-bit hashes of each row of `frame` (equal rows, equal hashes)."""
    return (pd.util.hash_pandas_object(frame, index=False).to_numpy(),
            pd.util.hash_pandas_object(frame, index=False, hash_key=_KEY2).to_numpy())


class SeenRows:
    """Every distinct row met so far (its 128-bit hash and the row number of its first copy), sorted,
    so each chunk's exact duplicates of earlier rows are found with a binary search."""

    def __init__(self):
        self.h1 = np.empty(0, dtype=np.uint64)
        self.h2 = np.empty(0, dtype=np.uint64)
        self.first = np.empty(0, dtype=np.int64)

    def _lookup(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        lo, hi = np.searchsorted(self.h1, a, "left"), np.searchsorted(self.h1, a, "right")
        out = np.full(len(a), -1, dtype=np.int64)
        one = np.flatnonzero(hi - lo == 1)
        match = self.h2[lo[one]] == b[one]
        out[one[match]] = self.first[lo[one[match]]]
        for i in np.flatnonzero(hi - lo > 1):  # equal first halves: about 10⁻⁵ for 16 M rows
            for j in range(lo[i], hi[i]):
                if self.h2[j] == b[i]:
                    out[i] = self.first[j]
                    break
        return out

    def __call__(self, data: pd.DataFrame, rows: np.ndarray, candidates: np.ndarray):
        """(duplicate mask, first copy's row number per duplicate) for this chunk, then remember it."""
        idx = np.flatnonzero(candidates)
        h1, h2 = hash128(data)  # every row, then the candidates: no copy of the chunk's text (memory)
        h1, h2 = h1[idx], h2[idx]
        r = rows[idx]
        earlier = self._lookup(h1, h2)
        order = np.lexsort((np.arange(len(idx)), h2, h1))
        s1, s2 = h1[order], h2[order]
        start = np.ones(len(idx), dtype=bool)
        start[1:] = (s1[1:] != s1[:-1]) | (s2[1:] != s2[:-1])
        head = order[np.maximum.accumulate(np.where(start, np.arange(len(idx)), 0))] if len(idx) else order
        group_first = np.empty(len(idx), dtype=np.int64)
        group_first[order] = head  # each row's first copy within the chunk
        own = group_first == np.arange(len(idx))
        dup_local = (earlier >= 0) | ~own
        first_row = np.where(earlier >= 0, earlier, r[group_first])
        self._add(h1[own & (earlier < 0)], h2[own & (earlier < 0)], r[own & (earlier < 0)])
        dup = np.zeros(len(data), dtype=bool)
        dup[idx[dup_local]] = True
        return dup, first_row[dup_local]

    def _add(self, a, b, r) -> None:
        order = np.argsort(a, kind="stable")
        a, b, r = a[order], b[order], r[order]
        at = np.searchsorted(self.h1, a)
        self.h1, self.h2, self.first = np.insert(self.h1, at, a), np.insert(self.h2, at, b), np.insert(self.first, at, r)


def groups(h1: np.ndarray, h2: np.ndarray, pos: np.ndarray) -> list[np.ndarray]:
    """Positions `pos` grouped by equal (h1, h2), groups of two or more only, by first position."""
    order = np.lexsort((pos, h2, h1))
    s1, s2, sp = h1[order], h2[order], pos[order]
    start = np.ones(len(order), dtype=bool)
    start[1:] = (s1[1:] != s1[:-1]) | (s2[1:] != s2[:-1])
    bounds = np.append(np.flatnonzero(start), len(order))
    out = [sp[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b - a > 1]
    return sorted(out, key=lambda g: g[0])


@dataclass
class FileState:
    """What the whole-file checks need, per row of the file (about 40 bytes a row)."""

    n: int
    workforce: bool
    reason: np.ndarray = field(init=False)
    key_in: np.ndarray = field(init=False)
    kh: tuple = field(init=False)
    unknown: np.ndarray = field(init=False)
    issues: list = field(default_factory=list)
    tallies: Tallies = field(default_factory=Tallies)
    errors: int = 0

    def __post_init__(self):
        self.reason = np.zeros(self.n, dtype=np.int8)
        self.key_in = np.zeros(self.n, dtype=bool)
        self.kh = (np.zeros(self.n, dtype=np.uint64), np.zeros(self.n, dtype=np.uint64))
        self.unknown = np.zeros(self.n, dtype=bool)
        self.prim = np.zeros(self.n if self.workforce else 0, dtype=bool)
        self.ph = (np.zeros(len(self.prim), dtype=np.uint64), np.zeros(len(self.prim), dtype=np.uint64))


@dataclass
class Outcome:
    report: ValidationReport
    #: positions of rows handed to the sink that turned out to share a key (to take out again)
    drop: np.ndarray
    #: True when errors meant nothing more was handed to the sink (a strict import stores nothing)
    blocked: bool = False


def run(report: ValidationReport, table, m, source: Chunks, first, *, year, org, unknown_as_not_stated: bool,
        decimal: str, exclude_invalid: bool, sink=None) -> Outcome:
    """Check every chunk of `source` (`first` already read), then the whole-file rules; fills `report`."""
    n = source.total_rows
    state = FileState(n, table.name == "workforce" and "primary_assignment" in table.names)
    seen = SeenRows()
    read, held, from_file = 0, [first], set()
    del first
    for raw in _chain(held, source.rest()):
        resolved = resolve(raw.data, table, m)
        from_file = set(resolved.columns)
        _chunk(report, table, m, raw, resolved, state, seen, year=year, org=org, decimal=decimal,
               unknown_as_not_stated=unknown_as_not_stated, sink=sink, exclude_invalid=exclude_invalid)
        read += len(raw.rows)
        del raw, resolved  # let this chunk go before the next one is read (memory)
    if read != n:  # the reader and the line count disagree: the whole-file reader must say why
        raise NotPlain(report.file)
    key = list(table.key)
    id_col = next((c for c in key if c in from_file), key[-1])
    found = groups(state.kh[0][state.key_in], state.kh[1][state.key_in], np.flatnonzero(state.key_in))
    drop = np.concatenate(found) if found else np.empty(0, dtype=np.int64)
    if found:
        state.issues.append(_key_issues(source, table, m, found, key, id_col, id_col in from_file))
        state.errors += len(drop)
    state.reason[drop] = _CODE[DUPLICATE_KEY]
    accepted = state.reason == 0
    summary = state.tallies.before_rows(report.file, m)
    summary += state.tallies.snapshot_warnings(report.file, str(table.period_column), year)
    if "ethnic_category" in table.names and accepted.any():
        summary += rules.unknown_share_warning(report.file, int((state.unknown & accepted).sum()), int(accepted.sum()))
    if len(state.prim):
        both = state.prim & accepted
        for g in groups(state.ph[0][both], state.ph[1][both], np.flatnonzero(both)):
            summary.append(rules.two_primaries_warning(report.file, source.row_numbers(g)))
    tally = np.bincount(state.reason, minlength=len(REASONS))
    excluded = pd.Series({REASONS[i]: int(c) for i, c in enumerate(tally) if i and c}, dtype=object)
    report.excluded_by_reason = {str(k): int(v) for k, v in excluded.sort_values(ascending=False, kind="stable").items()}
    report.rows_accepted = int(accepted.sum())
    issues = pd.concat(state.issues, ignore_index=True) if state.issues else pd.DataFrame()
    report.problems += rules.to_problems(report.file, issues) + summary
    return Outcome(report, drop, blocked=bool(state.errors) and not exclude_invalid)


def _chain(held: list, rest):
    """`held`'s one chunk, then `rest`, keeping no reference to a chunk already handed out."""
    yield held.pop()
    yield from rest


def _chunk(report, table, m, raw, resolved, state: FileState, seen: SeenRows, *, year, org, decimal,
           unknown_as_not_stated, sink, exclude_invalid: bool) -> None:
    base, k = raw.start, len(raw.rows)
    chk = check_rows(report.file, table, m, raw.data, raw.rows, resolved.columns, year=year, org=org,
                     unknown_as_not_stated=unknown_as_not_stated, decimal=decimal, duplicates=seen,
                     keep_source=bool(table.open_columns))
    ctx, reason = chk.ctx, chk.reason
    parts = [p for p in chk.parts if len(p)]
    issues = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=rules.ISSUE_COLUMNS)
    errs = issues.loc[issues["severity"] == ERROR, "pos"].to_numpy(dtype=int)
    error_mask = np.zeros(k, dtype=bool)
    error_mask[errs] = True
    reason[error_mask & ctx.active] = INVALID_VALUE
    state.reason[base:base + k] = [_CODE[r] for r in reason]
    state.errors += len(errs)
    key_in = ctx.active & chk.key_ok
    state.key_in[base:base + k] = key_in
    if key_in.any():
        at = np.flatnonzero(key_in)
        h1, h2 = hash128(ctx.values.loc[at, list(table.key)])
        state.kh[0][base + at], state.kh[1][base + at] = h1, h2
    if "ethnic_category" in ctx.values:
        state.unknown[base:base + k] = ctx.values["ethnic_category"].isin(UNKNOWN_CODES).to_numpy()
    if len(state.prim):
        prim = ctx.values["primary_assignment"].eq(True).to_numpy()
        state.prim[base:base + k] = prim
        if prim.any():
            at = np.flatnonzero(prim)
            h1, h2 = hash128(ctx.values.loc[at, rules.PRIMARY_WHO])
            state.ph[0][base + at], state.ph[1][base + at] = h1, h2
    if len(issues):
        issues["row"] = raw.rows[issues["pos"].to_numpy(dtype=int)]
        issues["pos"] += base
        state.issues.append(issues)
    state.tallies.add(chk.tallies)
    if sink is not None and (exclude_invalid or not state.errors):  # strict: after an error, nothing is stored
        accepted = pd.isna(pd.Series(reason)).to_numpy()
        if accepted.any():
            frame = ctx.values if accepted.all() else ctx.values[accepted].reset_index(drop=True)
            questions = None
            if table.open_columns:
                questions = raw.data.reset_index(drop=True)[resolved.questions][accepted].reset_index(drop=True)
            sink(frame, questions, base + np.flatnonzero(accepted))


def _key_issues(source: Chunks, table, m, found: list[np.ndarray], key: list[str], id_col: str,
                from_file: bool) -> pd.DataFrame:
    """Duplicate-key errors for every row of each group; the identifiers are read again from the file."""
    pos = np.concatenate(found)
    rows = source.row_numbers(pos)
    msgs = np.concatenate([np.full(len(g), rules.duplicate_key_message(key, source.row_numbers(g)), dtype=object)
                           for g in found])
    values = _read_again(source, table, m, id_col, pos) if from_file else np.full(len(pos), None, dtype=object)
    return pd.DataFrame({"pos": pos, "column": id_col, "value": values, "message": msgs, "severity": ERROR,
                         "code": "duplicate_key", "row": rows})


def _read_again(source: Chunks, table, m, column: str, pos: np.ndarray) -> np.ndarray:
    """The text of canonical `column` at file positions `pos`, from a second pass over the file."""
    out = np.full(len(pos), None, dtype=object)
    order = np.argsort(pos, kind="stable")
    sorted_pos = pos[order]
    for raw in source.again():
        lo, hi = np.searchsorted(sorted_pos, [raw.start, raw.start + len(raw.rows)])
        if lo == hi:
            continue
        text = stripped(resolve(raw.data, table, m).columns[column])
        if column in m.blank_means:
            text = text.where(text != "", m.blank_means[column])
        out[order[lo:hi]] = text.to_numpy(dtype=object)[sorted_pos[lo:hi] - raw.start]
    return out
