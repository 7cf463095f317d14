"""The same Ibis expressions give the same answers on DuckDB and Spark.

Each test builds one expression of the kind the indicators use and compares both engines' results
(integers exactly, floats to 1e-12, after sorting). Tests named ``test_trap_*`` pin a difference
between the engines together with the way we write expressions to avoid it; docs/databricks.md
lists the same traps.
"""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd
import pytest

from parity import backends
from parity.backends import assert_same_results

pytestmark = pytest.mark.spark

WHITE = ["A", "B", "C"]
BME = list("DEFGHJKLMNPRS")


def group(code):
    return ibis.cases((code.isin(WHITE), "White"), (code.isin(BME), "BME"), else_="Unknown")


@pytest.fixture
def same(run_on_both):
    """Run `build` on both engines, assert equal results and return the DuckDB frame."""

    def check(build, tables=None, *, sort=True):
        duck, spark = run_on_both(build, tables, sort=sort)
        assert_same_results(duck, spark)
        return duck

    return check


# ---------------------------------------------------------------------------------------------
# types


def test_every_canonical_table_has_the_same_schema(duckdb_con, spark_con):
    from parity.contract import TABLES

    for name in TABLES:
        assert duckdb_con.table(name).schema() == spark_con.table(name).schema(), name
    assert duckdb_con.table("workforce").snapshot_date.type().is_date()
    # a pandas timestamp column is stored as DATE, as the contract says
    assert spark_con.table("applications").application_date.type().is_date()


def test_date_results_come_back_as_dates(same):
    out = same(lambda c: c.table("workforce").select("snapshot_date").distinct())
    # DATE columns come back from both engines as pandas Timestamps at midnight
    assert set(out.snapshot_date) == {pd.Timestamp(d) for d in ("2023-03-31", "2024-03-31", "2025-03-31")}


# ---------------------------------------------------------------------------------------------
# counting people


def test_distinct_people_by_org_snapshot_and_group(same):
    def build(c):
        w = c.table("workforce")
        w = w.filter(w.assignment_category != "bank")
        return w.group_by("org_code", "snapshot_date", g=group(w.ethnic_category)).aggregate(
            people=w.person_id.nunique(), assignments=w.count(), fte=w.fte.sum()
        )

    out = same(build)
    assert set(out.g) == {"White", "BME", "Unknown"}  # NULL ethnicity lands in Unknown, not dropped


def test_conditional_counts_and_boolean_sums(same):
    def build(c):
        w = c.table("workforce")
        return w.group_by("org_code", "snapshot_date").aggregate(
            female=(w.sex == "female").sum(),
            white=(w.ethnic_category.isin(WHITE)).sum(),  # NULL ethnicity counts as not white
            clinical=w.clinical.sum(),  # NULL clinical ignored
            clinical_int=w.clinical.cast("int64").sum(),
            share_female=(w.sex == "female").mean(),
        )

    same(build)


def test_nunique_with_where(same):
    def build(c):
        w = c.table("workforce")
        return w.group_by("org_code", "snapshot_date").aggregate(
            bme=w.person_id.nunique(where=w.ethnic_category.isin(BME)),
            clinical=w.person_id.nunique(where=w.clinical),  # NULL condition: not counted
            none=w.person_id.nunique(where=w.fte > 5),  # no match: 0 on both
        )

    out = same(build)
    assert (out.none == 0).all()


def test_trap_count_where_is_null_on_spark_when_nothing_can_match(run_on_both):
    # ibis compiles count(where=c) to COUNT(*) FILTER (WHERE c) on DuckDB but SUM(CAST(c AS BIGINT))
    # on Spark: a group whose condition is all NULL (or an empty input) gives 0 vs NULL.
    frame = pd.DataFrame(
        {"person_id": ["1", "2", "3"], "org_code": ["A", "A", "B"], "clinical": [None, None, True]}
    )

    def raw(c):
        w = c.table("workforce")
        return w.group_by("org_code").aggregate(n=w.count(where=w.clinical))

    duck, spark = run_on_both(raw, {"workforce": frame})
    assert duck.n.tolist() == [0, 1]
    assert pd.isna(spark.n[0]) and spark.n[1] == 1

    def fixed(c):
        w = c.table("workforce")
        return w.group_by("org_code").aggregate(n=w.count(where=w.clinical).fill_null(0))

    assert_same_results(*run_on_both(fixed, {"workforce": frame}))


def test_sum_over_no_rows_is_null_on_both(same):
    def build(c):
        w = c.table("workforce")
        w = w.filter(w.org_code == "NOPE")
        return w.aggregate(n=w.count(), s=(w.sex == "female").sum(), z=(w.sex == "female").sum().fill_null(0))

    out = same(build)
    assert out.n[0] == 0 and pd.isna(out.s[0]) and out.z[0] == 0


# ---------------------------------------------------------------------------------------------
# dates


@pytest.mark.parametrize(
    "literal", [ibis.date("2024-03-31"), dt.date(2024, 3, 31), "2024-03-31"], ids=["ibis", "python", "string"]
)
def test_date_equality_against_literals(same, literal):
    out = same(lambda c: c.table("workforce").filter(c.table("workforce").snapshot_date == literal).count())
    assert out.value[0] > 0


def test_financial_year_window(same):
    def build(c):
        a = c.table("applications")
        a = a.filter(a.application_date.between(dt.date(2023, 4, 1), dt.date(2024, 3, 31)))
        return a.group_by("org_code", y=a.application_date.year()).aggregate(n=a.count())

    same(build)


def test_date_compared_with_timestamp_literal(same):
    same(
        lambda c: (
            c.table("applications")
            .filter(c.table("applications").application_date < ibis.timestamp("2024-01-01 12:00:00"))
            .count()
        )
    )


# ---------------------------------------------------------------------------------------------
# joins, cases, NULL booleans


def test_join_on_string_ids(same):
    def build(c):
        d = c.table("disciplinary")
        w = c.table("workforce")
        w = w.filter((w.snapshot_date == dt.date(2024, 3, 31)) & w.primary_assignment)
        j = d.join(w.select("person_id", "org_code", "ethnic_category"), ["person_id", "org_code"])
        return j.group_by(g=group(j.ethnic_category)).aggregate(cases=j.count(), formal=j.formal.sum())

    same(build)


def test_left_join_keeps_unmatched_with_nulls(same):
    def build(c):
        t = c.table("training")
        w = c.table("workforce")
        w = w.filter((w.snapshot_date == dt.date(2024, 3, 31)) & w.primary_assignment).select(
            "person_id", "ethnic_category"
        )
        j = t.left_join(w, "person_id")
        return j.group_by(g=group(j.ethnic_category), matched=j.person_id_right.notnull()).aggregate(
            n=j.count()
        )

    same(build)


def test_cases_and_ifelse_with_nulls(same):
    def build(c):
        w = c.table("workforce")
        return w.group_by(
            g=group(w.ethnic_category),
            clin=w.clinical.ifelse("clinical", "non-clinical"),  # NULL -> else branch
            filled=w.clinical.fill_null(False),
            negated=~w.clinical,  # NULL stays NULL
        ).aggregate(n=w.count())

    same(build)


def test_filters_on_null_booleans(same):
    def build(c):
        a = c.table("applications")
        return ibis.union(
            a.filter(a.shortlisted).aggregate(k=ibis.literal("shortlisted"), n=ibis._.count()),
            a.filter(~a.shortlisted).aggregate(k=ibis.literal("not shortlisted"), n=ibis._.count()),
            # NULL ethnicity is neither in nor not in: dropped by the filter on both
            a.filter(~a.ethnic_category.isin(WHITE)).aggregate(k=ibis.literal("not white"), n=ibis._.count()),
        )

    same(build)


# ---------------------------------------------------------------------------------------------
# arithmetic


def test_integer_division_is_true_division(same):
    def build(c):
        a = c.table("applications")
        by = a.group_by("org_code", g=group(a.ethnic_category)).aggregate(
            short=a.count(where=a.shortlisted).fill_null(0), appointed=a.count(where=a.appointed).fill_null(0)
        )
        return by.mutate(
            rate=by.appointed / by.short, floor=by.appointed // 7, pct=100 * by.appointed / by.short
        )

    out = same(build)
    assert out.rate.dtype == "float64"


def test_relative_likelihood_with_guarded_denominator(same):
    # WRES indicator 2 shape: (appointed/shortlisted White) / (appointed/shortlisted BME)
    def build(c):
        a = c.table("applications")
        a = a.filter(a.shortlisted)
        by = a.group_by("org_code").aggregate(
            w_n=a.count(where=a.ethnic_category.isin(WHITE)).fill_null(0),
            w_k=a.count(where=a.ethnic_category.isin(WHITE) & a.appointed).fill_null(0),
            b_n=a.count(where=a.ethnic_category.isin(BME)).fill_null(0),
            b_k=a.count(where=a.ethnic_category.isin(BME) & a.appointed).fill_null(0),
        )
        w_rate = by.w_k / by.w_n.nullif(0)
        b_rate = by.b_k / by.b_n.nullif(0)
        return by.mutate(rl=w_rate / b_rate.nullif(0))

    same(build)


def test_trap_division_by_zero(duckdb_con, spark_con):
    # DuckDB: x / 0 is +inf (IEEE). Spark ANSI: an error. Spark non-ANSI: NULL. Fix: nullif(0).
    def raw(c):
        w = c.table("workforce")
        return w.aggregate(x=w.count() / (w.count() - w.count()))

    assert duckdb_con.execute(raw(duckdb_con)).x[0] == float("inf")
    with pytest.raises(Exception, match="DIVIDE_BY_ZERO"):
        spark_con.execute(raw(spark_con))

    def fixed(c):
        w = c.table("workforce")
        return w.aggregate(x=w.count() / (w.count() - w.count()).nullif(0))

    assert pd.isna(duckdb_con.execute(fixed(duckdb_con)).x[0])
    assert pd.isna(spark_con.execute(fixed(spark_con)).x[0])


def test_trap_float_to_int_cast(run_on_both):
    # DuckDB rounds a float cast to an integer (half to even), Spark truncates: round/floor/ceil first.
    frame = pd.DataFrame({"person_id": ["1", "2", "3", "4"], "fte": [0.6, 1.5, -0.6, 2.5]})

    def raw(c):
        return c.table("workforce").select("person_id", i=c.table("workforce").fte.cast("int64"))

    duck, spark = run_on_both(raw, {"workforce": frame})
    assert duck.i.tolist() == [1, 2, -1, 2] and spark.i.tolist() == [0, 1, 0, 2]

    def fixed(c):
        f = c.table("workforce").fte
        return c.table("workforce").select(
            "person_id", r=f.round().cast("int64"), fl=f.floor().cast("int64"), ce=f.ceil().cast("int64")
        )

    assert_same_results(*run_on_both(fixed, {"workforce": frame}))


def test_trap_round_to_decimals(run_on_both):
    # Spark rounds the decimal text (1.005 -> 1.01), DuckDB the binary double (1.00499.. -> 1.0):
    # round for presentation in Python, never inside a compared expression.
    frame = pd.DataFrame({"person_id": ["1", "2"], "fte": [1.005, 0.285]})
    duck, spark = run_on_both(
        lambda c: c.table("workforce").select("person_id", r=c.table("workforce").fte.round(2)),
        {"workforce": frame},
    )
    assert duck.r.tolist() == [1.0, 0.28] and spark.r.tolist() == [1.01, 0.29]


def test_trap_ln_of_zero(duckdb_con, run_on_both):
    # ln(0): DuckDB 1.x raises, DuckDB 2 gives -inf, Spark gives NULL. Guard with nullif(0).
    frame = pd.DataFrame({"person_id": ["1", "2"], "fte": [0.0, 2.0]})
    con = backends.connect("duckdb", tables={"workforce": frame})
    try:
        assert con.execute(con.table("workforce").fte.ln()).tolist()[0] == float("-inf")
    except Exception as exc:  # noqa: BLE001 - DuckDB 1.x
        assert "logarithm of zero" in str(exc)
    duck, spark = run_on_both(
        lambda c: c.table("workforce").select("person_id", ln=c.table("workforce").fte.nullif(0).ln()),
        {"workforce": frame},
    )
    assert_same_results(duck, spark)
    assert pd.isna(duck.ln[0])


def test_trap_isnan_of_null(run_on_both):
    # NaN in a pandas float column is stored as NULL; isnan(NULL) is NULL on DuckDB, false on Spark.
    # Test for missing values with isnull() (or notnull()), never isnan().
    frame = pd.DataFrame({"person_id": ["1", "2"], "fte": [1.0, float("nan")]})

    def build(c):
        f = c.table("workforce").fte
        return c.table("workforce").select("person_id", nan=f.isnan(), null=f.isnull())

    duck, spark = run_on_both(build, {"workforce": frame})
    assert duck.null.tolist() == spark.null.tolist() == [False, True]
    assert pd.isna(duck.nan[1]) and spark.nan[1] == False  # noqa: E712


def test_exact_median_and_quantiles(same):
    def build(c):
        w = c.table("workforce")
        return w.group_by("org_code").aggregate(
            med=w.fte.median(), q1=w.fte.quantile(0.25), mean=w.fte.mean(), sd=w.fte.std()
        )

    same(build)


def test_trap_mode_is_not_compiled_for_spark(spark_con):
    from ibis.common.exceptions import OperationNotDefinedError

    w = spark_con.table("workforce")
    with pytest.raises(OperationNotDefinedError):
        spark_con.execute(w.aggregate(m=w.pay_band.mode()))


def test_strict_casts_raise_on_both_and_try_cast_gives_null(duckdb_con, spark_con, same):
    for con in (duckdb_con, spark_con):
        w = con.table("workforce")
        with pytest.raises(Exception):  # noqa: B017 - each engine has its own exception type
            con.execute(w.select(x=w.pay_band.cast("int64")))
    same(
        lambda c: (
            c.table("workforce")
            .group_by(b=c.table("workforce").pay_band.try_cast("int64"))
            .aggregate(n=ibis._.count())
        )
    )


# ---------------------------------------------------------------------------------------------
# ordering


def test_order_by_with_nulls_matches_without_sorting(same):
    def build(c):
        w = c.table("workforce")
        return w.group_by("age_band").aggregate(n=w.count()).order_by("age_band")

    out = same(build, sort=False)
    assert pd.isna(out.age_band.iloc[-1])  # NULLS LAST on both (ibis says so explicitly on Spark)

    def desc(c):
        w = c.table("workforce")
        return w.group_by("age_band").aggregate(n=w.count()).order_by(ibis.desc("age_band"))

    out = same(desc, sort=False)
    assert pd.isna(out.age_band.iloc[-1])


def test_window_primary_assignment_pick(same):
    def build(c):
        w = c.table("workforce")
        ranked = w.mutate(
            r=ibis.row_number().over(
                group_by=["snapshot_date", "person_id"], order_by=[ibis.desc("fte"), "pay_band"]
            )
        )
        return (
            ranked.filter(ranked.r == 0)
            .group_by("snapshot_date")
            .aggregate(n=ibis._.count(), fte=ibis._.fte.sum())
        )

    same(build)
