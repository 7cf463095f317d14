"""Accepted rows go to DuckDB in Arrow record batches (`load.BATCH_ROWS`, docs/ingest.md "Speed"):
the stored rows, their values and their order are those of one whole-table insert."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from parity.contract.schema import TABLES
from parity.ingest import import_file, load
from parity.workspace import Workspace


def stored(ws: Workspace) -> list[tuple]:
    ids = {c.name for c in TABLES["workforce"].columns if c.kind == "id"}  # pseudonyms: a key per workspace
    with ws.connect() as con:
        cols = [r[0] for r in con.execute('DESCRIBE "workforce"').fetchall() if r[0] not in ids]
        return con.execute(f'SELECT {", ".join(cols)} FROM "workforce" ORDER BY rowid').fetchall()


def test_batched_insert_stores_the_same_rows_in_file_order(sample, tmp_path, write_csv, monkeypatch):
    path = write_csv(sample("workforce", n=50, seed=3))
    whole = Workspace.open(tmp_path / "whole")
    assert import_file(whole, path, "workforce", org="RAB").imported
    batches = []
    real = load.to_arrow

    def spy(*args):
        out = real(*args)
        batches.append([b.num_rows for b in out.to_batches()])
        return out

    monkeypatch.setattr(load, "BATCH_ROWS", 7)
    monkeypatch.setattr(load, "to_arrow", spy)
    batched = Workspace.open(tmp_path / "batched")
    assert import_file(batched, path, "workforce", org="RAB").imported
    assert batches == [[7] * 7 + [1]]  # 50 rows: seven batches of 7 and one of 1
    want = stored(whole)
    assert len(want) == 50 and len({r for r in want}) > 1
    assert stored(batched) == want


def test_to_arrow_of_no_rows_is_an_empty_typed_table():
    table = TABLES["workforce"]
    frame = pd.DataFrame({name: pd.Series([], dtype=object) for name, _ in load.stored_columns(table)})
    out = load.to_arrow(frame, table, 1)
    assert out.num_rows == 0
    assert out.schema.field("import_id").type == pa.int32()
    assert out.schema.field("snapshot_date").type == pa.date32()
