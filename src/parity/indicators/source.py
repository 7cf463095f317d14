"""Where indicators read from: a workspace directory, a Workspace, or any Ibis connection."""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from parity.indicators.rows import Rows, as_rows, over_organisations, split

if TYPE_CHECKING:  # imported by the Ibis path only (issue 19: the compiled-SQL cache needs neither)
    import ibis
    import pandas as pd

ALL_ORGANISATIONS = "All organisations"


def open_source(source, *, backend: str = "duckdb") -> tuple[ibis.BaseBackend, Path | None]:
    """An Ibis connection holding the canonical tables, and the workspace directory if there is one."""
    import ibis

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


#: per count frame, its rows split by (org, year) and by year, built once: results for every
#: organisation and year are assembled from the same frames, and boolean filtering each time
#: cost more than the statistics
_SLICES: dict[int, tuple[weakref.ref, dict, dict]] = {}


def select(frame: pd.DataFrame, org: str | None, year: int) -> pd.DataFrame:
    """Rows of one organisation (or all organisations when `org` is None) and one year."""
    if frame.empty:
        return frame
    cached = _SLICES.get(id(frame))
    if cached is None or cached[0]() is not frame:
        by_org_year = {(o, int(y)): g for (o, y), g in frame.groupby(["org_code", "year"], sort=False)}
        by_year = {int(y): g for y, g in frame.groupby("year", sort=False)}
        cached = (weakref.ref(frame, lambda _, key=id(frame): _SLICES.pop(key, None)), by_org_year, by_year)
        _SLICES[id(frame)] = cached
    _, by_org_year, by_year = cached
    part = by_year.get(year) if org is None else by_org_year.get((org, year))
    return part if part is not None else frame.iloc[0:0]


def select_rows(frame: pd.DataFrame | Rows, org: str | None, year: int) -> Rows:
    """`select` as plain lists (`parity.indicators.rows.Rows`), each slice built once per frame."""
    if org is None:  # all organisations: their rows summed once per key (the same sums, fewer rows)
        return (split(over_organisations(frame), ("year",), lambda k: int(k[0])).get(year) if not frame.empty
                else as_rows(frame))
    return (split(frame, ("org_code", "year"), lambda k: (k[0], int(k[1]))).get((org, year))
            if not frame.empty else as_rows(frame))
