"""Both backends: the region release built from a Spark connection publishes the same figures, and
the attack recovers exactly what it recovers from the DuckDB release (the leak tests run on DuckDB)."""

from __future__ import annotations

import pytest
from attack_audit import audit
from attack_release import build_release
from attack_trusts import OrgPlan, build

from parity import backends


@pytest.fixture(scope="module")
def spark_con():
    if "spark" not in backends.available_backends():
        pytest.skip("Spark backend unavailable (needs pyspark and Java)")
    trust = build([OrgPlan("RXA", training=(30, 3)), OrgPlan("RXB")])
    backends.spark_session()
    yield backends.connect("spark", tables={t: trust.frame(t).drop(columns="import_id") for t in trust.rows})
    backends.stop_spark()


@pytest.mark.spark
def test_spark_release_matches_duckdb(spark_con, region_release, region_audit):
    spark = build_release(spark_con, orgs=["RXA", "RXB"], years=[2025], formats=())
    for mine, theirs in zip(spark.documents, region_release.documents, strict=True):
        assert mine.name == theirs.name
        for std in ("WRES", "WDES"):
            assert _figures(mine.published[std]) == _figures(theirs.published[std])
    result = audit(spark, formats=False)
    assert sorted(str(f) for f in result.findings) == sorted(str(f) for f in region_audit.findings if f.channel == "json")
    assert result.summary()["cells_tried"] == region_audit.summary()["cells_tried"]


def _figures(result: dict) -> dict:
    from attack_cells import numbers

    return {p: round(v, 6) for p, v in numbers(result).items()}
