"""Where indicators read from: a workspace directory, a Workspace, or any Ibis connection."""

from __future__ import annotations

from pathlib import Path

import ibis
import pandas as pd

ALL_ORGANISATIONS = "All organisations"


def open_source(source, *, backend: str = "duckdb") -> tuple[ibis.BaseBackend, Path | None]:
    """An Ibis connection holding the canonical tables, and the workspace directory if there is one."""
    if isinstance(source, ibis.BaseBackend):
        return source, None
    path = Path(getattr(source, "path", source))
    if not (path / "parity.duckdb").exists():
        raise FileNotFoundError(
            f"{path} is not a Parity workspace (no parity.duckdb): import data first with "
            f"`parity import FILE --table TABLE --workspace {path}`"
        )
    from parity.backends import connect  # the backend layer knows how to bring up Spark

    return connect(backend, workspace=path), path


def select(frame: pd.DataFrame, org: str | None, year: int) -> pd.DataFrame:
    """Rows of one organisation (or all organisations when `org` is None) and one year."""
    if frame.empty:
        return frame
    part = frame[frame["year"] == year]
    return part if org is None else part[part["org_code"] == org]
