"""Shared test data: `Trust`, a hand-built set of canonical tables where every number is worked out by hand."""

from __future__ import annotations

import os

# One BLAS thread, as `import parity` sets for a program (issue 18): here pandas and Ibis load NumPy
# first, and OpenBLAS's thread pool made every protection in the suite several times slower.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

from datetime import date

import ibis
import pandas as pd
import pytest

from parity.contract.schema import TABLES


@pytest.fixture(autouse=True, scope="session")
def _private_key_store(tmp_path_factory):
    """One per-user key store for the session, never the developer's ~/.local/share/parity.

    Session-wide because session fixtures build workspaces that tests copy (a copy keeps its
    workspace id, so it finds the same key, as a real copy would).
    """
    saved = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "PARITY_KEY_FILE")}
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    os.environ.pop("PARITY_KEY_FILE", None)
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v

TYPES = {"id": "string", "str": "string", "date": "date", "bool": "boolean", "float": "float64",
         "int": "Int64", "ethnicity": "string", "sex": "string", "disability": "string",
         "pay_band": "string", "staff_group": "string", "assignment_category": "string", "board_role": "string",
         "religion": "string", "sexual_orientation": "string", "marital_status": "string", "unit": "string"}

DEFAULTS = {
    "workforce": dict(org_code="ORG", snapshot_date=date(2025, 3, 31), ethnic_category="A", sex="female",
                      disability="no", pay_band="5", staff_group="03", clinical=True,
                      assignment_category="permanent", primary_assignment=True, fte=1.0, age_band="31-35",
                      board_member=False, board_role=None, board_voting=None),
    "applications": dict(org_code="ORG", application_date=date(2024, 6, 1), ethnic_category="A", sex="female",
                         disability="no", shortlisted=True, interviewed=True, offered=False, appointed=False,
                         offer_declined=False, internal=False),
    "disciplinary": dict(org_code="ORG", case_start_date=date(2024, 6, 1), formal=True),
    "capability": dict(org_code="ORG", case_start_date=date(2024, 6, 1), formal=True, ill_health=False),
    "training": dict(org_code="ORG", course_date=date(2024, 6, 1), non_mandatory=True, course="Leadership"),
    "survey_results": dict(org_code="ORG"),
    "pay": dict(org_code="ORG", snapshot_date=date(2025, 3, 31), hourly_rate=None),
    "leavers": dict(org_code="ORG", reason=None),
}
IDS = {"applications": ("application_id", "vacancy_id", "applicant_id"), "disciplinary": ("case_id",),
       "capability": ("case_id",)}


class Trust:
    """Collects rows per canonical table and builds an in-memory DuckDB Ibis connection."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = {}
        self._n = 0

    def add(self, table: str, count: int = 1, **values) -> list[str]:
        ids = []
        for _ in range(count):
            self._n += 1
            row = {**DEFAULTS.get(table, {}), **values}
            for col in IDS.get(table, ()):
                row.setdefault(col, f"{col}-{self._n}")
            if table in ("workforce", "disciplinary", "capability", "training", "pay", "leavers"):
                if row.get("person_id") is None:
                    row["person_id"] = f"P{self._n}"
            if table == "applications":
                row["applicant_id"] = row.get("applicant_id") or f"A{self._n}"
            self.rows.setdefault(table, []).append(row)
            ids.append(row.get("person_id") or row.get("application_id"))
        return ids

    def staff(self, count: int, **values) -> list[str]:
        return self.add("workforce", count, **values)

    def frame(self, table: str) -> pd.DataFrame:
        spec = TABLES[table]
        df = pd.DataFrame(self.rows[table])
        if table == "survey_responses":
            return df
        columns = [c for c in spec.columns if c.stored]
        for col in columns:
            if col.name not in df:
                df[col.name] = None
            if col.kind == "date":  # datetime.date objects: Arrow reads them as DATE
                continue
            df[col.name] = df[col.name].astype(TYPES[col.kind])
        df["import_id"] = 1
        return df[[c.name for c in columns] + ["import_id"]]

    def store(self, db) -> None:
        """Every table as a table of the DuckDB connection ``db`` (a workspace's database)."""
        for table in self.rows:
            frame = self.frame(table)  # noqa: F841 (read by DuckDB's replacement scan)
            db.execute(f"CREATE TABLE {table} AS SELECT * FROM frame")

    def workspace(self, folder):
        """A new workspace at ``folder`` holding these tables; its path."""
        from parity.workspace import Workspace

        ws = Workspace.open(folder)
        with ws.connect() as db:
            self.store(db)
        return ws.path

    def connect(self) -> ibis.BaseBackend:
        con = ibis.duckdb.connect()
        for table in self.rows:
            con.create_table(table, self.frame(table))
        return con


@pytest.fixture
def trust() -> Trust:
    return Trust()
