"""DuckDB and Spark give identical benchmark figures on a small generated region (issue 18): the
protected rows `parity benchmark build` stores and the funnel positions scored from them."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from parity import backends
from parity.benchmark.build import protected_frame
from parity.benchmark.compare import definition, score

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    if "spark" not in backends.available_backends():
        message = "Spark backend unavailable (needs pyspark and Java): pip install 'parity[spark]'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    backends.spark_session()
    yield
    backends.stop_spark()


def test_region_identical_on_duckdb_and_spark(spark, make_region, tmp_path):
    ws = make_region(tmp_path / "ws", orgs=3, staff=1500, seed=12)
    duck = protected_frame(ws.path, year=2025, backend="duckdb")
    on_spark = protected_frame(ws.path, year=2025, backend="spark")
    key = ["org_code", "indicator"]
    duck, on_spark = (f.sort_values(key).reset_index(drop=True) for f in (duck, on_spark))
    assert len(duck) >= 3 * 10 and duck[key].equals(on_spark[key])
    counts = ["numerator_a", "denominator_a", "numerator_b", "denominator_b", "headcount"]
    pd.testing.assert_frame_equal(duck[counts].astype("Float64"), on_spark[counts].astype("Float64"))
    pd.testing.assert_series_equal(duck["value"].astype(float), on_spark["value"].astype(float), rtol=1e-12)
    for ind in ("wres.2", "wres.3", "wdes.2"):
        a = score(duck[duck.indicator == ind], definition(ind), year=2025)
        b = score(on_spark[on_spark.indicator == ind], definition(ind), year=2025)
        assert [(r["org"], r["position"], r.get("rank")) for r in a["organisations"]] == \
            [(r["org"], r["position"], r.get("rank")) for r in b["organisations"]]


def test_counts_of_some_years_identical_on_duckdb_and_spark(spark, make_region, tmp_path):
    """The build's counting of the reporting year and the one before (`count_standard`'s ``years``,
    issue 18 "Scale") on Spark: every frame the rows of those years that DuckDB counts from every year,
    the organisations all of the workspace's."""
    from parity.indicators.source import open_source
    from parity.standards.wres.counts import count_wres

    from .test_count_years import frames, rows

    ws = make_region(tmp_path / "ws", orgs=3, staff=900, seed=12, years=3)
    con, wdir = open_source(ws.path, backend="duckdb")
    every = count_wres(con, workspace_dir=wdir)
    con, wdir = open_source(ws.path, backend="spark")
    some = count_wres(con, workspace_dir=wdir, years=[2024, 2025])
    for name, (frame, column) in frames(every, None).items():
        wanted = {2024, 2025} if column == "year" else {2023, 2024}
        kept = [r for r in rows(frame) if dict(r)[column] in wanted]
        assert kept and len(kept) < len(rows(frame)), name
        assert rows(frames(some, None)[name][0]) == kept, name
    assert some.orgs() == every.orgs() and some.table_years == every.table_years
