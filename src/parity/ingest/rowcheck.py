"""Check a block of rows on its own: everything but the checks that span the whole file.

`check_rows` is the part of validation that needs only the rows in hand: rows that are not data
(blank, total, exact duplicates — found by `duplicates` when earlier chunks must be remembered),
parsing each column, ranges, recruitment and pay rules, the reporting year, defaults. What spans
the whole file — duplicate keys, two primary assignments, the summary warnings — is left to the
caller: `parity.ingest.prepare` for a file read at once, `parity.ingest.chunked` for a file read in
chunks (docs/ingest.md "Speed"). Row issues carry positions within the block.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from parity.contract import schema
from parity.contract.codes import AGE_BAND_EDGES, AGE_BANDS, MEDICAL_STAFF_GROUP, NOT_KNOWN, STAFF_GROUPS
from parity.ingest import objects
from parity.ingest import validate as rules
from parity.ingest.mapping import Mapping
from parity.ingest.parse import map_distinct, parse_column
from parity.ingest.problems import WARNING
from parity.ingest.readers import release_memory
from parity.ingest.rows import structural_exclusions
from parity.ingest.tally import Tallies, counts

DEFAULT_ORG = "ORG"


@dataclass
class Checked:
    """One block of rows checked on its own."""

    ctx: rules.Context
    #: per row: None, or why it is left out (blank / total / duplicate row so far)
    reason: np.ndarray
    #: row issues (positions within the block), in the order the whole-file sort keeps for ties
    parts: list[pd.DataFrame]
    #: rows whose key columns all parsed (only those take part in the duplicate-key check)
    key_ok: np.ndarray
    tallies: Tallies


def stripped(series: pd.Series) -> pd.Series:
    """`series` as text without surrounding spaces; the column itself (no copy) when nothing needs stripping."""
    s = series.astype(str).reset_index(drop=True)
    out = s.str.strip()
    return s if out.equals(s) else out


def check_rows(file: str, table: schema.Table, m: Mapping, data: pd.DataFrame, rows: np.ndarray,
               columns: dict[str, pd.Series], *, year, org, unknown_as_not_stated: bool, decimal: str = ".",
               duplicates=None, keep_source: bool = False) -> Checked:
    """Check the rows of `data` (source columns; `columns` the resolved canonical text columns).

    `duplicates` (see `parity.ingest.rows.structural_exclusions`) finds exact duplicates of rows
    in earlier chunks too. Unless `keep_source`, `data` is emptied once it is no longer needed.
    """
    n = len(data)
    text = {c: stripped(s) for c, s in columns.items()}
    ids = [text[c.name] for c in table.columns if c.kind == "id" and c.name in text]
    reason, structural = structural_exclusions(data.reset_index(drop=True), rows, ids, duplicates)
    if not keep_source:  # the source columns are not needed again: let the unused ones go
        for c in list(data.columns):
            del data[c]
    active = pd.isna(reason)
    tallies = Tallies()
    for name, fill in m.blank_means.items():
        if name in text:
            blank = text[name] == ""
            text[name] = text[name].where(~blank, fill)
            if (n_blank := int((blank.to_numpy() & active).sum())):
                tallies.blank[name] = n_blank
    parsed = {}
    for col in table.columns:
        if col.name in text:
            parsed[col.name] = parse_column(text[col.name], col.kind, col.name, required=col.required,
                                            values=m.values.get(col.name), decimal=decimal,
                                            is_stripped=col.name not in m.blank_means)
    # a block per column, each the parsed column's own array: building the frame from a dict
    # copied every column into one 2-D block (a second copy of them all; issue 19, time and memory)
    values = pd.DataFrame(index=pd.RangeIndex(n))
    for name, p in parsed.items():
        values[name] = p.values
        p.values = None
    release_memory()
    ctx = rules.Context(file, table, values, text, rows, active, year)
    parts = [structural]
    if m.unmapped_medical_grade and "pay_band" in parsed and "staff_group" in values:
        p = parsed["pay_band"]  # ESR: any other grade in staff group 01 is "other medical"
        fix = p.bad & objects.per_row(values["staff_group"], lambda s: s.eq(MEDICAL_STAFF_GROUP))
        values.loc[fix, "pay_band"] = m.unmapped_medical_grade
        p.error_code[fix] = None
        if (fix & active).any():  # said, never silent: a grade we do not know may be a trainee grade
            tallies.medical = counts(text["pay_band"][fix & active].replace("", "(blank)"))
    if unknown_as_not_stated and "ethnic_category" in parsed:
        p = parsed["ethnic_category"]
        unk = (p.error_code == "unknown_ethnicity").to_numpy()
        if (unk & active).any():
            tallies.unknown_ethnicity = counts(text["ethnic_category"][unk & active])
        values.loc[unk, "ethnic_category"] = NOT_KNOWN
        p.error_code[unk] = None
    for name, p in parsed.items():
        bad = p.bad
        if bad.any():
            codes = p.error_code[bad & active]
            for code in codes.unique():
                parts.append(rules.issues(ctx, bad & (p.error_code == code).to_numpy(), name, p.message, code))
    if "sex" in text:  # rare in HR systems, so worth a look; stored as unknown, never blocks
        parts.append(rules.issues(ctx, (text["sex"] == "").to_numpy(), "sex",
                                  "sex is blank; stored as unknown.", "blank_sex", WARNING))
    fill_defaults(values, table, org)
    parts += rules.check_ranges(ctx) + rules.check_recruitment(ctx) + rules.check_basis(ctx)
    period_issues, tallies.odd_snapshots = rules.check_period(ctx)
    parts += period_issues
    key_ok = np.ones(n, dtype=bool)
    for k in table.key:
        if k in parsed:
            key_ok &= ~parsed[k].bad
    return Checked(ctx, reason, parts, key_ok, tallies)


def normalise_org(code: str) -> str:
    """Organisation (ODS) codes are upper case without spaces: ` r0a ` and `R 0A` are `R0A` (issue 12.7)."""
    return "".join(str(code).split()).upper()


def fill_defaults(values: pd.DataFrame, table: schema.Table, org: str | None) -> None:
    """org_code from --org; optional columns' defaults; ``clinical`` derived from staff group."""
    org_value = normalise_org(org or DEFAULT_ORG)
    if "org_code" in values:
        codes = values["org_code"].where(values["org_code"].notna(), org_value)
        values["org_code"] = map_distinct(codes, normalise_org)
    else:
        values["org_code"] = org_value
    constant: dict = {}  # one read-only array per default, shared by the absent columns (issue 19)
    for col in table.columns:
        if col.name not in values:
            key = (type(col.default), col.default)  # False and 0 are equal keys, not equal defaults
            if key not in constant:
                constant[key] = np.full(len(values), col.default, dtype=object)
                constant[key].flags.writeable = False  # shared: a change in place raises, never leaks
            values[col.name] = pd.Series(constant[key], index=values.index, dtype=object, copy=False)
        elif col.default is not None:
            values[col.name] = values[col.name].where(values[col.name].notna(), col.default)
    if table.name == "training" and "course_id" in values and "course" in values:  # issue 12.6
        values["course_id"] = values["course_id"].where(values["course_id"].notna(), values["course"])
    if "clinical" in values and "staff_group" in values:
        clinical = {k: v[1] for k, v in STAFF_GROUPS.items()}
        derived = map_distinct(values["staff_group"], lambda g: clinical.get(g))  # once per staff group
        values["clinical"] = values["clinical"].where(values["clinical"].notna(), derived)
    if "date_of_birth" in values and "age_band" in values and "snapshot_date" in values:
        # only rows without a band but with a birth date get one derived (the others keep theirs or None)
        need = np.flatnonzero((values["age_band"].isna() & values["date_of_birth"].notna()).to_numpy())
        if len(need):
            band = values["age_band"].copy()
            band.iloc[need] = age_band_at(values["date_of_birth"].iloc[need],
                                          values["snapshot_date"].iloc[need]).to_numpy(dtype=object)
            values["age_band"] = band
        values["date_of_birth"] = None  # read to derive the band, never stored (docs/data-contract.md)


def age_band_at(born: pd.Series, on: pd.Series) -> pd.Series:
    """ESR age band (`codes.AGE_BANDS`) of someone born on `born` at date `on`; None when either is missing."""
    b, d = pd.to_datetime(born, errors="coerce"), pd.to_datetime(on, errors="coerce")
    birthday_passed = (d.dt.month > b.dt.month) | ((d.dt.month == b.dt.month) & (d.dt.day >= b.dt.day))
    age = d.dt.year - b.dt.year - (~birthday_passed).astype(int)
    band = np.searchsorted(np.array(AGE_BAND_EDGES), age.fillna(0).to_numpy(), side="right")
    out = pd.Series(np.array(AGE_BANDS, dtype=object)[band], index=born.index, dtype=object)
    return out.where(b.notna() & d.notna(), None)
