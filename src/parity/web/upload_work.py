"""The work of an upload job, as run inside the limited child process (see `runner`).

Each function takes and returns plain data (paths as strings, dicts), so it can cross the process
boundary. The validation is the CLI's own (`parity.ingest.prepare`) plus one check of ours: every
row belongs to the organisation the analyst is uploading for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# loaded once in the forkserver (runner.PRELOAD), not in every job
import pandas  # noqa: F401
import pyarrow.compute  # noqa: F401
import pyarrow.csv  # noqa: F401 — the readers import these lazily; in a child under RLIMIT_AS that can fail to map

import parity.ingest  # noqa: F401
import parity.ingest.prepare  # noqa: F401

OTHER_ORG = ("This file has rows for other organisations ({others}); you are uploading for {org}. Upload "
             "each organisation's rows on its own page, or remove the other rows.")

#: how an allocation failure shows in a library's error text (Python, Arrow, C++, the C library, and
#: the loader when a module imported under RLIMIT_AS cannot map its code)
MEMORY_SIGNS = ("MemoryError", "bad_alloc", "Cannot allocate memory", "Out of Memory",
                "failed to map segment from shared object")


def _limit_kwargs(limits: dict[str, Any] | None) -> dict[str, Any]:
    from parity.ingest.limits import Limits

    return {} if limits is None else {"limits": Limits(**limits)}


def validate(*, path: str, table: str, org: str, preset: str | None, mapping: str | None,
             limits: dict[str, Any] | None = None, values: dict | None = None) -> dict[str, Any]:
    """The validation report of `path` as canonical `table` (docs/ingest.md), as a dict; `values` are
    the organisation's saved value mappings (`value_maps`)."""
    from parity.ingest.prepare import prepare
    from parity.ingest.problems import ERROR, Problem

    prep = prepare(Path(path), table, mapping=mapping, preset=preset, org=org, values=values or None,
                   **_limit_kwargs(limits))
    report = prep.report
    _reraise_memory(report)
    if prep.frame is not None and "org_code" in prep.frame:
        others = sorted(set(prep.frame["org_code"].dropna()) - {org})
        if others:
            report.problems.insert(0, Problem(report.file, None, "org_code", ", ".join(others),
                                              OTHER_ORG.format(others=", ".join(others), org=org), ERROR,
                                              "other_organisation"))
    out = report.to_dict()
    out["file_errors"] = len(report.file_errors)
    return out


def _reraise_memory(report) -> None:
    """The readers turn any library failure into "could not read"; under RLIMIT_AS that is the limit."""
    for problem in report.problems:
        if problem.row is None and any(sign in problem.message for sign in MEMORY_SIGNS):
            raise MemoryError(problem.message)


def import_(*, workspace: str, path: str, table: str, org: str, preset: str | None, mapping: str | None,
            exclude_invalid: bool, limits: dict[str, Any] | None = None, values: dict | None = None) -> dict[str, Any]:
    """Import `path` into the workspace; the result summary the page shows (no row-level values)."""
    from parity.ingest import import_file
    from parity.workspace import Workspace

    result = import_file(Workspace.open(workspace, create=False), Path(path), table, preset=preset,
                         mapping=mapping, org=org, exclude_invalid=exclude_invalid, values=values or None,
                         **_limit_kwargs(limits))
    _reraise_memory(result)
    full = result.to_dict()
    return {"imported": bool(result.imported), "table": full.get("table", table),
            "rows_accepted": full.get("rows_accepted"), "import_id": full.get("import_id"),
            "replaced_rows": full.get("replaced_rows"),
            "problems": [{"severity": p.get("severity"), "message": p.get("message")}
                         for p in full.get("problems", []) if p.get("severity") == "error"][:50]}
