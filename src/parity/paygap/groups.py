"""Who is compared with whom: sex, ethnic group and disability labels for the pay gap measures.

- Sex (Gender Pay Gap Information Regulations 2017, reg 2 "men and women"): men are the
  reference group, women the comparison; ``other`` and ``unknown`` are outside the binary
  measures and are counted separately in the result.
- Ethnicity (Ethnicity pay reporting guidance, April 2023): NHS ETHNIC CATEGORY codes rolled up
  to the 2021 Census broad groups, with White split into White British (A) — the usual reference —
  and White other (B, C); not stated / not known (Z, 99, blank) are reported as "not disclosed".
- Disability: Disabled (yes) against Non-disabled (no); unknown reported as "not disclosed".

Classification is data (`ETHNIC_CATEGORIES`), not ``if`` chains.
"""

from __future__ import annotations

import pandas as pd

from parity.contract.codes import ETHNIC_CATEGORIES, NOT_KNOWN, UNKNOWN_CODES, WHITE_CODES

MALE, FEMALE = "male", "female"
WHITE_BRITISH, WHITE_OTHER, WHITE = "White British", "White other", "White"
ALL_MINORITY = "All ethnic minority"
DISABLED, NON_DISABLED = "Disabled", "Non-disabled"
UNKNOWN = "Unknown"

#: comparison groups reported, in this order, for ``by="broad"``
BROAD_MINORITY = ("Asian", "Black", "Mixed", "Other")
#: the broad group small ethnic-minority groups are merged into
MERGE_TARGET = "Other"
DISABILITY_LABELS = {"yes": DISABLED, "no": NON_DISABLED, "unknown": UNKNOWN}
SEX_VALUES = (MALE, FEMALE, "other", "unknown")

UNKNOWN_VALUES = "Unrecognised {column} value(s): {values}; expected one of {expected}"

#: attribute name → (input column, reference label, comparison label) for two-group analyses
BINARY = {
    "sex": ("sex", MALE, FEMALE),
    "ethnicity": ("ethnic_category", WHITE, ALL_MINORITY),
    "disability": ("disability", NON_DISABLED, DISABLED),
}


def _check(values: pd.Series, allowed, column: str) -> None:
    bad = sorted(set(values.dropna().unique()) - set(allowed), key=str)
    if bad:
        raise ValueError(UNKNOWN_VALUES.format(column=column, values=bad, expected=sorted(allowed)))


def sex_labels(values: pd.Series) -> pd.Series:
    """``male`` / ``female`` / ``other`` / ``unknown`` (blank → unknown)."""
    values = values.astype("object").where(values.notna(), "unknown")
    _check(values, SEX_VALUES, "sex")
    return values.astype("object")


def ethnic_codes(values: pd.Series) -> pd.Series:
    """National ETHNIC CATEGORY codes; blank → ``99`` (not known), as the data contract stores it."""
    codes = values.astype("object").where(values.notna(), NOT_KNOWN).astype(str)
    _check(codes, ETHNIC_CATEGORIES, "ethnic_category")
    return codes


def ethnicity_labels(values: pd.Series, *, by: str = "broad", reference: str = WHITE_BRITISH) -> pd.Series:
    """Analysis group of each person: broad group (White split A / B–C unless the reference is
    "White") or, with ``by="category"``, the category label; Z / 99 / blank → ``Unknown``."""
    codes = ethnic_codes(values)
    if by == "category":
        table = {code: label for code, (label, _) in ETHNIC_CATEGORIES.items()}
        table["A"] = WHITE_BRITISH
    else:
        table = {code: broad for code, (_, broad) in ETHNIC_CATEGORIES.items()}
        if reference == WHITE_BRITISH:
            table.update({"A": WHITE_BRITISH, "B": WHITE_OTHER, "C": WHITE_OTHER})
    table.update(dict.fromkeys(UNKNOWN_CODES, UNKNOWN))
    return codes.map(table)


def disability_labels(values: pd.Series) -> pd.Series:
    """``Disabled`` / ``Non-disabled`` / ``Unknown`` (blank → Unknown)."""
    values = values.astype("object").where(values.notna(), "unknown")
    _check(values, DISABILITY_LABELS, "disability")
    return values.map(DISABILITY_LABELS)


def binary_labels(df: pd.DataFrame, attribute: str) -> tuple[pd.Series, str, str]:
    """(labels, reference, comparison) for the two-group analyses (bands, decomposition, bootstrap).

    ``ethnicity`` compares White (A–C) with all ethnic minority groups (D–S), the combined
    comparison of the 2023 guidance; people outside the two groups get other labels.
    """
    if attribute not in BINARY:
        raise ValueError(f"attribute must be one of {sorted(BINARY)}, not {attribute!r}")
    column, reference, comparison = BINARY[attribute]
    if column not in df:
        raise ValueError(f"Pay gap input lacks column {column!r} needed for attribute={attribute!r}")
    if attribute == "sex":
        labels = sex_labels(df[column])
    elif attribute == "disability":
        labels = disability_labels(df[column])
    else:
        codes = ethnic_codes(df[column])
        labels = pd.Series(UNKNOWN, index=df.index, dtype="object")
        labels[codes.isin(WHITE_CODES)] = WHITE
        labels[~codes.isin(WHITE_CODES + UNKNOWN_CODES)] = ALL_MINORITY
    return labels, reference, comparison
