"""Fixtures for the workspace tests: a workspace, CSV writing and reading stored rows back."""

from __future__ import annotations

import pandas as pd
import pytest

from parity.workspace import Workspace


@pytest.fixture
def ws(tmp_path) -> Workspace:
    return Workspace.open(tmp_path / "ws")


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(df, name="extract.csv") -> path"""

    def write(df: pd.DataFrame, name: str = "extract.csv") -> str:
        path = tmp_path / name
        df.to_csv(path, index=False)
        return str(path)

    return write


@pytest.fixture
def read_table():
    def read(ws: Workspace, table: str) -> pd.DataFrame:
        with ws.connect(read_only=True) as con:
            return con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').df()

    return read
