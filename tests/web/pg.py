"""A fresh PostgreSQL database per test, from `PARITY_TEST_DATABASE_URL` (set by .ci/run).

Without the variable the PostgreSQL tests are skipped on a developer's machine, but under CI=true
they fail: CI must prove the PostgreSQL path, not quietly skip it.
"""

from __future__ import annotations

import os
import secrets

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ENV = "PARITY_TEST_DATABASE_URL"


def postgres_url() -> str:
    url = os.environ.get(ENV)
    if not url:
        message = f"{ENV} is not set: no PostgreSQL to test against (.ci/run starts one)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def pg_url():
    """The URL of a new, empty database (dropped afterwards); the role needs CREATEDB."""
    base = make_url(postgres_url())
    name = f"parity_test_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
