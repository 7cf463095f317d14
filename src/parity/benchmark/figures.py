"""Each organisation's figures for one indicator and year, in the shape of the canonical `benchmarks`
table (issue 18): from that table when it holds them (published or `parity benchmark build`), or
counted from a multi-organisation workspace's raw tables.

Columns ``_a``/``_b`` are the indicator's compared groups as the catalogue names them
(`Indicator.group_a` / `group_b`): a relative likelihood is (numerator_a / denominator_a) /
(numerator_b / denominator_b), a percentage gap 100 × (that difference of proportions).
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ["org_code", "org_name", "org_type", "region", "year", "indicator", "value", "numerator_a",
           "denominator_a", "numerator_b", "denominator_b", "headcount", "bme_percent"]
COMPARABLE_KINDS = ("relative_likelihood", "percentages", "difference")
#: where an organisation's figures came from (the frames' ``origin`` column, the JSON's ``origin``)
ORIGINS = {
    "published": "published figures imported with `parity import --table benchmarks`",
    "protected": "protected figures, as `parity report` publishes them (`parity benchmark build` or the "
                 "release of every organisation)",
    "unprotected": "computed unprotected in this run from the workspace's raw tables (analyst's view)",
    "not recorded": "figures in the benchmarks table whose import is not recorded",
}
BUILD_LOG = "parity benchmark build"  # the import_log file_name of `parity benchmark build`


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in [*COLUMNS, "origin"]})


def frame_of(rows: list[dict], origin: str) -> pd.DataFrame:
    """`rows` (from `indicator_row`) as a frame whose figures all came from `origin` (`ORIGINS`)."""
    if not rows:
        return empty()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["origin"] = origin
    return frame


def from_table(con, *, year: int, indicator: str) -> pd.DataFrame:
    """Rows of the `benchmarks` table for this year and indicator (empty when it has none)."""
    if "benchmarks" not in con.list_tables():
        return empty()
    t = con.table("benchmarks")
    frame = t.filter((t.year == year) & (t.indicator == indicator)).to_pandas()
    if not len(frame):
        return empty()
    out = frame[COLUMNS].reset_index(drop=True)
    out["origin"] = _origins(con, frame.get("import_id"))
    return out


def _origins(con, import_ids) -> list[str]:
    """Each row's origin from the import log: a `parity benchmark build` (protected) or an imported file
    (published); "not recorded" when the log does not say."""
    names: dict[int, str] = {}
    if import_ids is not None and "import_log" in con.list_tables():
        log = con.table("import_log").select("import_id", "file_name").to_pandas()
        names = {int(i): str(f) for i, f in zip(log["import_id"], log["file_name"], strict=True) if i == i}
    out = []
    for i in import_ids if import_ids is not None else []:
        name = names.get(int(i)) if i == i and i is not None else None
        out.append("not recorded" if name is None else "protected" if name.startswith(BUILD_LOG) else "published")
    return out


def table_years(con) -> list[int]:
    """Years the `benchmarks` table holds (none when absent or empty)."""
    if "benchmarks" not in con.list_tables():
        return []
    t = con.table("benchmarks")
    return sorted(int(y) for y in t.select("year").distinct().to_pandas()["year"].dropna())


def _group(doc_or_result, name: str) -> tuple[float | None, float | None]:
    """(numerator, denominator) of a group from a result object or a protected dict (None: withheld)."""
    groups = doc_or_result["groups"] if isinstance(doc_or_result, dict) else doc_or_result.groups
    g = groups.get(name) if groups else None
    if g is None:
        return None, None
    if isinstance(g, dict):
        num, den = g.get("numerator"), g.get("denominator")
    else:
        num, den = g.numerator, g.denominator
    return (num if isinstance(num, int | float) else None), (den if isinstance(den, int | float) else None)


def indicator_row(org: str, year: int, defn, ind) -> dict:
    """One `benchmarks` row from an indicator result (object or protected dict)."""
    value = ind.get("value") if isinstance(ind, dict) else ind.value
    xa, na = _group(ind, defn.group_a)
    xb, nb = _group(ind, defn.group_b)
    return {"org_code": org, "org_name": None, "org_type": None, "region": None, "year": year,
            "indicator": defn.id, "value": value if isinstance(value, int | float) else None,
            "numerator_a": xa, "denominator_a": na, "numerator_b": xb, "denominator_b": nb,
            "headcount": None, "bme_percent": None}


def from_results(results: dict, orgs: list[str], *, year: int, defn) -> pd.DataFrame:
    """Rows from `standard_results` (unprotected: the analyst's view of a workspace's own data)."""
    rows = []
    for o in orgs:
        r = results.get(((o,), year))
        if r is not None and any(i.id == defn.id for i in r.indicators):
            row = indicator_row(o, year, defn, r[defn.id])
            mix = next((i for i in r.indicators if i.id == "wres.1"), None)  # size and ethnic mix, for peers
            if mix is not None and mix.groups:
                row["headcount"] = next(iter(mix.groups.values())).denominator
                row["bme_percent"] = mix.value
            rows.append(row)
    return frame_of(rows, "unprotected")
