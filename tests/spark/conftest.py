"""Fixtures for running the same Ibis expressions on DuckDB and Spark.

- ``parity_tables``: a small realistic set of canonical tables (pandas frames, a few thousand rows,
  three organisations, three snapshot dates, NULLs where real extracts have them).
- ``duckdb_con`` / ``spark_con``: session-scoped connections holding ``parity_tables``.
- ``both_backends``: parametrised over ``duckdb`` and ``spark`` (the spark case carries the
  ``spark`` marker), for a test written once and run on each engine.
- ``run_on_both(build, tables=None)``: ``(duckdb_df, spark_df)`` for one expression builder, over
  ``parity_tables`` or the given frames; compare with `parity.backends.assert_same_results`.

Spark tests skip (they do not fail) where pyspark or Java is missing.
"""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pandas as pd
import pytest

from parity import backends

ETHNIC_CODES = list("ABCDEFGHJKLMNPRS") + ["Z", "99"]
ORGS = ["RXA", "RYB", "R1C"]
SNAPSHOTS = [dt.date(2023, 3, 31), dt.date(2024, 3, 31), dt.date(2025, 3, 31)]


def _maybe(rng: np.random.Generator, value, p_null: float):
    return None if rng.random() < p_null else value


def make_tables(seed: int = 20240331, people: int = 900) -> dict[str, pd.DataFrame]:
    """Canonical tables for a few trusts: small, deterministic, with the awkward cases real data has.

    Some people hold two assignments; ethnic category, clinical flag and age band are sometimes
    NULL; applications carry NULL booleans and a pandas timestamp date column (which `connect`
    stores as DATE); disciplinary and training ids partly miss the workforce (a join must drop them).
    """
    rng = np.random.default_rng(seed)
    ethnicity = {p: rng.choice(ETHNIC_CODES) for p in range(people)}
    wf = []
    for snap in SNAPSHOTS:
        for p in range(people):
            if rng.random() < 0.1:  # not in post at this snapshot
                continue
            for a in range(1 if rng.random() < 0.9 else 2):
                wf.append(
                    {
                        "person_id": f"P{p:05d}",
                        "snapshot_date": snap,
                        "org_code": ORGS[p % 3],
                        "ethnic_category": _maybe(rng, ethnicity[p], 0.03),
                        "sex": rng.choice(["female", "male", "other", "unknown"], p=[0.7, 0.27, 0.01, 0.02]),
                        "disability": rng.choice(["yes", "no", "unknown"], p=[0.05, 0.8, 0.15]),
                        "pay_band": rng.choice(["1", "2", "3", "4", "5", "6", "7", "8a", "8b", "9", "VSM"]),
                        "staff_group": rng.choice(["01", "02", "03", "04", "05", "06"]),
                        "clinical": [True, False, None][rng.integers(0, 3)],
                        "assignment_category": rng.choice(
                            ["permanent", "fixed_term", "bank"], p=[0.8, 0.1, 0.1]
                        ),
                        "primary_assignment": a == 0,
                        "fte": float(np.round(rng.uniform(0.1, 1.0), 3)),
                        "age_band": _maybe(rng, rng.choice(["21-25", "26-30", "31-35", "36-40"]), 0.05),
                        "board_member": bool(rng.random() < 0.01),
                        "board_role": None,
                        "board_voting": None,
                    }
                )
    n_apps = 1500
    start = dt.date(2023, 4, 1)
    apps = pd.DataFrame(
        {
            "application_id": [f"A{i:06d}" for i in range(n_apps)],
            "vacancy_id": [f"V{i % 120:04d}" for i in range(n_apps)],
            "applicant_id": [f"P{int(rng.integers(0, people * 2)):05d}" for _ in range(n_apps)],
            "application_date": pd.to_datetime(
                [start + dt.timedelta(days=int(rng.integers(0, 731))) for _ in range(n_apps)]
            ),
            "org_code": [ORGS[i % 3] for i in range(n_apps)],
            "ethnic_category": [_maybe(rng, rng.choice(ETHNIC_CODES), 0.05) for _ in range(n_apps)],
            "sex": rng.choice(["female", "male"], n_apps),
            "disability": rng.choice(["yes", "no", "unknown"], n_apps),
            "shortlisted": [_maybe(rng, bool(rng.random() < 0.4), 0.02) for _ in range(n_apps)],
            "interviewed": None,
            "offered": None,
            "appointed": [_maybe(rng, bool(rng.random() < 0.15), 0.02) for _ in range(n_apps)],
            "offer_declined": False,
            "internal": [bool(rng.random() < 0.3) for _ in range(n_apps)],
        }
    )
    n_cases = 80
    disc = pd.DataFrame(
        {
            "case_id": [f"C{i:04d}" for i in range(n_cases)],
            "person_id": [f"P{int(rng.integers(0, people + 50)):05d}" for _ in range(n_cases)],
            "case_start_date": [start + dt.timedelta(days=int(rng.integers(0, 731))) for _ in range(n_cases)],
            "org_code": [ORGS[i % 3] for i in range(n_cases)],
            "formal": [bool(rng.random() < 0.6) for _ in range(n_cases)],
        }
    )
    n_train = 1200
    training = pd.DataFrame(
        {
            "person_id": [f"P{int(rng.integers(0, people + 50)):05d}" for _ in range(n_train)],
            "course_date": [start + dt.timedelta(days=int(rng.integers(0, 731))) for _ in range(n_train)],
            "org_code": [ORGS[i % 3] for i in range(n_train)],
            "non_mandatory": [bool(rng.random() < 0.5) for _ in range(n_train)],
            "course": [f"course-{int(rng.integers(0, 40))}" for _ in range(n_train)],
        }
    )
    return {"workforce": pd.DataFrame(wf), "applications": apps, "disciplinary": disc, "training": training}


def _require_spark() -> None:
    if "spark" not in backends.available_backends():
        message = "Spark backend unavailable (needs pyspark and Java): pip install 'parity[spark]'"
        if os.environ.get("CI"):  # CI installs both: a skip there would hide a broken scale-out path
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def parity_tables() -> dict[str, pd.DataFrame]:
    return make_tables()


@pytest.fixture(scope="session")
def duckdb_con(parity_tables):
    return backends.connect("duckdb", tables=parity_tables)


@pytest.fixture(scope="session")
def spark_session():
    _require_spark()
    session = backends.spark_session()
    yield session
    backends.stop_spark()


@pytest.fixture(scope="session")
def spark_con(spark_session, parity_tables):
    return backends.connect("spark", tables=parity_tables)


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def both_backends(request):
    """A connection over ``parity_tables`` on each backend in turn."""
    fixture = "duckdb_con" if request.param == "duckdb" else "spark_con"
    return request.getfixturevalue(fixture)


@pytest.fixture
def run_on_both(duckdb_con, spark_con):
    """``run_on_both(build, tables=None, sort=True) -> (duckdb_df, spark_df)``."""

    def run(build, tables=None, *, sort=True):
        connections = None if tables is not None else {"duckdb": duckdb_con, "spark": spark_con}
        return backends.compare_backends(
            build, tables if tables is not None else {}, connections=connections, sort=sort
        )

    return run
