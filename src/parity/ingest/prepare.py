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
from parity.contract.codes import AGE_BAND_EDGES, AGE_BANDS, MEDICAL_STAFF_GROUP, NOT_KNOWN, STAFF_GROUPS
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
from parity.ingest.parse import map_distinct, parse_column
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
from parity.ingest.readers import read_raw, release_memory
from parity.ingest.rows import structural_exclusions
from parity.ingest.xlsx import CODE_FORMULA

DEFAULT_ORG = "ORG"


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
    file = Path(path).name
    limits = limits or DEFAULT
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
        raw = read_raw(path, sheet=sheet, expected=expected, limits=limits)
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
    n = len(raw.data)
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
    return _prepare_rows(report, table, m, raw, resolved, year, org, unknown_as_not_stated, decimal)


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


def stripped(series: pd.Series) -> pd.Series:
    """`series` as text without surrounding spaces; the column itself (no copy) when nothing needs stripping."""
    s = series.astype(str).reset_index(drop=True)
    out = s.str.strip()
    return s if out.equals(s) else out


def _prepare_rows(report, table, m, raw, resolved, year, org, unknown_as_not_stated, decimal=".") -> Prepared:
    n = len(raw.data)
    text = {c: stripped(s) for c, s in resolved.columns.items()}
    ids = [text[c.name] for c in table.columns if c.kind == "id" and c.name in text]
    reason, structural = structural_exclusions(raw.data.reset_index(drop=True), raw.rows, ids)
    if not table.open_columns:  # the source columns are not needed again: let the unused ones go
        raw.data = raw.data.iloc[:0]
    active = pd.isna(pd.Series(reason)).to_numpy()
    blank_notes = []
    for name, fill in m.blank_means.items():
        if name in text:
            blank = text[name] == ""
            text[name] = text[name].where(~blank, fill)
            if (n_blank := int((blank.to_numpy() & active).sum())):
                blank_notes.append(Problem(report.file, None, name, None, f"{n_blank} row(s) had a blank {name}; "
                                           f"read as {fill!r} ({m.source}).", WARNING, "blank_read_as"))
    parsed = {}
    for col in table.columns:
        if col.name in text:
            parsed[col.name] = parse_column(text[col.name], col.kind, col.name, required=col.required,
                                            values=m.values.get(col.name), decimal=decimal)
    # one frame built at once; the parsed columns let go of their copies (memory, issue 19)
    values = pd.DataFrame({name: p.values for name, p in parsed.items()}, index=pd.RangeIndex(n))
    for p in parsed.values():
        p.values = None
    release_memory()
    ctx = rules.Context(report.file, table, values, text, raw.rows, active, year)
    parts, summary = [structural], blank_notes
    if m.unmapped_medical_grade and "pay_band" in parsed and "staff_group" in values:
        p = parsed["pay_band"]  # ESR: any other grade in staff group 01 is "other medical"
        fix = p.bad & values["staff_group"].eq(MEDICAL_STAFF_GROUP).to_numpy()
        values.loc[fix, "pay_band"] = m.unmapped_medical_grade
        p.error_code[fix] = None
        if (fix & active).any():  # said, never silent: a grade we do not know may be a trainee grade
            seen = text["pay_band"][fix & active].replace("", "(blank)").value_counts()
            summary.append(Problem(report.file, None, "pay_band", None,
                                   f"{int(seen.sum())} row(s) in staff group 01 had grades we do not know "
                                   f"({', '.join(f'{v!r} × {k}' for v, k in seen.head(10).items())}); stored as "
                                   f"{m.unmapped_medical_grade}. Map any trainee, career or consultant grade "
                                   "among them under values: pay_band.", WARNING, "medical_grade_fallback"))
    if unknown_as_not_stated and "ethnic_category" in parsed:
        p = parsed["ethnic_category"]
        unk = (p.error_code == "unknown_ethnicity").to_numpy()
        if (unk & active).any():
            seen = text["ethnic_category"][unk & active].value_counts()
            summary.append(Problem(report.file, None, "ethnic_category", None,
                                   f"{int(seen.sum())} row(s) had ethnicity values we do not know "
                                   f"({', '.join(repr(v) for v in seen.index[:10])}); stored as 99 (not known) "
                                   "because of --unknown-as-not-stated.", WARNING, "unknown_ethnicity_as_99"))
        values.loc[unk, "ethnic_category"] = NOT_KNOWN
        p.error_code[unk] = None
    for name, p in parsed.items():
        bad = p.bad
        if bad.any():
            codes = p.error_code[bad & active]
            for code in codes.unique():
                parts.append(rules.issues(ctx, bad & (p.error_code == code).to_numpy(), name, p.message, code))
    if "sex" in text:  # rare in HR systems, so worth a look; stored as unknown, never blocks
        parts.append(rules.issues(ctx, (text["sex"] == "").to_numpy(), "sex",
                                  "sex is blank; stored as unknown.", "blank_sex", WARNING))
    _fill_defaults(values, table, org)
    parts += rules.check_ranges(ctx) + rules.check_recruitment(ctx) + rules.check_basis(ctx)
    period_issues, period_summary = rules.check_period(ctx)
    parts += period_issues
    key_ok = np.ones(n, dtype=bool)
    for k in table.key:
        if k in parsed:
            key_ok &= ~parsed[k].bad
    parts += rules.check_duplicate_keys(ctx, key_ok)
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
    summary += period_summary + rules.summary_warnings(ctx, accepted)
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


def normalise_org(code: str) -> str:
    """Organisation (ODS) codes are upper case without spaces: ` r0a ` and `R 0A` are `R0A` (issue 12.7)."""
    return "".join(str(code).split()).upper()


def _fill_defaults(values: pd.DataFrame, table: schema.Table, org: str | None) -> None:
    """org_code from --org; optional columns' defaults; ``clinical`` derived from staff group."""
    org_value = normalise_org(org or DEFAULT_ORG)
    if "org_code" in values:
        codes = values["org_code"].where(values["org_code"].notna(), org_value)
        values["org_code"] = map_distinct(codes, normalise_org)
    else:
        values["org_code"] = org_value
    for col in table.columns:
        if col.name not in values:
            values[col.name] = pd.Series([col.default] * len(values), dtype=object)
        elif col.default is not None:
            values[col.name] = values[col.name].where(values[col.name].notna(), col.default)
    if table.name == "training" and "course_id" in values and "course" in values:  # issue 12.6
        values["course_id"] = values["course_id"].where(values["course_id"].notna(), values["course"])
    if "clinical" in values and "staff_group" in values:
        derived = values["staff_group"].map({k: v[1] for k, v in STAFF_GROUPS.items()})
        values["clinical"] = values["clinical"].where(values["clinical"].notna(), derived)
    if "date_of_birth" in values and "age_band" in values and "snapshot_date" in values:
        derived = age_band_at(values["date_of_birth"], values["snapshot_date"])
        values["age_band"] = values["age_band"].where(values["age_band"].notna(), derived)
        values["date_of_birth"] = None  # read to derive the band, never stored (docs/data-contract.md)


def age_band_at(born: pd.Series, on: pd.Series) -> pd.Series:
    """ESR age band (`codes.AGE_BANDS`) of someone born on `born` at date `on`; None when either is missing."""
    b, d = pd.to_datetime(born, errors="coerce"), pd.to_datetime(on, errors="coerce")
    birthday_passed = (d.dt.month > b.dt.month) | ((d.dt.month == b.dt.month) & (d.dt.day >= b.dt.day))
    age = d.dt.year - b.dt.year - (~birthday_passed).astype(int)
    band = np.searchsorted(np.array(AGE_BAND_EDGES), age.fillna(0).to_numpy(), side="right")
    out = pd.Series(np.array(AGE_BANDS, dtype=object)[band], index=born.index, dtype=object)
    return out.where(b.notna() & d.notna(), None)


def _to_problems(file: str, issues: pd.DataFrame, rows: np.ndarray) -> list[Problem]:
    if not len(issues):
        return []
    issues = issues.assign(row=rows[issues["pos"].to_numpy(dtype=int)]).sort_values(["row", "severity"], kind="stable")
    return [Problem(file, int(r), c, None if pd.isna(v) else str(v), msg, s, code)
            for r, c, v, msg, s, code in zip(issues["row"], issues["column"], issues["value"], issues["message"],
                                             issues["severity"], issues["code"], strict=True)]
