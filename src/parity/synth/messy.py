"""Realistic defects for the written files (``--messy``), each recorded in ``messy_defects.json``.

Defects are applied to all-string copies of the tables (what a spreadsheet export holds); row
numbers are as a user sees them in the file: the header is row 1, the first data row row 2.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: ESR label variants the lookup knows → the national code they mean
LABEL_VARIANTS = {"A White - British": ("White British", "A"), "N Black or Black British - African":
                  ("Black African", "N"), "Z Not Stated": ("Not Stated", "Z")}
UNDEFINED = ("Undefined", "99")
UNMAPPABLE = ["Other - please specify", "Mixed - see notes"]


class Sheet:
    """An all-string table whose defects are recorded against stable row labels."""

    def __init__(self, tab: pa.Table, file: str, rng: np.random.Generator):
        cols = {n: pc.cast(tab.column(n), pa.string()) if not pa.types.is_dictionary(tab.column(n).type)
                else tab.column(n).cast(pa.string()) for n in tab.column_names}
        self.df = pd.DataFrame({n: c.to_pandas().astype(object) for n, c in cols.items()})
        self.file, self.rng = file, rng
        self.key = np.arange(len(self.df), dtype=float)  # final order; copies sort after originals
        self.used: set[int] = set()
        self.defects: list[dict] = []

    def pick(self, k: int, where: np.ndarray | None = None) -> np.ndarray:
        """k distinct original rows not yet touched by another defect (fewer if not available)."""
        pool = np.flatnonzero(where) if where is not None else np.arange(len(self.df))
        pool = np.setdiff1d(pool, np.fromiter(self.used, dtype=np.int64))
        chosen = np.sort(self.rng.choice(pool, size=min(k, len(pool)), replace=False)) if len(pool) else pool
        self.used.update(int(i) for i in chosen)
        return chosen

    def set(self, rows: np.ndarray, column: str, new: object, kind: str, **extra) -> None:
        col = self.df.columns.get_loc(column)
        self.df.iloc[rows, col] = new
        self.defects.append({"kind": kind, "column": column, "labels": rows.tolist(), **extra})

    def duplicate(self, k: int) -> None:
        rows = self.pick(k)
        copies = self.df.iloc[rows].copy()
        start = len(self.df)
        copies.index = range(start, start + len(rows))
        self.df = pd.concat([self.df, copies])
        self.key = np.concatenate([self.key, rows + 0.5])
        self.defects.append({"kind": "duplicate_rows", "labels": list(range(start, start + len(rows))),
                             "duplicates_of": rows.tolist()})

    def total_row(self, count_column: str) -> None:
        n = int((self.key == np.floor(self.key)).sum())
        row = {c: None for c in self.df.columns}
        row[self.df.columns[0]], row[count_column] = "Total", str(n)
        label = len(self.df)
        self.df = pd.concat([self.df, pd.DataFrame([row], index=[label])])
        self.key = np.concatenate([self.key, [np.inf]])
        self.defects.append({"kind": "total_row", "column": self.df.columns[0], "labels": [label]})

    def finish(self) -> tuple[pa.Table, list[dict]]:
        order = np.argsort(self.key, kind="stable")
        row_of = np.empty(len(order), dtype=np.int64)
        row_of[order] = np.arange(len(order)) + 2  # header is row 1
        out = []
        for d in self.defects:
            labels = d.pop("labels")
            if "duplicates_of" in d:
                d["duplicates_of"] = [int(row_of[i]) for i in d["duplicates_of"]]
            out.append({"file": self.file, **d, "count": len(labels), "rows": [int(row_of[i]) for i in labels]})
        tab = pa.Table.from_pandas(self.df.iloc[order], preserve_index=False,
                                   schema=pa.schema([(c, pa.string()) for c in self.df.columns]))
        return tab, out


def messy_esr(tab: pa.Table, file: str, rng: np.random.Generator) -> tuple[pa.Table, list[dict]]:
    s = Sheet(tab, file, rng)
    eth = s.df["Ethnic Origin"]
    for label, (variant, code) in LABEL_VARIANTS.items():
        s.set(s.pick(int(rng.integers(3, 7)), (eth == label).to_numpy()), "Ethnic Origin", variant,
              "ethnicity_label_variant", value=variant, code=code)
    s.set(s.pick(3, eth.isna().to_numpy()), "Ethnic Origin", UNDEFINED[0], "ethnicity_label_variant",
          value=UNDEFINED[0], code=UNDEFINED[1])
    for value in UNMAPPABLE[: int(rng.integers(1, len(UNMAPPABLE) + 1))]:
        s.set(s.pick(int(rng.integers(1, 3))), "Ethnic Origin", value, "ethnicity_unmapped", value=value)
    s.set(s.pick(2), "Gender", None, "blank_required")
    s.set(s.pick(1), "Staff Group", None, "blank_required")
    s.duplicate(3)
    s.total_row("Contracted FTE")
    return s.finish()


def messy_workforce(tab: pa.Table, file: str, rng: np.random.Generator) -> tuple[pa.Table, list[dict]]:
    s = Sheet(tab, file, rng)
    iso = s.df["snapshot_date"]
    s.df["snapshot_date"] = iso.str[8:10] + "/" + iso.str[5:7] + "/" + iso.str[0:4]
    s.set(s.pick(2), "sex", None, "blank_required")
    s.set(s.pick(1), "pay_band", None, "blank_required")
    s.set(s.pick(1), "fte", "0", "fte_zero")
    s.duplicate(3)
    s.total_row("fte")
    tab, defects = s.finish()
    n = tab.num_rows - 1  # the total row has no date
    defects.insert(0, {"file": file, "kind": "uk_dates", "column": "snapshot_date", "count": n,
                       "rows": f"2-{n + 1}", "format": "DD/MM/YYYY"})
    return tab, defects


def messy_applications(tab: pa.Table, file: str, rng: np.random.Generator) -> tuple[pa.Table, list[dict]]:
    s = Sheet(tab, file, rng)
    not_short = (s.df["shortlisted"] == "false").to_numpy()
    s.set(s.pick(1, not_short), "appointed", "true", "appointed_without_shortlisted")
    s.set(s.pick(2), "application_date", None, "blank_required")
    s.duplicate(2)
    return s.finish()
