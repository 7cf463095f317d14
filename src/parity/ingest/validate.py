"""Row and table rules applied after parsing (docs/ingest.md "Validation rules").

Each rule is a function of a `Context` returning issues as a DataFrame (one row per problem row:
``pos``, ``column``, ``value``, ``message``, ``severity``, ``code``) or summary `Problem`s with no row.
All rules are vectorised; only the problem rows are ever turned into Python objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from parity.contract.codes import UNKNOWN_CODES
from parity.contract.schema import Table
from parity.ingest import groups, objects
from parity.ingest.problems import ERROR, WARNING, Problem

UNKNOWN_SHARE_LIMIT = 0.05
#: (column, low, high, low inclusive?) — impossible values; None = unbounded
RANGES = {
    "fte": (0, 2, False),
    "ordinary_pay": (0, None, True),
    "bonus_12m": (0, None, True),
    "hourly_rate": (0, None, True),
    "weekly_hours": (0, 100, False),
    "pay_period_days": (0, None, False),
    "responses": (0, None, True),
    "positive": (0, None, True),
    "percent": (0, 100, True),
}
ISSUE_COLUMNS = ["pos", "column", "value", "message", "severity", "code"]


@dataclass
class Context:
    file: str
    table: Table
    values: pd.DataFrame  # parsed canonical columns, positional index
    text: dict[str, pd.Series]  # stripped source text per canonical column
    rows: np.ndarray  # user-visible row numbers
    active: np.ndarray  # rows not already excluded as blank / total / duplicate rows
    year: int | None = None


def issues(ctx: Context, mask: np.ndarray, column: str, message, code: str, severity: str = ERROR) -> pd.DataFrame:
    """Issues for the active rows in `mask`; `message` is a string or a per-row Series."""
    pos = np.flatnonzero(np.asarray(mask, dtype=bool) & ctx.active)
    text = ctx.text.get(column)
    value = text.iloc[pos].to_numpy() if text is not None else np.full(len(pos), None)
    msg = message.iloc[pos].to_numpy() if isinstance(message, pd.Series) else message
    return pd.DataFrame({"pos": pos, "column": column, "value": value, "message": msg,
                         "severity": severity, "code": code}, columns=ISSUE_COLUMNS)


def _num(ctx: Context, col: str) -> pd.Series:
    return pd.to_numeric(ctx.values[col], errors="coerce")


def check_ranges(ctx: Context) -> list[pd.DataFrame]:
    """Impossible values: fte ≤ 0 or > 2, negative pay or bonus, weekly hours ≤ 0 or > 100, …"""
    out = []
    for col, (low, high, low_incl) in RANGES.items():
        if col not in ctx.values:
            continue
        v = _num(ctx, col)
        bad = (v < low) if low_incl else (v <= low)
        if high is not None:
            bad = bad | (v > high)
        rng = f"{'at least' if low_incl else 'more than'} {low}" + (f" and at most {high}" if high else "")
        out.append(issues(ctx, bad.fillna(False).to_numpy(), col,
                          f"{col} must be {rng}; fix the value or exclude the row.", "out_of_range"))
    if {"positive", "responses"} <= set(ctx.values):
        bad = (_num(ctx, "positive") > _num(ctx, "responses")).fillna(False).to_numpy()
        out.append(issues(ctx, bad, "positive", "positive is larger than responses.", "out_of_range"))
    return out


def check_basis(ctx: Context) -> list[pd.DataFrame]:
    """Each row needs every column of at least one of the table's `one_of` sets (pay: an hourly
    rate, or ordinary pay + period days + weekly hours). Rows whose `basis_exempt` column is False
    (pay: not on full pay) need none: their hourly rate is never used (docs/pay-gaps.md)."""
    t = ctx.table
    if not t.one_of:
        return []
    ok = np.zeros(len(ctx.values), dtype=bool)
    for alt in t.one_of:
        if all(c in ctx.values for c in alt):
            ok |= np.logical_and.reduce([ctx.values[c].notna().to_numpy() for c in alt])
    if t.basis_exempt and t.basis_exempt in ctx.values:
        ok |= ctx.values[t.basis_exempt].eq(False).to_numpy()
    # a blank value that is already an error elsewhere (e.g. not a number) is reported there only
    parsed_bad = np.zeros(len(ctx.values), dtype=bool)
    for alt in t.one_of:
        for c in alt:
            if c in ctx.text:
                parsed_bad |= (ctx.text[c] != "").to_numpy() & ctx.values[c].isna().to_numpy()
    need = " or ".join(" + ".join(alt) for alt in t.one_of)
    column = t.one_of[0][0]
    msg = (f"No basis for an hourly rate: give {need}"
           + (f" (rows with {t.basis_exempt} false need neither)" if t.basis_exempt else "") + ".")
    return [issues(ctx, ~ok & ~parsed_bad, column, msg, "no_hourly_basis")]


def financial_year(year: int) -> tuple[dt.date, dt.date]:
    """Reporting year Y runs 1 April Y-1 to 31 March Y."""
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


def check_period(ctx: Context) -> tuple[list[pd.DataFrame], pd.Series | None]:
    """Event dates outside the reporting year are errors; snapshot dates not 31 March are warnings
    (returned as rows per such date, worded by `parity.ingest.tally.Tallies.snapshot_warnings`)."""
    col = ctx.table.period_column
    if col is None or col not in ctx.values:
        return [], None
    codes, uniques = objects.factorize(ctx.values[col])  # a few distinct dates: parse each once
    parsed = pd.to_datetime(pd.Series(uniques, dtype=object), errors="coerce").to_numpy(dtype="datetime64[ns]")
    dates = pd.Series(np.append(parsed, np.datetime64("NaT", "ns"))[codes])  # code -1 (missing) → NaT
    if ctx.table.snapshot:
        odd = dates.notna() & ~((dates.dt.month == 3) & (dates.dt.day == 31))
        if ctx.year:
            odd = odd | (dates.notna() & (dates.dt.year != ctx.year))
        odd = odd.to_numpy() & ctx.active
        return [], pd.Series(dates[odd]).dt.date.value_counts().sort_index()
    if not ctx.year:
        return [], None
    start, end = financial_year(ctx.year)
    outside = (dates.notna() & ((dates < pd.Timestamp(start)) | (dates > pd.Timestamp(end)))).to_numpy()
    msg = (f"{col} is outside reporting year {ctx.year} ({start:%d/%m/%Y} to {end:%d/%m/%Y}); "
           "remove the row or check --year.")
    return [issues(ctx, outside, col, msg, "outside_year")], None


def check_recruitment(ctx: Context) -> list[pd.DataFrame]:
    """Appointed without being shortlisted is an error; appointed but offered false a warning."""
    v = ctx.values
    if "appointed" not in v:
        return []
    appointed = v["appointed"].eq(True).to_numpy()
    out = []
    if "shortlisted" in v:
        out.append(issues(ctx, appointed & v["shortlisted"].eq(False).to_numpy(), "appointed",
                          "Appointed but not shortlisted; every appointment must come from shortlisting "
                          "(WRES indicator 2). Correct shortlisted or appointed.", "appointed_not_shortlisted"))
    if "offered" in v:
        out.append(issues(ctx, appointed & v["offered"].eq(False).to_numpy(), "offered",
                          "Appointed but offered is false; check the offer column.",
                          "appointed_not_offered", WARNING))
    return out


def repeated(values: pd.DataFrame, columns: list[str], among: np.ndarray) -> np.ndarray:
    """Rows in `among` whose `columns` (missing counts as a value) equal another such row's.

    Refines integer group ids column by column over the rows still sharing values with another
    (`parity.ingest.groups`), never a text copy of the columns (memory and speed, issue 19)."""
    pos, _ = groups.shared([values[c] for c in columns], among)
    out = np.zeros(len(values), dtype=bool)
    out[pos] = True
    return out


def check_duplicate_keys(ctx: Context, valid: np.ndarray) -> list[pd.DataFrame]:
    """Rows sharing the table key (a re-import would replace one with the other): error on each."""
    key = list(ctx.table.key)
    dup_all = repeated(ctx.values, key, ctx.active & valid)
    if not dup_all.any():
        return []
    d = ctx.values.loc[dup_all, key].astype(str)
    d["_row"] = ctx.rows[dup_all]
    msg = d.groupby(key, dropna=False, sort=False)["_row"].transform(lambda r: duplicate_key_message(key, r.to_numpy()))
    mask = np.zeros(len(ctx.values), dtype=bool)
    mask[d.index.to_numpy()] = True
    full_msg = pd.Series(None, index=ctx.values.index, dtype=object)
    full_msg.iloc[d.index.to_numpy()] = msg.to_numpy()
    id_col = next((c for c in key if c in ctx.text), key[-1])
    return [issues(ctx, mask, id_col, full_msg, "duplicate_key")]


def duplicate_key_message(key: list[str], rows: np.ndarray) -> str:
    """The message for each of the rows (numbers `rows`, in order) that share a key."""
    listed = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
    return f"Rows {listed} have the same {', '.join(key)}; each row needs a unique key. Remove the duplicates."


def unknown_share_warning(file: str, unknown: int, accepted: int) -> list[Problem]:
    """A warning when more than 5% of the accepted rows have unknown or not-stated ethnicity."""
    share = unknown / accepted if accepted else 0
    if share <= UNKNOWN_SHARE_LIMIT:
        return []
    return [Problem(file, None, "ethnic_category", None,
                    f"{share:.1%} of rows ({unknown} of {accepted}) have unknown or "
                    f"not-stated ethnicity (more than {UNKNOWN_SHARE_LIMIT:.0%}); results for "
                    "White and BME groups will be less reliable.", WARNING, "unknown_ethnicity_share")]


def two_primaries_warning(file: str, rows: np.ndarray) -> Problem:
    """The warning for one person with several primary assignments in a snapshot (their `rows`)."""
    listed = ", ".join(map(str, rows[:10]))
    return Problem(file, int(rows[0]), "primary_assignment", None,
                   f"One person has {len(rows)} primary assignments in one snapshot (rows {listed}); "
                   "headcounts use the primary assignment, so fix the flag.", WARNING, "two_primary_assignments")


PRIMARY_WHO = ["org_code", "snapshot_date", "person_id"]


def summary_warnings(ctx: Context, accepted: np.ndarray) -> list[Problem]:
    """Warnings that never block: unknown ethnicity share, two primary assignments."""
    out = []
    v = ctx.values
    if "ethnic_category" in v and accepted.any():
        unknown = objects.per_row(v["ethnic_category"], lambda s: s.isin(UNKNOWN_CODES)) & accepted
        out += unknown_share_warning(ctx.file, int(unknown.sum()), int(accepted.sum()))
    if ctx.table.name == "workforce" and "primary_assignment" in v:
        prim = objects.per_row(v["primary_assignment"], lambda s: s.eq(True)) & accepted
        same = repeated(v, PRIMARY_WHO, prim)
        multi = v.loc[same, PRIMARY_WHO].astype(str)
        multi["_row"] = ctx.rows[same]
        for _, g in multi.groupby(PRIMARY_WHO, sort=False)["_row"]:
            out.append(two_primaries_warning(ctx.file, g.to_numpy()))
    return out


def to_problems(file: str, issues: pd.DataFrame) -> list[Problem]:
    """Row issues (with their file ``row`` numbers) as `Problem`s in row order (errors first in a row)."""
    if not len(issues):
        return []
    issues = issues.sort_values(["row", "severity"], kind="stable")
    return [Problem(file, int(r), c, None if pd.isna(v) else str(v), msg, s, code)
            for r, c, v, msg, s, code in zip(issues["row"], issues["column"], issues["value"], issues["message"],
                                             issues["severity"], issues["code"], strict=True)]
