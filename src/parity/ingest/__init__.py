"""Ingest: turn an HR extract (CSV, XLSX, Parquet) into canonical tables in a workspace.

read (`readers`) → map columns (`mapping`) → skip non-data rows (`rows`) → parse values (`parse`,
`vocab`) → check rules (`validate`) → pseudonymise and store atomically (`pseudonymise`, `load`).
`validate_file` stops before storage. Every problem names the file, row, column and value and says
how to fix it; the reconciliation (rows read = accepted + excluded by reason) always adds up.

>>> from parity.workspace import Workspace, WorkspaceError
>>> from parity.ingest import import_file
>>> result = import_file(Workspace.open("ws"), "staff.csv", "workforce", preset="esr-staff-in-post")  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from parity.ingest.limits import LimitExceeded, Limits
from parity.ingest.mapping import Mapping, load_mapping, load_preset, preset_names
from parity.ingest.prepare import DEFAULT_ORG, prepare
from parity.ingest.problems import ERROR, ImportResult, Problem, ValidationReport
from parity.workspace import Workspace, WorkspaceError

__all__ = ["ImportResult", "LimitExceeded", "Limits", "Mapping", "Problem", "ValidationReport", "import_file", "load_mapping",
           "load_preset", "preset_names", "validate_file"]


def validate_file(path, table: str, *, mapping=None, preset: str | None = None, sheet: str | None = None,
                  year: int | None = None, unknown_as_not_stated: bool = False,
                  limits: Limits | None = None, snapshot_date: str | None = None,
                  detect: bool = True, decimal: str = ".", values: dict | None = None) -> ValidationReport:
    """Check `path` as canonical `table` without storing anything (reading within `limits`).

    With neither `mapping` nor `preset`, a known layout is recognised from its headings (`detect`;
    the report says which preset was used). `snapshot_date` fills a snapshot date the file lacks;
    `decimal` is the decimal mark of numbers ("." or ","); `values` adds value mappings (per canonical
    column: source value → code) to whichever mapping is used (the web's mapped unknown values).
    """
    return prepare(path, table, mapping=mapping, preset=preset, sheet=sheet, year=year,
                   unknown_as_not_stated=unknown_as_not_stated, limits=limits, snapshot_date=snapshot_date,
                   detect=detect, decimal=decimal, values=values).report


def file_sha256(path: Path, block: int = 1 << 20) -> str:
    """SHA-256 of a file read in blocks (the import log's ``content_sha256``), never the whole file at once."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(block):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(ws: Workspace | str | Path, path, table: str, *, mapping=None, preset: str | None = None,
                sheet: str | None = None, org: str | None = None, year: int | None = None,
                unknown_as_not_stated: bool = False, exclude_invalid: bool = False,
                limits: Limits | None = None, snapshot_date: str | None = None,
                detect: bool = True, decimal: str = ".", values: dict | None = None) -> ImportResult:
    """Validate `path` and, unless errors block it, store its accepted rows in workspace `ws`.

    Strict by default: any error means nothing is imported. With ``exclude_invalid`` rows with
    row-level errors are left out (and counted by reason); file-level errors always block.
    """
    from parity.ingest.load import store

    if not isinstance(ws, Workspace):
        ws = Workspace.open(ws)
    prep = prepare(path, table, mapping=mapping, preset=preset, sheet=sheet, year=year, org=org,
                   unknown_as_not_stated=unknown_as_not_stated, limits=limits, snapshot_date=snapshot_date,
                   detect=detect, decimal=decimal, values=values)
    rep = prep.report
    result = ImportResult(**{k: getattr(rep, k) for k in (
        "file", "table", "problems", "rows_read", "rows_accepted", "excluded_by_reason", "dropped_columns",
        "unused_columns", "detected_preset", "sheet", "lines")})
    if rep.file_errors or (rep.errors and not exclude_invalid):
        return result
    if prep.frame is None or len(prep.frame) == 0:
        result.problems.append(Problem(rep.file, None, None, None, "No rows left to import.", ERROR, "no_rows"))
        return result
    orgs = sorted(map(str, prep.frame["org_code"].dropna().unique()))
    log = {"file_name": rep.file, "content_sha256": file_sha256(Path(path)),
           "org_code": ", ".join(orgs) or (org or DEFAULT_ORG), "rows_read": rep.rows_read,
           "rows_accepted": rep.rows_accepted, "rows_excluded": rep.rows_excluded,
           "excluded_by_reason": rep.excluded_by_reason}
    try:
        result.import_id, result.rows_stored, result.replaced_rows, result.replaced_scope = store(
            ws, prep.frame, prep.table, questions=prep.questions, log=log, year=year)
    except Exception as exc:
        # the file was read: the exception carries its reconciliation, so callers never report "read 0"
        code = "workspace" if isinstance(exc, WorkspaceError) else "storage_failed"
        result.problems.append(Problem(rep.file, None, None, None, str(exc), ERROR, code))
        exc.report = result
        raise
    result.imported = True
    return result
