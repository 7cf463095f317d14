"""Unknown values mapped on the upload page, and saved for next time (issue 14).

When a check finds values it does not know (an ethnicity "Martian", a sex "Q"), the check's page asks
what each means, with a list of the codes that column takes. The answers are saved per organisation
and table in ``<workspace>/web-mappings/<org>/<table>.json`` (mode 0600) and applied to every later
upload of that table (merged into the column layout's own value mappings: `parity.ingest.prepare`
``values=``), so each value is asked about once. Nothing is guessed: a value left unanswered stays
an error.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from parity.contract.codes import (
    ASSIGNMENT_CATEGORIES,
    BOARD_ROLES,
    CHARACTERISTICS,
    ETHNIC_CATEGORIES,
    MEDICAL_GRADES,
    PAY_BANDS,
    STAFF_GROUPS,
)

FOLDER = "web-mappings"
ORG_CODE = re.compile(r"^[A-Z0-9]{2,10}$")
#: problem codes of a value the vocabulary does not know
UNKNOWN_CODES = ("unknown_code", "unknown_ethnicity")
#: at most this many distinct values are asked about at once (the rest after the next check)
MAX_ASKED = 40

_WORDS = {"female": "Female", "male": "Male", "other": "Other (non-binary, indeterminate)", "unknown": "Not known",
          "yes": "Yes", "no": "No", "fixed_term": "Fixed term", "non_executive": "Non-executive",
          "career_grade": "Career grade doctor", "medical_other": "Other medical grade", "VSM": "Very senior manager"}


def choices(kind: str) -> list[tuple[str, str]]:
    """The codes a column of `kind` takes, each with the words a user knows it by."""
    if kind == "ethnicity":
        return [(code, f"{code}: {label}") for code, (label, _group) in ETHNIC_CATEGORIES.items()]
    if kind in CHARACTERISTICS:  # sexual orientation, marital status, religion (issue 17)
        return [(code, label) for code, (label, _group) in CHARACTERISTICS[kind][0].items()]
    if kind == "staff_group":
        return [(code, f"{code}: {label}") for code, (label, _clinical) in STAFF_GROUPS.items()]
    if kind == "pay_band":
        return [(b, _WORDS.get(b) or (b.replace("_", " ").capitalize() if b in MEDICAL_GRADES else f"Band {b}"))
                for b in PAY_BANDS]
    codes = {"sex": ("female", "male", "other", "unknown"), "disability": ("yes", "no", "unknown"),
             "assignment_category": ASSIGNMENT_CATEGORIES, "board_role": BOARD_ROLES, "bool": ("yes", "no")}.get(kind)
    if codes is None:
        return []
    return [(c, _WORDS.get(c) or c.replace("_", " ").capitalize()) for c in codes]


def column_kind(table: str, column: str) -> str | None:
    from parity.contract.schema import TABLES

    found = [c for c in TABLES[table].columns if c.name == column] if table in TABLES else []
    return found[0].kind if found else None


def unknowns(report: dict) -> list[dict]:
    """The distinct unknown values of a check, with the codes each may be mapped to and the rows
    it was found in: ``[{"column", "value", "rows", "choices"}]`` (first `MAX_ASKED`)."""
    found: dict[tuple[str, str], int] = {}
    for p in report.get("problems", []):
        if p.get("code") in UNKNOWN_CODES and p.get("column") and p.get("value") is not None:
            key = (p["column"], str(p["value"]))
            found[key] = found.get(key, 0) + 1
    out = []
    for (column, value), rows in found.items():
        options = choices(column_kind(report["table"], column) or "")
        if options:
            out.append({"column": column, "value": value, "rows": rows, "choices": options})
    return out[:MAX_ASKED]


def path(workspace: Path, org: str, table: str) -> Path:
    from parity.contract.schema import TABLES

    if not ORG_CODE.match(org) or table not in TABLES:  # both name a file: never a path of their own
        raise ValueError(f"not an organisation code and table: {org!r}, {table!r}")
    return Path(workspace) / FOLDER / org / f"{table}.json"


def load(workspace: Path, org: str, table: str) -> dict[str, dict[str, str]]:
    """The saved value mappings of `org`'s `table` uploads (per canonical column: value → code)."""
    try:  # ValueError: a bad org or table (nothing saved for it), or a spoilt file
        data = json.loads(path(workspace, org, table).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(c): {str(k): str(v) for k, v in pairs.items()} for c, pairs in data.items() if isinstance(pairs, dict)}


def save(workspace: Path, org: str, table: str, answers: dict[str, dict[str, str]]) -> None:
    """Add `answers` to the saved mappings (an answer replaces an earlier one for the same value)."""
    merged = load(workspace, org, table)
    for column, pairs in answers.items():
        merged[column] = {**merged.get(column, {}), **pairs}
    target = path(workspace, org, table)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(merged, f, indent=1, sort_keys=True)
    os.replace(tmp, target)
