"""Shared helpers of the benchmark tests (issue 18)."""

from __future__ import annotations

import pytest

from parity.synth import build as synth
from parity.synth.stored import stored_tables
from parity.workspace import Workspace


def region_workspace(path, *, orgs: int = 3, staff: int = 1500, seed: int = 5, years: int = 1) -> Workspace:
    """A workspace holding a small generated region (tables written as stored)."""
    ws = Workspace.open(path, create=True)
    with ws.connect() as con:
        for name, frame in stored_tables(synth(staff=staff, years=years, orgs=orgs, seed=seed)).items():
            con.register("t", frame)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM t')
            con.unregister("t")
    return ws


@pytest.fixture(scope="session")
def make_region():
    """make_region(path, orgs=3, staff=1500, seed=5, years=1) -> Workspace of a generated region."""
    return region_workspace
