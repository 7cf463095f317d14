"""The first (recording) count of a standard: the same counts as plain Ibis, each query compiled once
(issue 18: `Recorder` runs the SQL it records instead of Ibis compiling the expression again).

The counts of `parity.sqlcache.compile.compile_counts` are compared frame by frame, dtypes included,
with `Runner`'s (Ibis's ``execute``/``cache``, as ``count_wres``/``count_wdes`` run by default) on
a generated workspace of three organisations.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from parity.indicators.runner import Recorder, Runner
from parity.indicators.source import open_source
from parity.sqlcache.compile import compile_counts

LAST_YEAR = 2025
ORGS = 3


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, imported) -> Path:
    """Three synthetic trusts over two years, every table imported (the survey's question map too)."""
    from parity.synth import generate

    data = tmp_path_factory.mktemp("recorder-data")
    generate(data, staff=300, years=2, orgs=ORGS, seed=11, last_year=LAST_YEAR)
    return imported(data, tmp_path_factory.mktemp("recorder-ws") / "ws")


def ibis_counts(folder: Path, standard: str, options: dict) -> tuple:
    """What `compile_counts` counts, through plain Ibis (`Runner`)."""
    from parity.indicators.standard_counts import survey_years_of
    from parity.indicators.survey import load_question_map, score_counts
    from parity.standards.wdes.counts import by_disability, count_wdes
    from parity.standards.wres.counts import count_wres

    con, workspace_dir = open_source(folder, backend="duckdb")
    declined, years = options["exclude_declined"], options.get("years")
    if standard == "wres":
        return count_wres(con, workspace_dir=workspace_dir, exclude_declined=declined, runner=Runner(),
                          years=years), None
    counts = count_wdes(con, workspace_dir=workspace_dir, exclude_declined=declined, runner=Runner(), years=years)
    return counts, score_counts(con, by_disability, load_question_map(workspace_dir), ["wdes.9a"],
                                runner=Runner(), survey_years=survey_years_of(years))


def frames(counted: tuple) -> dict[str, pd.DataFrame]:
    counts, scores = counted
    out = {name: getattr(counts, name) for name in ("distribution", "headcount", "recruitment", "survey", "board")}
    out.update({f"events:{name}": frame for name, frame in counts.events.items()})
    if scores is not None:
        out["scores"] = scores
    return out


def in_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by every column: without ORDER BY, DuckDB's row order is its threads' (both paths
    run the same SQL; the order is not what is compared)."""
    return frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True)


@pytest.fixture()
def compiled(monkeypatch) -> list[str]:
    """Every expression Ibis compiles to SQL (``compile``, ``create_table`` and ``execute`` all go
    through the DuckDB compiler's ``to_sqlglot``)."""
    from ibis.backends.sql.compilers.duckdb import DuckDBCompiler

    calls: list[str] = []
    real = DuckDBCompiler.to_sqlglot

    def counting(self, expr, **kwargs):
        calls.append(type(expr.op()).__name__)
        return real(self, expr, **kwargs)

    monkeypatch.setattr(DuckDBCompiler, "to_sqlglot", counting)
    return calls


@pytest.mark.parametrize("standard", ["wres", "wdes"])
@pytest.mark.parametrize("years", [None, [LAST_YEAR]], ids=["all-years", "last-year"])
def test_recording_counts_equal_ibis_and_compile_once(workspace, compiled, standard, years):
    options = {"exclude_declined": True, "years": years}
    counted, plan = compile_counts(workspace, standard, options)
    sql_steps = [s for s in plan["steps"] if "sql" in s]
    assert len(compiled) == len(sql_steps)  # once per recorded query, not twice
    assert {s["kind"] for s in sql_steps} == {"setup", "scalar", "frame"}

    expected = ibis_counts(workspace, standard, options)
    assert len(compiled) == 2 * len(sql_steps)  # Ibis's own path compiles each query once too
    got, want = frames(counted), frames(expected)
    assert got.keys() == want.keys()
    for name in want:
        assert list(got[name].columns) == list(want[name].columns), name
        pd.testing.assert_frame_equal(in_order(got[name]), in_order(want[name]), check_dtype=True, check_exact=True,
                                      obj=name)
    for fact in ("missing_tables", "table_years", "organisations"):
        assert getattr(counted[0], fact) == getattr(expected[0], fact), fact
    assert len(want["distribution"]) and want["distribution"]["org_code"].nunique() == ORGS
    if standard == "wdes":  # 9a's scores: means and sds from Ibis's decimal sums, the same digits
        assert len(want["scores"]) and want["scores"]["mean"].notna().all()


def test_materialised_table_keeps_ibis_types(workspace):
    """The people in post, made from the recorded SQL, have the types Ibis's ``cache()`` gives them
    (the counts and the SQL compiled from them read those types)."""
    from parity.indicators.standard_counts import counted_staff
    from parity.standards.wres.counts import by_ethnicity

    con, _ = open_source(workspace, backend="duckdb")
    expr = counted_staff(con, by_ethnicity, con.table("workforce"))
    recorded = Recorder(con).materialise("staff", expr)
    cached = Runner().materialise("staff", expr)
    assert recorded.schema() == cached.schema()  # names, order, types and nullability
    pd.testing.assert_frame_equal(in_order(recorded.to_pandas()), in_order(cached.to_pandas()), check_dtype=True)
