"""Problems found in a file, and the reports that carry them.

Every problem names the file, the row as the user sees it (CSV header = row 1, XLSX sheet row
numbers), the column, the offending value and a plain-English message that says how to fix it.
Row-level errors can be excluded with ``--exclude-invalid``; file-level errors (``row is None``)
always block an import.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"

# Reasons a row is left out, as shown in the reconciliation (rows read = accepted + excluded).
BLANK_ROW = "blank row"
TOTAL_ROW = "total row"
DUPLICATE_ROW = "duplicate row"
DUPLICATE_KEY = "duplicate key"
INVALID_VALUE = "invalid value"

# Messages that tests assert on (kept as constants so wording changes are deliberate).
MSG_EMPTY = "The file has no data rows. Check you exported the right sheet or report."
MSG_UNREADABLE = "Could not read {file}: {reason}"
MSG_MISSING = (
    "Required column(s) missing for table {table}: {missing}. Columns found: {found}. {hints}"
    "Rename the columns or map them in a mapping file (columns: {{canonical_name: Your Column}})."
)
MSG_WRONG_TABLE = (
    "This file looks like a '{other}' file, not '{table}': it has {n_other} of the required columns "
    "of '{other}' but only {n_this} of '{table}'. Check --table."
)
MSG_UNKNOWN_ETHNICITY = (
    "{value!r} is not an NHS ethnic category code or a label we know; add it to your mapping "
    "under values: ethnic_category (or use --unknown-as-not-stated to store it as 99, not known)."
)


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: str = ERROR
    code: str = "invalid_value"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ValidationReport:
    """What validating one file found; the reconciliation counts describe the file."""

    file: str
    table: str
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    rows_accepted: int = 0
    excluded_by_reason: dict[str, int] = field(default_factory=dict)
    #: source columns that are not in the data contract and are never stored
    dropped_columns: list[str] = field(default_factory=list)
    #: source columns the mapping or preset knows (e.g. ESR's Org L3–L7) but the contract has no
    #: place for; never stored, listed apart from unknown columns
    unused_columns: list[str] = field(default_factory=list)
    #: the preset recognised from the headings when none was given (see `parity.ingest.detect`)
    detected_preset: str | None = None
    #: XLSX: the sheet that was read
    sheet: str | None = None
    #: CSV: physical lines in the file (header and title lines included)
    lines: int | None = None

    @property
    def rows_excluded(self) -> int:
        return sum(self.excluded_by_reason.values())

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def file_errors(self) -> list[Problem]:
        return [p for p in self.errors if p.row is None]

    @property
    def ok(self) -> bool:
        return not self.errors

    def problem_counts(self) -> dict[str, int]:
        return dict(Counter(p.code for p in self.problems))

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "table": self.table,
            "ok": self.ok,
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "rows_excluded": self.rows_excluded,
            "excluded_by_reason": dict(self.excluded_by_reason),
            "dropped_columns": list(self.dropped_columns),
            "unused_columns": list(self.unused_columns),
            "detected_preset": self.detected_preset,
            "sheet": self.sheet,
            "lines": self.lines,
            "n_errors": len(self.errors),
            "n_warnings": len(self.warnings),
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass
class ImportResult(ValidationReport):
    """A validation report plus what the import did. ``imported`` is False when errors blocked it."""

    imported: bool = False
    import_id: int | None = None
    #: rows written to storage (survey_responses: one per response × question)
    rows_stored: int = 0
    replaced_rows: int = 0
    #: what the import covered and so replaced, in words (docs/ingest.md "Guarantees")
    replaced_scope: str = ""

    def to_dict(self) -> dict:
        out = super().to_dict()
        out.update(imported=self.imported, import_id=self.import_id, rows_stored=self.rows_stored,
                   replaced_rows=self.replaced_rows, replaced_scope=self.replaced_scope)
        return out


class FileProblem(Exception):
    """A file-level problem that stops reading (unreadable, empty, bad mapping)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def file_error(file: str, message: str, code: str, column: str | None = None) -> FileProblem:
    return FileProblem(Problem(file, None, column, None, message, ERROR, code))
