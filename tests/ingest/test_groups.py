"""`parity.ingest.groups` (rows sharing values, refined column by column) against pandas' own
`DataFrame.duplicated`, and the blank-row finder against a cell-by-cell check (issue 19)."""

import numpy as np
import pandas as pd

from parity.ingest import groups
from parity.ingest.rows import blank_rows


def _frame(seed: int, n: int = 4000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"id": rng.choice([f"E{i}" for i in range(300)], n),
                         "date": rng.choice(["31/03/2024", "31/03/2023", ""], n),
                         "band": rng.choice(["Band 5", "Band 6", " "], n),
                         "fte": rng.choice(["1", "0.5"], n)}).astype("str")


def test_duplicated_is_pandas_duplicated_keep_first_with_first_copies():
    for seed in range(4):
        frame = _frame(seed)
        among = np.random.default_rng(seed + 10).random(len(frame)) < 0.9
        dup, first = groups.duplicated([frame[c] for c in frame.columns], among)
        sub = frame[among]
        want = np.zeros(len(frame), dtype=bool)
        want[np.flatnonzero(among)] = sub.duplicated(keep="first").to_numpy()
        assert dup.sum() > 100 and (dup == want).all()
        # each duplicate's first copy: the earliest row in `among` with the same text in every column
        firsts = {}
        for i in np.flatnonzero(among):
            firsts.setdefault(tuple(frame.iloc[i]), i)
        assert first.tolist() == [firsts[tuple(frame.iloc[i])] for i in np.flatnonzero(dup)]


def test_shared_with_no_repeats_and_one_column():
    frame = pd.DataFrame({"a": ["x", "y", "z", "x"]})
    pos, gid = groups.shared([frame["a"]], np.ones(4, dtype=bool))
    assert pos.tolist() == [0, 3] and gid[0] == gid[1]
    pos, _ = groups.shared([frame["a"]], np.array([True, True, True, False]))
    assert pos.tolist() == []


def test_blank_rows_are_rows_with_every_cell_blank():
    frame = _frame(5)
    frame.loc[[3, 50, 51], :] = ""
    frame.loc[[7], :] = ["  ", "", " ", ""]
    frame.loc[[9], :] = ["", "", "", "x"]  # only its last cell is filled: not blank
    want = frame.apply(lambda r: all(not str(v).strip() for v in r), axis=1).to_numpy()
    got = blank_rows(frame)
    assert got.tolist() == want.tolist() and got[[3, 7, 50, 51]].all() and not got[9]
