"""One disparity step, written the way each tool's users would write it (run by `peers.py`).

The step: shortlisted applications (declined offers excluded), per organisation x reporting year x
broad ethnic group, the selection rate (appointed / shortlisted) and its ratio to the White rate of
the same organisation and year. Every implementation reads the same Parquet file and writes
``org_code, year, group, n, selected, rate, ratio``; it prints the seconds the step took (from
reading the file to the finished frame; interpreter start and imports excluded).

Usage: ``python peers_impl.py NAME INPUT.parquet GROUPS.json OUTPUT.parquet``
"""

from __future__ import annotations

import json
import sys
import time

REFERENCE = "White"
COLUMNS = ["org_code", "year", "group", "n", "selected", "rate", "ratio"]


def parity(path: str, groups: dict[str, str]):
    import ibis

    from parity.explore.scan import count_cells
    from parity.indicators.periods import financial_year_of

    con = ibis.duckdb.connect()
    t0 = time.perf_counter()
    apps = con.read_parquet(path)
    apps = apps.filter(apps.shortlisted.fill_null(False) & ~apps.offer_declined.fill_null(False))
    pop = apps.select("org_code", "ethnic_category", year=financial_year_of(apps.application_date).cast("int64"),
                      outcome=apps.appointed.fill_null(False).cast("int64"))
    cells = count_cells(pop, ["ethnicity"], ["org_code", "year"]).rename(
        columns={"ethnicity": "group", "events": "selected"})
    out = _ratio_pandas(cells)
    return out, time.perf_counter() - t0


def sql(path: str, groups: dict[str, str]):
    import duckdb

    con = duckdb.connect()
    t0 = time.perf_counter()
    cases = " ".join(f"WHEN '{code}' THEN '{g}'" for code, g in groups.items())
    out = con.execute(f"""
        WITH cells AS (
          SELECT org_code, year(application_date) + CASE WHEN month(application_date) >= 4 THEN 1 ELSE 0 END AS year,
                 CASE ethnic_category {cases} ELSE 'Unknown' END AS "group",
                 count(*) AS n, count_if(coalesce(appointed, false)) AS selected
          FROM read_parquet('{path}')
          WHERE coalesce(shortlisted, false) AND NOT coalesce(offer_declined, false)
          GROUP BY ALL)
        SELECT *, selected / n AS rate,
               (selected / n) / max(CASE WHEN "group" = '{REFERENCE}' THEN selected / n END)
                   OVER (PARTITION BY org_code, year) AS ratio
        FROM cells""").df()
    return out, time.perf_counter() - t0


def polars(path: str, groups: dict[str, str]):
    import polars as pl

    t0 = time.perf_counter()
    d = pl.col("application_date")
    cells = (
        pl.scan_parquet(path)
        .filter(pl.col("shortlisted").fill_null(False) & ~pl.col("offer_declined").fill_null(False))
        .with_columns(year=(d.dt.year() + (d.dt.month() >= 4).cast(pl.Int64)).cast(pl.Int64),
                      group=pl.col("ethnic_category").replace_strict(groups, default="Unknown"))
        .group_by("org_code", "year", "group")
        .agg(n=pl.len(), selected=pl.col("appointed").fill_null(False).sum())
        .with_columns(rate=pl.col("selected") / pl.col("n"))
        .with_columns(ratio=pl.col("rate") / pl.col("rate").filter(pl.col("group") == REFERENCE).first()
                      .over("org_code", "year"))
        .collect()
    )
    return cells.to_pandas(), time.perf_counter() - t0


def _prepared(path: str, groups: dict[str, str]):
    """The pandas preparation every pandas-based tool starts from."""
    import pandas as pd

    df = pd.read_parquet(path)
    df = df[df["shortlisted"].fillna(False).astype(bool) & ~df["offer_declined"].fillna(False).astype(bool)]
    date = pd.to_datetime(df["application_date"])
    return df.assign(year=date.dt.year + (date.dt.month >= 4).astype("int64"),
                     group=df["ethnic_category"].map(groups).fillna("Unknown"),
                     selected=df["appointed"].fillna(False).astype("int64"))


def _ratio_pandas(cells):
    ref = cells[cells["group"] == REFERENCE].set_index(["org_code", "year"])
    cells = cells.assign(rate=cells["selected"] / cells["n"])
    ref_rate = (ref["selected"] / ref["n"]).rename("ref_rate")
    cells = cells.join(ref_rate, on=["org_code", "year"])
    return cells.assign(ratio=cells["rate"] / cells["ref_rate"]).drop(columns="ref_rate")


def pandas(path: str, groups: dict[str, str]):
    t0 = time.perf_counter()
    df = _prepared(path, groups)
    cells = df.groupby(["org_code", "year", "group"], as_index=False).agg(n=("selected", "size"),
                                                                         selected=("selected", "sum"))
    return _ratio_pandas(cells), time.perf_counter() - t0


def aequitas(path: str, groups: dict[str, str]):
    import pandas as pd
    from aequitas.bias import Bias
    from aequitas.group import Group

    t0 = time.perf_counter()
    df = _prepared(path, groups)
    df = df.assign(model_id=df["org_code"] + "|" + df["year"].astype(str), score=df["selected"],
                   label_value=df["selected"])[["model_id", "score", "label_value", "group"]]
    parts = [Group().get_crosstabs(part, attr_cols=["group"])[0].assign(model_id=key)
             for key, part in df.groupby("model_id", sort=False)]  # one crosstab per organisation-year
    xtab = pd.concat(parts, ignore_index=True)
    bias = Bias().get_disparity_predefined_groups(xtab, original_df=df, ref_groups_dict={"group": REFERENCE})
    org_year = bias["model_id"].str.split("|", expand=True)
    out = pd.DataFrame({"org_code": org_year[0], "year": org_year[1].astype("int64"),
                        "group": bias["attribute_value"], "n": bias["group_size"], "selected": bias["pp"],
                        "rate": bias["pprev"], "ratio": bias["pprev_disparity"]})
    return out, time.perf_counter() - t0


def fairlearn(path: str, groups: dict[str, str]):
    import pandas as pd
    from fairlearn.metrics import MetricFrame, count, selection_rate

    t0 = time.perf_counter()
    df = _prepared(path, groups)
    mf = MetricFrame(metrics={"rate": selection_rate, "n": count}, y_true=df["selected"], y_pred=df["selected"],
                     sensitive_features=df[["group"]], control_features=df[["org_code", "year"]])
    by = mf.by_group.reset_index()
    by["selected"] = (by["rate"] * by["n"]).round().astype("int64")
    ref = by[by["group"] == REFERENCE].set_index(["org_code", "year"])["rate"].rename("ref_rate")
    by = by.join(ref, on=["org_code", "year"])
    out = pd.DataFrame({"org_code": by["org_code"], "year": by["year"].astype("int64"), "group": by["group"],
                        "n": by["n"].astype("int64"), "selected": by["selected"], "rate": by["rate"],
                        "ratio": by["rate"] / by["ref_rate"]})
    return out, time.perf_counter() - t0


IMPLEMENTATIONS = {f.__name__: f for f in (parity, sql, polars, pandas, aequitas, fairlearn)}

if __name__ == "__main__":
    name, source, groups_file, target = sys.argv[1:5]
    result, seconds = IMPLEMENTATIONS[name](source, json.loads(open(groups_file, encoding="utf-8").read()))
    result = result[COLUMNS].astype({"n": "int64", "selected": "int64", "year": "int64"})
    result.to_parquet(target)
    print(f"{seconds:.6f}")
