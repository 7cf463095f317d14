"""The compiled-SQL cache of `parity wres` (issue 19): the same bytes as the Ibis path, never stale,
never trusted when damaged or foreign.

Each test compares the command's JSON with ``PARITY_SQL_CACHE=0`` (the Ibis path, unchanged) and
with the cache: the run that compiles and records the SQL, and the run that replays it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import parity.sqlcache.compile as compile_module
from parity.cli import app
from parity.sqlcache import store

YEAR = 2025


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory) -> Path:
    from parity.synth import generate

    data = tmp_path_factory.mktemp("sqlcache-data")
    generate(data, staff=600, years=2, seed=7)
    return data


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory, demo_data, imported) -> Path:
    """A small demo trust (synthetic, two years), its counted tables imported."""
    return imported(demo_data, tmp_path_factory.mktemp("sqlcache-ws") / "ws")


@pytest.fixture()
def workspace(demo_workspace, tmp_path) -> Path:
    """A private copy (tests change the data or the cache)."""
    copy = tmp_path / "ws"
    shutil.copytree(demo_workspace, copy)
    return copy


@pytest.fixture()
def compiles(monkeypatch) -> list[str]:
    """Every time the cache compiles the SQL through Ibis (instead of replaying it)."""
    calls: list[str] = []
    real = compile_module.compile_counts

    def counting(folder, standard, options):
        calls.append(standard)
        return real(folder, standard, options)

    monkeypatch.setattr(compile_module, "compile_counts", counting)
    return calls


def wres_json(workspace: Path, *extra: str, cache: bool = True, standard: str = "wres") -> str:
    env = {} if cache else {"PARITY_SQL_CACHE": "0"}
    done = CliRunner().invoke(app, [standard, "--workspace", str(workspace), "--year", str(YEAR),
                                    "--format", "json", *extra], env=env)
    assert done.exit_code == 0, done.output
    json.loads(done.stdout)  # whole JSON, nothing else on stdout
    return done.stdout


@pytest.mark.parametrize(("standard", "extra"), [
    ("wres", ()), ("wres", ("--org", "R0A")),
    ("wres", ("--include-declined-offers", "--disciplinary-period", "single_year")),
    ("wdes", ()), ("wdes", ("--include-ill-health", "--capability-period", "single_year"))])
def test_cached_json_is_byte_identical_to_ibis(workspace, compiles, standard, extra):
    ibis_path = wres_json(workspace, *extra, cache=False, standard=standard)
    assert compiles == []
    first = wres_json(workspace, *extra, standard=standard)
    assert compiles == [standard]  # compiled and recorded
    cached = wres_json(workspace, *extra, standard=standard)
    assert compiles == [standard]  # replayed: no second compile
    assert first == ibis_path
    assert cached == ibis_path
    assert json.loads(cached)["indicators"][1]["groups"]["BME" if standard == "wres" else "Disabled"]["denominator"] > 0
    if standard == "wdes":  # metric 9a's scores: means and sds from exact decimal sums, same digits
        score = next(i for i in json.loads(cached)["indicators"] if i["id"] == "wdes.9a")
        assert score["value"] is not None and score["ci_low"] is not None


def test_each_set_of_options_keeps_its_own_sql(workspace, compiles):
    """Declined offers kept or left out change the SQL: each has its file, so alternating does not
    compile every time."""
    for _ in range(2):
        wres_json(workspace)
        wres_json(workspace, "--include-declined-offers")
    assert compiles == ["wres", "wres"]
    assert sorted(p.name for p in (workspace / store.CACHE_DIR).iterdir()) == [
        "wres-declined-offers-kept.sql.json", "wres.sql.json"]


def test_cache_file_is_private(workspace, compiles):
    wres_json(workspace)
    folder = workspace / store.CACHE_DIR
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "wres.sql.json").stat().st_mode & 0o777 == 0o600


def test_import_changes_the_version_and_the_stale_sql_is_not_used(workspace, demo_data, compiles, tmp_path):
    from parity.ingest import import_file
    from parity.workspace import Workspace

    before = wres_json(workspace)
    # 40 more formal disciplinary cases in 2024/25 for people of the demo: a new file, a new data version
    lines = (demo_data / "disciplinary.csv").read_text(encoding="utf-8").splitlines()
    extra = tmp_path / "disciplinary.csv"
    extra.write_text("\n".join([lines[0]] + [
        ",".join([f'"NEW{i:05d}"', row.split(",")[1], f"2024-11-{1 + i % 28:02d}", row.split(",", 4)[3], "true",
                  *row.split(",")[5:]]) for i, row in enumerate(lines[1:41])]) + "\n", encoding="utf-8")
    version = Workspace(workspace).data_version
    result = import_file(Workspace.open(workspace), extra, "disciplinary")
    assert Workspace(workspace).data_version != version, result
    compiles.clear()
    after = wres_json(workspace)
    assert compiles == ["wres"]  # the key changed: compiled again, not the stale SQL
    assert after == wres_json(workspace, cache=False)
    assert after != before


def test_a_table_changed_outside_parity_is_counted_afresh(workspace, compiles):
    """Rows deleted without a new data version: the cached SQL runs on the data as it is now."""
    before = wres_json(workspace)
    con = duckdb.connect(str(workspace / "parity.duckdb"))
    con.execute("DELETE FROM disciplinary WHERE rowid % 2 = 0")  # no data version bump
    con.close()
    after = wres_json(workspace)
    assert after == wres_json(workspace, cache=False)
    assert after != before


def test_a_survey_year_added_outside_parity_compiles_again(workspace, compiles, monkeypatch):
    """The question map is expanded for the survey years present: a new year (no new data version)
    makes the recorded SQL stale, so it is compiled again rather than run."""
    import parity.sqlcache.key as key

    monkeypatch.setattr(key, "catalogue", lambda con: [])  # table sizes left out of the key: the check alone
    wres_json(workspace)
    con = duckdb.connect(str(workspace / "parity.duckdb"))
    con.execute("INSERT INTO survey_responses SELECT * REPLACE (survey_year + 1 AS survey_year) FROM survey_responses "
                "WHERE survey_year = (SELECT max(survey_year) FROM survey_responses)")
    con.close()
    compiles.clear()
    after = wres_json(workspace)
    assert compiles == ["wres"]
    assert after == wres_json(workspace, cache=False)


def test_a_damaged_cache_file_is_rebuilt(workspace, compiles):
    expected = wres_json(workspace)
    path = store.path_for(workspace, "wres")
    path.write_bytes(b"\x00not json at all")
    assert wres_json(workspace) == expected
    assert compiles == ["wres", "wres"]
    header = json.loads(path.read_bytes().partition(b"\n")[0])  # rebuilt and signed
    assert header["format"] == store.FORMAT


def test_tampered_sql_is_never_run(workspace, compiles, tmp_path):
    """The cache is code: SQL changed in the file (here: writing a file) fails the signature check."""
    expected = wres_json(workspace)
    path = store.path_for(workspace, "wres")
    head, _, body = path.read_bytes().partition(b"\n")
    plan = json.loads(body)
    marker = tmp_path / "pwned.csv"
    plan["stand_ins"].insert(0, f"COPY (SELECT 42) TO '{marker}'")
    path.write_bytes(head + b"\n" + json.dumps(plan, separators=(",", ":")).encode())
    assert wres_json(workspace) == expected
    assert not marker.exists()
    assert compiles == ["wres", "wres"]


def test_a_foreign_cache_file_is_ignored(workspace, compiles, tmp_path, monkeypatch):
    """A file signed by another user's secret (or copied from another machine) is not trusted."""
    expected = wres_json(workspace)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "another-user"))
    assert store.load(workspace, "wres", json.loads(store.path_for(workspace, "wres").read_bytes()
                                                     .partition(b"\n")[0])["key"]) is None
    assert wres_json(workspace) == expected
    assert compiles == ["wres", "wres"]


def test_survey_aggregates_override_responses_as_on_the_ibis_path(workspace, compiles):
    """Supplied survey aggregates replace the responses' counts for the same organisation, year and
    indicator; a percent without a count is turned back into a count (the plain-Python step)."""
    con = duckdb.connect(str(workspace / "parity.duckdb"))
    org, year = con.execute("SELECT any_value(org_code), max(survey_year) FROM survey_responses").fetchone()
    con.execute('CREATE TABLE survey_results (survey_year BIGINT, org_code VARCHAR, indicator VARCHAR, '
                '"group" VARCHAR, responses BIGINT, positive BIGINT, "percent" DOUBLE)')
    con.execute("INSERT INTO survey_results VALUES "
                f"({year}, '{org}', 'wres.5', 'White', 300, NULL, 12.5), ({year}, '{org}', 'wres.5', 'BME', 90, 21, NULL), "
                f"({year - 1}, 'ZZZ', 'wres.6', 'White', 10, NULL, 25.0)")
    con.close()
    ibis_path = wres_json(workspace, cache=False)
    assert wres_json(workspace) == ibis_path
    assert wres_json(workspace) == ibis_path
    assert compiles == ["wres"]
    wres5 = next(i for i in json.loads(ibis_path)["indicators"] if i["id"] == "wres.5")
    assert wres5["source"] == "aggregates"
    assert wres5["groups"]["White"]["numerator"] == round(12.5 * 300 / 100)  # 37.5 -> 38 (half to even)
    assert wres5["groups"]["BME"]["numerator"] == 21


def test_wdes_cached_imports_neither_ibis_nor_pandas(workspace):
    run = ("import json, sys\n"
           "sys.argv = ['parity', 'wdes', '--workspace', sys.argv[1], '--year', '2025', '--format', 'json']\n"
           "from parity.cli import main\n"
           "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
           "print(json.dumps([m for m in ('ibis', 'pandas', 'pyarrow', 'parity.ingest') if m in sys.modules]), file=sys.stderr)\n")
    outputs = []
    for _ in range(2):  # the first run compiles the SQL through Ibis, the second replays it
        done = subprocess.run([sys.executable, "-c", run, str(workspace)], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        outputs.append((done.stdout, json.loads(done.stderr.strip().splitlines()[-1])))
    assert outputs[0][1] != []  # the compiling run did use them
    assert outputs[1][1] == []
    assert outputs[1][0] == outputs[0][0]


def test_turned_off_keeps_the_ibis_path(workspace, compiles):
    wres_json(workspace, cache=False)
    assert compiles == [] and not store.path_for(workspace, "wres").exists()


def test_a_signed_plan_whose_sql_fails_is_compiled_again(workspace, compiles):
    """A query that fails (here: a table no longer there) is a clear sign the plan does not fit:
    compiled again through Ibis rather than reported as an error."""
    expected = wres_json(workspace)
    key = json.loads(store.path_for(workspace, "wres").read_bytes().partition(b"\n")[0])["key"]
    plan = store.load(workspace, "wres", key)
    step = next(s for s in plan["steps"] if s["kind"] == "frame")
    step["sql"] = "SELECT * FROM no_such_table"
    assert store.save(workspace, "wres", key, plan)
    assert wres_json(workspace) == expected
    assert compiles == ["wres", "wres"]
    assert store.load(workspace, "wres", key)["steps"] != plan["steps"]  # replaced


def test_another_ibis_release_compiles_again(workspace, compiles, monkeypatch):
    """The SQL and how Ibis reads its results belong to the Ibis release that wrote them."""
    import parity.sqlcache.key as key

    wres_json(workspace)
    monkeypatch.setattr(key, "ibis_stamp", lambda: "another release")
    wres_json(workspace)
    assert compiles == ["wres", "wres"]
