"""Optional columns the file lacks are stored as NULLs of their declared types (docs/ingest.md
"Speed", session 27: leaving them out of the INSERT was measured and saved nothing; these tests
hold whichever way the rows are sent)."""

from __future__ import annotations

from parity.contract.schema import TABLES
from parity.ingest import import_file, load
from parity.workspace import Workspace

OPTIONAL_TEXT = ("religion", "sexual_orientation", "marital_status", "org_l3", "org_l4", "org_l5", "org_l6",
                 "org_l7", "site", "board_role")
#: the declared SQL type of each stored workforce column, written out here (not taken from `load`)
DECLARED = {"snapshot_date": "DATE", "fte": "DOUBLE", "clinical": "BOOLEAN", "primary_assignment": "BOOLEAN",
            "board_member": "BOOLEAN", "board_voting": "BOOLEAN", "import_id": "INTEGER"}


def test_absent_optional_columns_are_stored_as_typed_nulls(sample, tmp_path, write_csv):
    df = sample("workforce", n=40, seed=5)
    df = df.drop(columns=[c for c in df.columns if c in OPTIONAL_TEXT or c == "board_voting"])
    path = write_csv(df)
    ws = Workspace.open(tmp_path / "ws")
    assert import_file(ws, path, "workforce", org="RAB").imported
    with ws.connect() as con:
        types = dict(con.execute('SELECT column_name, data_type FROM duckdb_columns() '
                                 "WHERE table_name = 'workforce'").fetchall())
        empty = [name for name in types if con.execute(
            f'SELECT count(*) FROM workforce WHERE "{name}" IS NOT NULL').fetchone()[0] == 0]
        assert con.execute("SELECT count(*) FROM workforce").fetchone()[0] == 40
    assert set(types) == {n for n, _ in load.stored_columns(TABLES["workforce"])} | {"import_id"}
    for name, kind in types.items():
        assert kind == DECLARED.get(name, "VARCHAR"), name
    assert {*OPTIONAL_TEXT, "board_voting"} <= set(empty)  # every absent column is NULL in every row
    assert {"person_id", "snapshot_date", "fte", "clinical", "import_id"}.isdisjoint(empty)


def test_an_absent_column_with_a_declared_default_is_still_stored_as_null(sample, tmp_path, write_csv):
    df = sample("workforce", n=10, seed=6).drop(columns=["site"], errors="ignore")
    ws = Workspace.open(tmp_path / "ws")
    with ws.connect() as con:  # a table given a default: an absent column is still stored as NULL (so
        # an INSERT that left the NULL columns out would have to send this one)
        con.execute(load.create_sql(TABLES["workforce"]))
        con.execute("ALTER TABLE workforce ALTER COLUMN site SET DEFAULT 'somewhere'")
    assert import_file(ws, write_csv(df), "workforce", org="RAB").imported
    with ws.connect() as con:
        assert con.execute("SELECT count(*), count(site) FROM workforce").fetchone() == (10, 0)
