"""Pseudonyms equal an independent HMAC-SHA256 computation (issue 19: the fast path must not
change a single stored value, or existing workspaces would stop linking)."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import pytest

from parity.ingest import import_file
from parity.ingest.pseudonymise import pseudonymise, pseudonyms

IDS = ["E100000", " E100000 ", "10000001", "Zoë-7", "", "x" * 300, "E100000", "10000001"]


def reference(key: bytes, raw: str) -> str:
    """The rule in docs/data-contract.md, written out with the standard library only."""
    return hmac.new(key, raw.strip().encode("utf-8"), hashlib.sha256).hexdigest()[:20]


@pytest.mark.parametrize("key", [bytes(range(32)), b"short", bytes(range(64)), bytes(range(100)) + b"\xff" * 37])
def test_pseudonyms_equal_hmac_sha256_for_keys_of_any_length(key):
    got = pseudonymise(key, pd.Series(IDS + [None], dtype=object))
    assert list(got[:-1]) == [reference(key, i) for i in IDS]
    assert got.iloc[-1] is None  # missing stays missing
    assert pseudonyms(key, [b"E1", b"E2"]) == [reference(key, "E1"), reference(key, "E2")]


def test_several_id_columns_at_once_give_each_column_its_own_pseudonyms():
    """Ids shared by two columns (person and assignment numbers) are hashed once, same values."""
    from parity.ingest.pseudonymise import pseudonymise_columns

    key = bytes(range(32))
    other = ["10000001", " E100000", "A-2", None, "A-2", "E100000 "]
    first, second, empty = pseudonymise_columns(key, [pd.Series(IDS + [None], dtype=object),
                                                      pd.Series(other, dtype=object, index=range(10, 16)),
                                                      pd.Series([], dtype=object)])
    assert list(first[:-1]) == [reference(key, i) for i in IDS] and first.iloc[-1] is None
    assert list(second.index) == list(range(10, 16)) and second.iloc[3] is None
    assert list(second.iloc[[0, 1, 2, 4, 5]]) == [reference(key, i) for i in other if i is not None]
    assert len(empty) == 0


def test_a_known_key_and_id_give_a_fixed_pseudonym():
    # fixed once (hmac.new(b"parity-test-key", b"E100000", sha256)); a changed value breaks every workspace
    assert pseudonymise(b"parity-test-key", pd.Series(["E100000"]))[0] == reference(b"parity-test-key", "E100000")
    assert reference(b"parity-test-key", "E100000") == hmac.new(
        b"parity-test-key", b"E100000", "sha256").hexdigest()[:20]


def test_stored_ids_are_the_hmac_of_the_raw_ids(ws, sample, write_csv, read_table):
    apps = sample("applications", n=40)
    apps.loc[3, "applicant_id"] = "  " + apps.loc[3, "applicant_id"] + " "
    import_file(ws, write_csv(apps, "apps.csv"), "applications")
    got = read_table(ws, "applications").sort_values("application_id")
    key = ws.key
    want = {reference(key, a): (reference(key, v), reference(key, p))
            for a, v, p in zip(apps["application_id"], apps["vacancy_id"], apps["applicant_id"], strict=True)}
    assert len(got) == 40
    for a, v, p in zip(got["application_id"], got["vacancy_id"], got["applicant_id"], strict=True):
        assert want[a] == (v, p)


def test_repeated_rows_match_pandas_duplicated_on_text():
    """The integer-code duplicate finder (issue 19 memory) agrees with pandas on the text of the keys."""
    import numpy as np

    from parity.ingest.validate import repeated

    rng = np.random.default_rng(3)
    n = 5000
    frame = pd.DataFrame({"a": rng.choice(["x", "y", None], n), "b": rng.choice([1.5, 2.0, np.nan], n),
                          "c": rng.choice([f"E{i}" for i in range(400)], n)}, dtype=object)
    among = rng.random(n) < 0.8
    got = repeated(frame, ["a", "b", "c"], among)
    text = frame.astype(str)[among]
    want = np.zeros(n, dtype=bool)
    want[np.flatnonzero(among)] = text.duplicated(keep=False).to_numpy()
    assert got.sum() > 100 and (got == want).all()


def test_arrow_pseudonyms_equal_hmac_and_keep_missing_missing():
    """What the import stores (`pseudonymise_arrow`): Arrow text, each the HMAC of the stripped id."""
    import pyarrow as pa

    from parity.ingest.pseudonymise import pseudonymise_arrow

    key = bytes(range(32))
    other = ["10000001", " E100000", "A-2", None, "A-2", "E100000 "]
    first, second, blank = pseudonymise_arrow(key, [pd.Series(IDS + [None], dtype=object),
                                                    pd.Series(other, dtype=object, index=range(10, 16)),
                                                    pd.Series([None, None], dtype=object)])
    assert pa.array(first.array).to_pylist() == [reference(key, i) for i in IDS] + [None]
    assert list(second.index) == list(range(10, 16))
    assert pa.array(second.array).to_pylist() == [reference(key, i.strip()) if i else None for i in other]
    assert pa.array(blank.array).to_pylist() == [None, None]
