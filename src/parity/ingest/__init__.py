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

import contextlib
import hashlib
from pathlib import Path

import numpy as np

from parity.contract import schema
from parity.ingest.chunks import CHUNK_ROWS, WHOLE_ROWS, NotPlain, plan
from parity.ingest.limits import DEFAULT, LimitExceeded, Limits
from parity.ingest.mapping import Mapping, load_mapping, load_preset, preset_names
from parity.ingest.prepare import DEFAULT_ORG, Prepared, open_file, prepare
from parity.ingest.problems import ERROR, ImportResult, Problem, ValidationReport
from parity.workspace import Workspace, WorkspaceError

__all__ = ["ImportResult", "LimitExceeded", "Limits", "Mapping", "Problem", "ValidationReport", "import_file", "load_mapping",
           "load_preset", "preset_names", "validate_file"]


def validate_file(path, table: str, *, mapping=None, preset: str | None = None, sheet: str | None = None,
                  year: int | None = None, unknown_as_not_stated: bool = False,
                  limits: Limits | None = None, snapshot_date: str | None = None,
                  detect: bool = True, decimal: str = ".", values: dict | None = None,
                  chunk_rows: int | None = None) -> ValidationReport:
    """Check `path` as canonical `table` without storing anything (reading within `limits`).

    With neither `mapping` nor `preset`, a known layout is recognised from its headings (`detect`;
    the report says which preset was used). `snapshot_date` fills a snapshot date the file lacks;
    `decimal` is the decimal mark of numbers ("." or ","); `values` adds value mappings (per canonical
    column: source value → code) to whichever mapping is used (the web's mapped unknown values).
    A Parquet or plain CSV file of more than `WHOLE_ROWS` rows is read and checked a chunk
    (`CHUNK_ROWS`) at a time, with the same report as at once; `chunk_rows` sets both (tests).
    """
    kwargs = dict(mapping=mapping, preset=preset, year=year, unknown_as_not_stated=unknown_as_not_stated,
                  snapshot_date=snapshot_date, detect=detect, decimal=decimal, values=values)
    source = plan(path, sheet=sheet, limits=limits or DEFAULT, chunk_rows=chunk_rows or CHUNK_ROWS,
                  whole_rows=chunk_rows or WHOLE_ROWS)
    if source is not None:  # a large Parquet or plain CSV: a chunk at a time (docs/ingest.md "Speed")
        with contextlib.suppress(NotPlain):
            return _chunked(path, table, source, limits=limits or DEFAULT, exclude_invalid=False, **kwargs).report
    return prepare(path, table, sheet=sheet, limits=limits, **kwargs).report


def _chunked(path, table: str, source, *, limits: Limits, exclude_invalid: bool, org: str | None = None,
             sink=None, **kwargs):
    """Validate `path` a chunk at a time (`parity.ingest.chunked`); a file-level problem stops at the start."""
    from parity.ingest.chunked import Outcome, run

    opened = open_file(path, table, mapping=kwargs["mapping"], preset=kwargs["preset"],
                       snapshot_date=kwargs["snapshot_date"], detect=kwargs["detect"], values=kwargs["values"],
                       limits=limits, read=source.first)
    if isinstance(opened, Prepared):
        return Outcome(opened.report, np.empty(0, dtype=np.int64), blocked=True)
    report, tbl, m, raw = opened[:4]
    del opened  # the first chunk's text columns are resolved again, chunk by chunk
    return run(report, tbl, m, source, raw, year=kwargs["year"], org=org, decimal=kwargs["decimal"],
               unknown_as_not_stated=kwargs["unknown_as_not_stated"], exclude_invalid=exclude_invalid, sink=sink)


def file_sha256(path: Path, block: int = 1 << 20) -> str:
    """SHA-256 of a file read in blocks (the import log's ``content_sha256``), never the whole file at once."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(block):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256_meanwhile(path: Path):
    """`file_sha256` of `path` computed on another thread while the file is checked (hashlib lets go
    of the GIL for each block, so it runs on the second core: issue 19, wall time); returns a
    function giving the digest. Only for a regular file (never a pipe the reader needs)."""
    if not path.is_file():
        return lambda: file_sha256(path)
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(1, thread_name_prefix="parity-sha256")
    future = pool.submit(file_sha256, path)
    pool.shutdown(wait=False)
    return future.result


def import_file(ws: Workspace | str | Path, path, table: str, *, mapping=None, preset: str | None = None,
                sheet: str | None = None, org: str | None = None, year: int | None = None,
                unknown_as_not_stated: bool = False, exclude_invalid: bool = False,
                limits: Limits | None = None, snapshot_date: str | None = None,
                detect: bool = True, decimal: str = ".", values: dict | None = None,
                chunk_rows: int | None = None) -> ImportResult:
    """Validate `path` and, unless errors block it, store its accepted rows in workspace `ws`.

    Strict by default: any error means nothing is imported. With ``exclude_invalid`` rows with
    row-level errors are left out (and counted by reason); file-level errors always block.
    A Parquet or plain CSV file of more than `WHOLE_ROWS` rows (or `chunk_rows`) is read, checked
    and stored a chunk at a time in the one transaction (`parity.ingest.staging`).
    """
    from parity.ingest.load import store

    if not isinstance(ws, Workspace):
        ws = Workspace.open(ws)
    source = plan(path, sheet=sheet, limits=limits or DEFAULT, chunk_rows=chunk_rows or CHUNK_ROWS,
                  whole_rows=chunk_rows or WHOLE_ROWS)
    if source is not None:
        with contextlib.suppress(NotPlain):
            return _import_chunked(ws, path, table, source, mapping=mapping, preset=preset, org=org, year=year,
                                   unknown_as_not_stated=unknown_as_not_stated, exclude_invalid=exclude_invalid,
                                   limits=limits or DEFAULT, snapshot_date=snapshot_date, detect=detect,
                                   decimal=decimal, values=values)
    digest = _sha256_meanwhile(Path(path))
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
    log = {"file_name": rep.file, "content_sha256": digest(),
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


def _result(rep: ValidationReport) -> ImportResult:
    return ImportResult(**{k: getattr(rep, k) for k in (
        "file", "table", "problems", "rows_read", "rows_accepted", "excluded_by_reason", "dropped_columns",
        "unused_columns", "detected_preset", "sheet", "lines")})


def _import_chunked(ws: Workspace, path, table: str, source, *, exclude_invalid: bool, org, **kwargs) -> ImportResult:
    """`import_file` for a file read in chunks: each chunk's accepted rows are stored as it is checked,
    all inside one transaction that is rolled back unless the whole file may be imported."""
    from parity.ingest.staging import Staging

    staging = Staging(ws, schema.table(table), Path(path).name) if table in schema.TABLES else None
    try:
        out = _chunked(path, table, source, exclude_invalid=exclude_invalid, org=org,
                       sink=staging.add if staging else None, **kwargs)
        rep = out.report
        result = _result(rep)
        if rep.file_errors or (rep.errors and not exclude_invalid) or not rep.rows_accepted:
            if not rep.file_errors and not (rep.errors and not exclude_invalid):
                result.problems.append(Problem(rep.file, None, None, None, "No rows left to import.", ERROR,
                                               "no_rows"))
            staging.abort() if staging else None
            return result
        log = {"file_name": rep.file, "content_sha256": file_sha256(Path(path)), "org_code": org or DEFAULT_ORG,
               "rows_read": rep.rows_read, "rows_accepted": rep.rows_accepted, "rows_excluded": rep.rows_excluded,
               "excluded_by_reason": rep.excluded_by_reason}
        result.import_id, result.rows_stored, result.replaced_rows, result.replaced_scope = staging.finish(
            out.drop, log, kwargs["year"])
    except NotPlain:
        staging.abort() if staging else None
        raise
    except Exception as exc:
        staging.abort() if staging else None
        if "result" in locals():
            code = "workspace" if isinstance(exc, WorkspaceError) else "storage_failed"
            result.problems.append(Problem(rep.file, None, None, None, str(exc), ERROR, code))
            exc.report = result
        raise
    except BaseException:
        staging.abort() if staging else None
        raise
    result.imported = True
    return result
