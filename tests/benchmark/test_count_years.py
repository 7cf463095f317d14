"""`parity benchmark build` counts only the years it needs (issue 18, "Scale"): the reporting year and
the year before, not every year of the workspace, with the same stored rows.

The references are computed the old way in each test: counting every year (`count_wres` / `count_wdes`
without ``years``, or the build with the restriction turned off)."""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime

import duckdb
import ibis
import pandas as pd
import pytest

import parity.report.release as release
import parity.sqlcache.compile as compile_module
import parity.standards.wdes.counts as wdes_counts
import parity.standards.wres.counts as wres_counts
from parity import sqlcache
from parity.benchmark.build import protected_frame
from parity.disclosure import DisclosureRule
from parity.indicators.periods import in_financial_years
from parity.indicators.rows import Rows
from parity.indicators.source import open_source
from parity.indicators.survey import load_question_map, score_counts
from parity.report.release import protected_standards, standard_results

from .conftest import region_workspace

#: four reporting years, 2022 to 2025: a middle year has a year before and after it, and the year
#: before the year before (which only the rolling windows' last-year comparison reads)
YEARS = 4
ROLLING = ("wres.3", "wdes.3")


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    return region_workspace(tmp_path_factory.mktemp("count-years") / "ws", orgs=4, staff=1600, seed=11,
                            years=YEARS).path


def plain(value):
    """A cell as a comparable Python value (NaN / NA -> None, NumPy scalars -> Python)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def rows(frame) -> list[tuple]:
    """A count frame (pandas or `Rows`) as sorted tuples of (column, value) pairs."""
    data = frame.columns if isinstance(frame, Rows) else {c: frame[c].tolist() for c in frame.columns}
    out = [tuple(sorted((c, plain(v)) for c, v in zip(data, values, strict=True)))
           for values in zip(*data.values(), strict=True)]
    return sorted(out, key=repr)


def counted(workspace, standard: str, years, *, cache: bool):
    """(counts, scores) of `standard`: through Ibis, or the compiled-SQL cache."""
    if cache:
        return sqlcache.standard_counts(workspace, standard, exclude_declined=True, years=years)
    con, wdir = open_source(workspace)
    module = wres_counts if standard == "wres" else wdes_counts
    counts = getattr(module, f"count_{standard}")(con, workspace_dir=wdir, years=years)
    if standard == "wres":
        return counts, None
    survey_years = None if years is None else [y - 1 for y in years]
    return counts, score_counts(con, wdes_counts.by_disability, load_question_map(wdir), ["wdes.9a"],
                                survey_years=survey_years)


def frames(counts, scores) -> dict[str, tuple[object, str]]:
    """Every count frame and the column that places its rows in a year."""
    out = {f: (getattr(counts, f), "year") for f in ("distribution", "headcount", "recruitment", "board")}
    out |= {f"events:{k}": (v, "year") for k, v in counts.events.items()}
    out["survey"] = (counts.survey, "survey_year")
    if scores is not None:
        out["scores"] = (scores, "survey_year")
    return out


# --- the filter ------------------------------------------------------------------------------------

def test_in_financial_years_is_the_financial_year_of_each_date():
    """Against the rule worked by hand: 31 March Y is reporting year Y, 1 April Y is Y + 1."""
    days = [date(2022, 3, 31), date(2022, 4, 1), date(2023, 3, 31), date(2023, 4, 1), date(2023, 12, 31),
            date(2024, 1, 1), date(2024, 3, 31), date(2024, 4, 1), date(2025, 3, 31), date(2025, 4, 1)]
    t = ibis.memtable({"d": days, "ts": [datetime(d.year, d.month, d.day, 23, 59) for d in days]})
    con = ibis.duckdb.connect()
    for years in ([2024], [2023, 2024], [2023, 2025], [2022, 2023, 2025]):
        for column in ("d", "ts"):
            got = con.execute(t.select(keep=in_financial_years(t[column], years)))["keep"].tolist()
            assert got == [(d.year + (d.month >= 4)) in years for d in days], (years, column)
    assert not con.execute(t.select(keep=in_financial_years(t.d, [])))["keep"].any()


# --- the counts ------------------------------------------------------------------------------------

@pytest.mark.parametrize("cache", [False, True], ids=["ibis", "sqlcache"])
@pytest.mark.parametrize("standard", ["wres", "wdes"])
def test_restricted_counts_are_those_rows_of_every_years_counts(region, standard, cache, monkeypatch):
    """Every frame counted for 2023 and 2024 (a year on either side held) holds exactly the rows of
    those years that counting every year gives; what is not a count of a year is the same."""
    monkeypatch.setenv(sqlcache.ENV, "1" if cache else "0")
    years = [2023, 2024]
    full_counts, full_scores = counted(region, standard, None, cache=cache)
    part_counts, part_scores = counted(region, standard, years, cache=cache)
    full, part = frames(full_counts, full_scores), frames(part_counts, part_scores)
    assert full.keys() == part.keys()
    for name, (frame, column) in full.items():
        wanted = set(years) if column == "year" else {y - 1 for y in years}  # the survey of Y is Y - 1's
        kept = [r for r in rows(frame) if dict(r)[column] in wanted]
        assert kept, f"{name}: nothing counted in {sorted(wanted)}: a weak test"
        assert len(kept) < len(rows(frame)), f"{name}: every row is of {sorted(wanted)}: a weak test"
        assert rows(part[name][0]) == kept, name
    assert part_counts.missing_tables == full_counts.missing_tables
    assert part_counts.table_years == full_counts.table_years
    assert part_counts.orgs() == full_counts.orgs() == ["R0A", "R0B", "R0C", "R0D"]


def test_each_set_of_years_keeps_its_own_sql(region, tmp_path, monkeypatch):
    """A cached plan for one set of years never replays for another: each set has its file (and
    key), and each replay gives its own years' counts (the Ibis path's)."""
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(region, ws, ignore=shutil.ignore_patterns("sql-cache"))  # no plan yet
    calls: list = []
    real = compile_module.compile_counts
    monkeypatch.setattr(compile_module, "compile_counts",
                        lambda folder, standard, options: calls.append(options.get("years")) or real(
                            folder, standard, options))
    monkeypatch.setenv(sqlcache.ENV, "1")
    sets = ([2024, 2025], [2023, 2024], [2024, 2025], [2023, 2024])
    got = [rows(sqlcache.standard_counts(ws, "wres", exclude_declined=True, years=y)[0].headcount) for y in sets]
    assert calls == [[2024, 2025], [2023, 2024]]  # the last two replayed
    assert got[0] == got[2] != got[1] == got[3]
    monkeypatch.setenv(sqlcache.ENV, "0")
    assert got[1] == rows(counted(ws, "wres", [2023, 2024], cache=False)[0].headcount)
    assert sorted(p.name for p in (ws / "sql-cache").iterdir()) == [
        "wres-years-2023-2024.sql.json", "wres-years-2024-2025.sql.json"]


def test_a_plan_for_other_years_is_never_replayed(region, tmp_path, monkeypatch):
    """A signed plan for 2024-2025 put in the place of 2023-2024's is refused (the years are in its
    key, not only in its file name): compiled again, it counts 2023 and 2024."""
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(region, ws, ignore=shutil.ignore_patterns("sql-cache"))
    monkeypatch.setenv(sqlcache.ENV, "1")
    sqlcache.standard_counts(ws, "wres", exclude_declined=True, years=[2024, 2025])
    cache = ws / "sql-cache"
    shutil.copy(cache / "wres-years-2024-2025.sql.json", cache / "wres-years-2023-2024.sql.json")
    calls: list = []
    real = compile_module.compile_counts
    monkeypatch.setattr(compile_module, "compile_counts",
                        lambda folder, standard, options: calls.append(options.get("years")) or real(
                            folder, standard, options))
    got = sqlcache.standard_counts(ws, "wres", exclude_declined=True, years=[2023, 2024])[0]
    assert calls == [[2023, 2024]]
    assert {dict(r)["year"] for r in rows(got.headcount)} == {2023, 2024}


def plan_steps(workspace, stem: str) -> list[str]:
    """The names of a stored plan's frame steps."""
    body = (workspace / "sql-cache" / f"{stem}.sql.json").read_bytes().partition(b"\n")[2]
    return [step.get("name") for step in json.loads(body)["steps"] if step["kind"] == "frame"]


def test_a_workspace_of_only_the_years_counted_is_counted_as_before(make_region, region, tmp_path, monkeypatch):
    """Two years held, both asked for (the 44-organisation set's case): the counts of every year, with
    neither a filter nor the organisations looked up again; with more years held, both."""
    monkeypatch.setenv(sqlcache.ENV, "1")
    two = make_region(tmp_path / "two", orgs=3, staff=900, seed=3, years=2).path
    got = sqlcache.standard_counts(two, "wdes", exclude_declined=True, years=[2024, 2025])
    steps = plan_steps(two, "wdes-years-2024-2025")
    assert "organisations" not in steps and {"span:workforce", "span:survey_responses"} <= set(steps)
    monkeypatch.setenv(sqlcache.ENV, "0")
    every = counted(two, "wdes", None, cache=False)
    for name, (frame, _column) in frames(*every).items():
        assert rows(frames(*got)[name][0]) == rows(frame), name
    monkeypatch.setenv(sqlcache.ENV, "1")
    sqlcache.standard_counts(region, "wdes", exclude_declined=True, years=[2024, 2025])
    assert "organisations" in plan_steps(region, "wdes-years-2024-2025")


# --- the results and the build ---------------------------------------------------------------------

def without_last_year_of_windows(doc: dict, *, protected: bool = False) -> dict:
    """A document without the last-year comparison of the two-year rolling windows (WRES 3, WDES 3):
    all that the year before the year before decides. Unprotected, that is ``previous``, ``change`` and
    the narrative's last-year sentence; protected (both withheld, the sentence struck), ``previous``,
    ``change``, the protection's lists naming them and its reason, which says derived figures were
    withheld too."""
    doc = json.loads(json.dumps(doc, default=str))
    at = [i for i, ind in enumerate(doc["indicators"]) if ind["id"] in ROLLING]
    alternatives = "|".join(map(str, at))
    named = re.compile(rf"indicators\[({alternatives})\]\.(previous|change)\b")
    for i in at:
        ind = doc["indicators"][i]
        ind.pop("previous", None)
        ind.pop("change", None)
        if protected:
            (ind.get("disclosure") or {}).pop("reason", None)
        else:
            ind.pop("narrative", None)

    def clean(x):
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, list):
            return [clean(v) for v in x if not (isinstance(v, str) and named.search(v))]
        return x
    return clean(doc)


@pytest.mark.parametrize("year", [2025, 2024])
@pytest.mark.parametrize("standard", ["wres", "wdes"])
def test_results_are_those_of_every_year_but_the_windows_last_year(region, standard, year):
    """Year Y's unprotected results from the restricted counts equal those from every year's, but for
    the rolling windows' comparison with last year's window (it reads Y - 2): absent, not wrong."""
    every, orgs = standard_results(standard, region, years=[year])
    some, some_orgs = standard_results(standard, region, years=[year], restrict_years=True)
    assert some.keys() == every.keys() and len(every) == 5 and some_orgs == orgs
    for key, result in every.items():
        full, part = result.to_dict(), some[key].to_dict()
        assert some[key].disclosure_one_year == result.disclosure_one_year and result.disclosure_one_year
        rolling = [i for i in full["indicators"] if i["id"] in ROLLING]
        # the year before the year before is held, so every year-Y window has a last-year comparison
        assert rolling and all(i["period_rule"] == "two_year_rolling" and i.get("previous") for i in rolling)
        assert all(i.get("previous") is None for i in part["indicators"] if i["id"] in ROLLING)
        assert without_last_year_of_windows(part) == without_last_year_of_windows(full)


def reference_build(workspace, year: int) -> list[tuple]:
    """The rows of the build counting every year (the restriction turned off), as before."""
    real = release.protected_standards
    with pytest.MonkeyPatch.context() as m:
        m.setattr(release, "protected_standards",
                  lambda *args, restrict_years=False, **kwargs: real(*args, **kwargs))
        return table(protected_frame(workspace, year=year))


@pytest.fixture(scope="module")
def reference(region):
    """reference(year): `reference_build` of the region, once per year."""
    memo: dict[int, list[tuple]] = {}
    return lambda year: memo[year] if year in memo else memo.setdefault(year, reference_build(region, year))


def table(frame) -> list[tuple]:
    return rows(frame.astype(object))


@pytest.mark.parametrize("year", [2025, 2024])
def test_build_stores_the_rows_of_every_years_counting(region, reference, year, monkeypatch):
    """The rows `parity benchmark build` stores for the last and a middle year (rolling periods on, the
    defaults) equal those counted from every year; and only the year and the one before are counted."""
    asked: list = []
    for module in (wres_counts, wdes_counts):
        real = module.count_standard
        monkeypatch.setattr(module, "count_standard",
                            lambda *a, real=real, **k: asked.append(k.get("years")) or real(*a, **k))
    monkeypatch.setenv(sqlcache.ENV, "0")
    built = protected_frame(region, year=year)
    assert asked == [[year - 1, year]] * 2
    assert table(built) == reference(year)
    counts = built[["numerator_a", "denominator_a", "numerator_b", "denominator_b"]]
    assert counts.isna().to_numpy().any() and counts.notna().to_numpy().any(), "no withheld count: a weak test"
    assert set(built["org_code"]) == {"R0A", "R0B", "R0C", "R0D"}


@pytest.mark.parametrize("year", [2022, 2027])
def test_build_of_the_first_year_or_a_year_without_data_is_as_before(region, reference, year, monkeypatch):
    """The first year held (no year before it) and a year after the data (nothing in it or the year
    before): the same rows as counting every year, from the compiled SQL."""
    monkeypatch.setenv(sqlcache.ENV, "1")
    assert table(protected_frame(region, year=year)) == reference(year)


def test_build_from_the_sql_cache_stores_the_same_rows(region, reference, tmp_path, monkeypatch):
    """The build on DuckDB counts from the compiled-SQL cache, its plan restricted to the two years
    (the replay of a plan is `test_restricted_counts_are_those_rows_of_every_years_counts`')."""
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(region, ws, ignore=shutil.ignore_patterns("sql-cache"))
    monkeypatch.setenv(sqlcache.ENV, "1")
    built = protected_frame(ws, year=2025)
    assert sorted(p.name for p in (ws / "sql-cache").iterdir()) == ["wdes-years-2024-2025.sql.json",
                                                                    "wres-years-2024-2025.sql.json"]
    assert table(built) == reference(2025)


def test_protected_documents_are_the_same_but_the_windows_last_year(region):
    """The reporting year's protected release: every figure and every decision the same; the rolling
    windows' last-year comparison, withheld from this release either way, is absent instead."""
    rule = DisclosureRule()
    every = protected_standards(region, rule, years=[2025])
    some = protected_standards(region, rule, years=[2025], restrict_years=True)
    for name in ("wres", "wdes"):
        docs, part = every[name][2], some[name][2]
        assert docs.keys() == part.keys() and every[name][1] == some[name][1]
        for key, doc in docs.items():
            assert (without_last_year_of_windows(part[key], protected=True)
                    == without_last_year_of_windows(doc, protected=True)), (name, key)


def test_an_organisation_without_data_in_the_years_counted_is_still_one(tmp_path, monkeypatch):
    """An organisation whose records all end before the year before is counted everywhere as one of
    the workspace's organisations (its results of the year empty): the same rows either way."""
    ws = region_workspace(tmp_path / "ws", orgs=3, staff=900, seed=3, years=3).path
    con = duckdb.connect(str(ws / "parity.duckdb"))
    dated = {"workforce": "snapshot_date", "applications": "application_date", "disciplinary": "case_start_date",
             "capability": "case_start_date", "training": "course_date"}
    for name, column in dated.items():
        con.execute(f"DELETE FROM {name} WHERE org_code = 'R0A' AND {column} >= DATE '2023-04-01'")
    con.execute("DELETE FROM survey_responses WHERE org_code = 'R0A' AND survey_year >= 2023")
    con.close()
    for cache in (False, True):
        monkeypatch.setenv(sqlcache.ENV, "1" if cache else "0")
        for standard in ("wres", "wdes"):
            full = counted(ws, standard, None, cache=cache)[0]
            part = counted(ws, standard, [2024, 2025], cache=cache)[0]
            assert "R0A" not in {o for f in (part.headcount, part.recruitment, part.survey) for o in f["org_code"]}
            assert part.orgs() == full.orgs() == ["R0A", "R0B", "R0C"]
    built = protected_frame(ws, year=2025)
    assert "R0A" in set(built["org_code"])
    assert table(built) == reference_build(ws, 2025)


def test_people_with_cases_keep_the_group_of_their_latest_record_of_any_year(region, tmp_path, monkeypatch):
    """A person with a case is placed by their latest workforce record (`person_attributes`), which may
    be of a year not counted: counting 2023 and 2024 still reads it from 2025's snapshot."""
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(region, ws, ignore=shutil.ignore_patterns("sql-cache"))
    monkeypatch.setenv(sqlcache.ENV, "0")
    before = [r for r in rows(counted(ws, "wres", None, cache=False)[0].events["disciplinary"])
              if dict(r)["year"] == 2024]
    con = duckdb.connect(str(ws / "parity.duckdb"))
    changed = con.execute(  # people with a case in 2023/24 who are recorded after it: now Unknown there
        "UPDATE workforce SET ethnic_category = 'Z' WHERE snapshot_date >= DATE '2024-04-01' AND "
        "(org_code, person_id) IN (SELECT org_code, person_id FROM disciplinary WHERE formal AND "
        "case_start_date BETWEEN DATE '2023-04-01' AND DATE '2024-03-31')").fetchone()[0]
    con.close()
    full = [r for r in rows(counted(ws, "wres", None, cache=False)[0].events["disciplinary"])
            if dict(r)["year"] == 2024]
    assert changed and full != before, "the later records place no one: a weak test"
    part = rows(counted(ws, "wres", [2023, 2024], cache=False)[0].events["disciplinary"])
    assert [r for r in part if dict(r)["year"] == 2024] == full


@pytest.mark.parametrize("indicator", ["wres.3", "wdes.2"])
def test_parity_benchmark_from_raw_tables_counts_two_years_and_says_the_same(region, indicator):
    """`parity benchmark` without a benchmarks table counts the year and the one before (the year's
    values only): the same comparison as counting every year, a rolling window's included."""
    from parity.benchmark.compare import compare

    asked: list = []
    real = release.standard_results

    def spy(*args, restrict_years=False, **kwargs):
        asked.append(restrict_years)
        return real(*args, **kwargs, restrict_years=restrict_years)

    def every_year(*args, restrict_years=False, **kwargs):
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(release, "standard_results", spy)
        got = compare(region, year=2025, indicator=indicator)
        m.setattr(release, "standard_results", every_year)
        expected = compare(region, year=2025, indicator=indicator)
    assert asked == [True]
    assert got == expected and got["source"] == "workspace"
    assert sum(r["value"] is not None for r in got["organisations"]) >= 3, "few values: a weak test"


def test_the_survey_organisations_are_those_of_every_years_survey_counts(region, tmp_path):
    """`survey_organisations` finds, without counting, the organisations `survey_counts` over every
    survey year has rows for: responses to a question the map reads (that year's or any year's), and
    supplied aggregates of the standard's indicators only."""
    import shutil

    from parity.indicators.survey import survey_counts, survey_organisations
    from parity.standards.wres.definitions import SURVEY_IDS

    ws = tmp_path / "ws"
    shutil.copytree(region, ws, ignore=shutil.ignore_patterns("sql-cache"))
    con = duckdb.connect(str(ws / "parity.duckdb"))
    con.execute('CREATE TABLE survey_results (survey_year BIGINT, org_code VARCHAR, indicator VARCHAR, '
                '"group" VARCHAR, responses BIGINT, positive BIGINT, "percent" DOUBLE)')
    con.execute("INSERT INTO survey_results VALUES (2019, 'RAG', 'wres.5', 'White', 300, 12, NULL), "
                "(2019, 'RNO', 'wdes.5', 'Disabled', 30, 3, NULL)")  # RNO: no WRES indicator
    # RQX answered only a question no map row reads; RQY three responses copied from another organisation
    con.execute("INSERT INTO survey_responses BY NAME (SELECT * REPLACE ('RQX' AS org_code, "
                "'no such question' AS question) FROM survey_responses LIMIT 3)")
    con.execute("INSERT INTO survey_responses BY NAME (SELECT * REPLACE ('RQY' AS org_code) "
                "FROM survey_responses LIMIT 3)")
    con.close()
    ibis_con, wdir = open_source(ws)
    qmap = load_question_map(wdir)
    counted_orgs = set(survey_counts(ibis_con, wres_counts.by_ethnicity, qmap, SURVEY_IDS)["org_code"])
    found = set(survey_organisations(ibis_con, qmap, SURVEY_IDS).to_pandas()["org_code"])
    assert found == counted_orgs
    assert {"RAG", "RQY"} <= found and not {"RNO", "RQX"} & found
