"""Read → map → parse → validate one file, producing a report and the accepted canonical rows.

This is the whole of `validate_file`; `import_file` adds pseudonymisation and storage
(`parity.ingest.load`). File-level problems (unreadable, empty, wrong table, missing columns) stop
here with no rows accepted.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from parity.contract import schema
from parity.contract.lookup import normalise_label
from parity.ingest import validate as rules
from parity.ingest.detect import all_headings, detect_preset
from parity.ingest.limits import DEFAULT, LimitExceeded, Limits
from parity.ingest.mapping import (
    Mapping,
    best_other_table,
    expected_names,
    load_mapping,
    load_preset,
    resolve,
)
from parity.ingest.parse import parse_column
from parity.ingest.problems import (
    DUPLICATE_KEY,
    ERROR,
    INVALID_VALUE,
    MSG_MISSING,
    MSG_WRONG_TABLE,
    WARNING,
    FileProblem,
    Problem,
    ValidationReport,
    file_error,
)
from parity.ingest.readers import read_raw
from parity.ingest.rowcheck import DEFAULT_ORG, age_band_at, check_rows, normalise_org, stripped
from parity.ingest.xlsx import CODE_FORMULA

__all__ = ["DEFAULT_ORG", "Prepared", "age_band_at", "normalise_org", "open_file", "prepare", "stripped"]


@dataclass
class Prepared:
    report: ValidationReport
    table: schema.Table | None = None
    #: accepted rows, canonical columns (typed Python/pandas values); None after a file error
    frame: pd.DataFrame | None = None
    #: survey_responses: question columns (text) for the accepted rows
    questions: pd.DataFrame | None = None
    errors_mask: np.ndarray | None = None
    extra: dict = field(default_factory=dict)


def choose_mapping(file: str, mapping: str | Path | Mapping | None, preset: str | None,
                   limits: Limits = DEFAULT) -> Mapping:
    if mapping is not None and preset is not None:
        raise file_error(file, "Give either --mapping or --preset, not both.", "bad_mapping")
    if isinstance(mapping, Mapping):
        return mapping
    if mapping is not None:
        return load_mapping(mapping, limits)
    return load_preset(preset) if preset else Mapping()


def _missing_problems(file: str, columns: list[str], table: schema.Table, missing: list[str]) -> list[Problem]:
    hints = []
    for m in missing:
        close = difflib.get_close_matches(m, columns, n=2, cutoff=0.6) or difflib.get_close_matches(
            m.replace("_", " "), [c.lower() for c in columns], n=2, cutoff=0.6)
        if close:
            hints.append(f"{m} might be {' or '.join(repr(c) for c in close)}")
    hint = ("Closest names: " + "; ".join(hints) + ". ") if hints else ""
    out = [Problem(file, None, ", ".join(missing), None, MSG_MISSING.format(
        table=table.name, missing=", ".join(missing), found=", ".join(columns), hints=hint),
        ERROR, "missing_columns")]
    other = best_other_table(columns, table)
    if other:
        t, found, preset = other
        n_this = len(table.required) - len(missing)
        msg = MSG_WRONG_TABLE.format(other=t.name, table=table.name, n_other=f"{found}/{len(t.required)}",
                                     n_this=f"{n_this}/{len(table.required)}")
        if preset:
            msg += f" It matches the preset {preset!r}."
        out.append(Problem(file, None, None, None, msg, ERROR, "wrong_table"))
    return out


def prepare(path: str | Path, table_name: str, *, mapping=None, preset: str | None = None,
            sheet: str | None = None, year: int | None = None, org: str | None = None,
            unknown_as_not_stated: bool = False, limits: Limits | None = None,
            snapshot_date: str | None = None, detect: bool = True, decimal: str = ".",
            values: dict[str, dict[str, str]] | None = None) -> Prepared:
    limits = limits or DEFAULT
    opened = open_file(path, table_name, mapping=mapping, preset=preset, snapshot_date=snapshot_date,
                       detect=detect, values=values, limits=limits,
                       read=lambda expected: read_raw(path, sheet=sheet, expected=expected, limits=limits))
    if isinstance(opened, Prepared):
        return opened
    report, table, m, raw, resolved = opened
    return _prepare_rows(report, table, m, raw, resolved, year, org, unknown_as_not_stated, decimal)


def open_file(path, table_name: str, *, mapping, preset, snapshot_date, detect, values, limits: Limits, read):
    """Read the file (or its first chunk) with `read(expected names)` and settle the mapping.

    Returns (report, table, mapping, raw, resolved), or a `Prepared` holding only the report when a
    file-level problem stops everything (unknown table, bad mapping, unreadable, missing columns).
    """
    file = Path(path).name
    try:
        table = schema.table(table_name)
    except KeyError as exc:
        return Prepared(ValidationReport(file, table_name, [Problem(
            file, None, None, None, str(exc.args[0]), ERROR, "unknown_table")]))
    report = ValidationReport(file, table.name)
    try:
        m = choose_mapping(file, mapping, preset, limits)
        m.check(table)
        auto = detect and mapping is None and preset is None
        expected = expected_names(table, m) | (all_headings(table) if auto else set())
        raw = read(expected)
        report.sheet, report.lines = raw.sheet, raw.lines
        report.problems += raw.notes
        found = detect_preset(list(raw.data.columns), table) if auto else None
        if found:
            m = found.mapping
            report.detected_preset = found.preset
            report.problems.append(Problem(file, None, None, None, found.message, WARNING, "preset_detected"))
        if snapshot_date is not None:
            m = with_snapshot_date(file, table, m, raw.data, snapshot_date)
        if values:
            m = with_values(file, table, m, values)
    except (FileProblem, LimitExceeded) as exc:
        report.problems.append(exc.problem)
        return Prepared(report, table)
    n = getattr(raw, "total_rows", None) or len(raw.data)
    report.rows_read = n
    resolved = resolve(raw.data, table, m)
    if resolved.missing:
        report.problems += _missing_problems(file, list(raw.data.columns), table, resolved.missing)
        report.excluded_by_reason = {"file error": n}
        return Prepared(report, table)
    report.dropped_columns = resolved.dropped
    report.unused_columns = resolved.unused
    report.problems += [Problem(file, None, name, None, msg, WARNING, "mapped_column_absent")
                        for name, msg in resolved.absent
                        if not (name == "snapshot_date" and snapshot_date is not None)]  # given by the user
    return report, table, m, raw, resolved


def with_values(file: str, table: schema.Table, m: Mapping, values: dict[str, dict[str, str]]) -> Mapping:
    """`m` with more value mappings (per canonical column: source value → code); they win over the
    mapping's own for the same source value (the user chose them for this organisation's files)."""
    unknown = sorted(set(values) - set(table.names))
    if unknown:
        raise file_error(file, f"Value mappings name column(s) that table {table.name} does not have: "
                         f"{', '.join(unknown)}.", "bad_mapping")
    merged = {col: dict(v) for col, v in m.values.items()}
    for col, pairs in values.items():
        merged[col] = {**merged.get(col, {}), **{str(k): str(v) for k, v in pairs.items()}}
    return replace(m, values=merged)


def with_snapshot_date(file: str, table: schema.Table, m: Mapping, data: pd.DataFrame, value: str) -> Mapping:
    """`m` with ``snapshot_date`` defaulting to `value` (``--snapshot-date``): for extracts whose
    snapshot date was a report prompt, not a column. A file that has the column keeps it, so giving
    both is refused rather than one silently winning."""
    if "snapshot_date" not in table.names:
        raise file_error(file, f"--snapshot-date applies to snapshot tables (workforce, pay), not {table.name}.",
                         "bad_snapshot_date")
    have = {normalise_label(c) for c in data.columns}
    found = [c for c in m.candidates(table, "snapshot_date") if normalise_label(c) in have]
    if found:
        raise file_error(file, f"{file} has its own snapshot date column ({found[0]!r}); leave out "
                         "--snapshot-date, or remove the column.", "bad_snapshot_date", "snapshot_date")
    parsed = parse_column(pd.Series([value]), "date", "--snapshot-date")
    if parsed.bad.any():
        raise file_error(file, str(parsed.message.iloc[0]), "bad_snapshot_date", "snapshot_date")
    return replace(m, defaults={**m.defaults, "snapshot_date": str(parsed.values.iloc[0])})


def _prepare_rows(report, table, m, raw, resolved, year, org, unknown_as_not_stated, decimal=".") -> Prepared:
    n = len(raw.data)
    chk = check_rows(report.file, table, m, raw.data, raw.rows, resolved.columns, year=year, org=org,
                     unknown_as_not_stated=unknown_as_not_stated, decimal=decimal,
                     keep_source=bool(table.open_columns))
    ctx, reason, parts = chk.ctx, chk.reason, chk.parts
    values, active = ctx.values, ctx.active
    parts += rules.check_duplicate_keys(ctx, chk.key_ok)
    parts.append(_cell_issues(raw, table, m, resolved, active))
    issues = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else pd.DataFrame(columns=rules.ISSUE_COLUMNS)
    if raw.cell_issues and len(issues):  # a formula without a value is reported as such, not also as blank
        cells = issues[issues["code"] == CODE_FORMULA][["pos", "column"]].apply(tuple, axis=1)
        blank = (issues["code"] == "blank_value") & issues[["pos", "column"]].apply(tuple, axis=1).isin(set(cells))
        issues = issues[~blank].reset_index(drop=True)
    errs = issues[issues["severity"] == ERROR]
    error_mask = np.zeros(n, dtype=bool)
    error_mask[errs["pos"].to_numpy(dtype=int)] = True
    dupkey = np.zeros(n, dtype=bool)
    dupkey[errs.loc[errs["code"] == "duplicate_key", "pos"].to_numpy(dtype=int)] = True
    reason[error_mask & active] = INVALID_VALUE
    reason[dupkey & active] = DUPLICATE_KEY
    accepted = pd.isna(pd.Series(reason)).to_numpy()
    summary = (chk.tallies.before_rows(report.file, m)
               + chk.tallies.snapshot_warnings(report.file, str(table.period_column), year)
               + rules.summary_warnings(ctx, accepted))
    counts = pd.Series(reason[~accepted]).value_counts()
    report.excluded_by_reason = {str(k): int(v) for k, v in counts.items()}
    report.rows_accepted = int(accepted.sum())
    report.problems += _to_problems(report.file, issues, raw.rows) + summary
    questions = None
    if table.open_columns:
        questions = raw.data.reset_index(drop=True)[resolved.questions][accepted].reset_index(drop=True)
    frame = values if accepted.all() else values[accepted].reset_index(drop=True)
    return Prepared(report, table, frame, questions, error_mask)


ROW_CODES = {"swallowed_lines"}


def _cell_issues(raw, table, m, resolved, active: np.ndarray) -> pd.DataFrame:
    """Problems the reader found in single cells (XLSX formulas without values), for columns we use,
    named by canonical column."""
    canonical = {}
    for name in resolved.columns:
        for c in m.candidates(table, name):
            canonical.setdefault(normalise_label(c), name)
    # a swallowed-lines row is wrong whatever the column (an unclosed quote in a dropped column)
    got = [(int(np.searchsorted(raw.rows, r)), c if code in ROW_CODES else canonical.get(normalise_label(c)), v,
            msg, code) for r, c, v, msg, code in raw.cell_issues if c in resolved.used or code in ROW_CODES]
    got = [g for g in got if g[1] and g[0] < len(active) and active[g[0]]]
    return pd.DataFrame({"pos": [g[0] for g in got], "column": [g[1] for g in got], "value": [g[2] for g in got],
                         "message": [g[3] for g in got], "severity": ERROR, "code": [g[4] for g in got]},
                        columns=rules.ISSUE_COLUMNS)


def _to_problems(file: str, issues: pd.DataFrame, rows: np.ndarray) -> list[Problem]:
    if not len(issues):
        return []
    return rules.to_problems(file, issues.assign(row=rows[issues["pos"].to_numpy(dtype=int)]))
