"""Shared data for the explorer tests: synthetic trusts as connections (`Trust` and the `trust`
fixture come from tests/conftest.py)."""

from __future__ import annotations

import ibis
import pandas as pd

from parity.synth import connect as synth_connect


def synth_connection(tables: dict[str, pd.DataFrame]) -> ibis.BaseBackend:
    """`parity.synth.build` tables as a DuckDB connection (survey responses stored long, as on import)."""
    return synth_connect(tables)
