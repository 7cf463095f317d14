"""Label → code lookup tables kept as data (``contract/data/*.csv``), not ``if`` chains.

- ``ethnicity_lookup.csv``: every spelling we know of an NHS ETHNIC CATEGORY (national codes,
  code + label forms, ESR spellings, 2021 Census categories) → the national code.
- ``staff_group_lookup.csv``: national staff group codes and labels (incl. ESR's abbreviations)
  → the 2-digit code.
- ``pay_band_lookup.csv``: Agenda for Change bands as ESR and others write them ("Band 8 - Range A",
  "Agenda for Change Band 5", pay scale codes "XR05"), VSM, and medical grades → the grade group.

Labels match case-, space- and punctuation-insensitively (see `normalise_label`). Users extend the
tables through a mapping file (``values:`` section), never by editing these files.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

from parity.contract.codes import ETHNIC_CATEGORIES, PAY_BANDS, STAFF_GROUPS

_NON_ALNUM = re.compile(r"[^0-9a-z]")


def normalise_label(value: str) -> str:
    """Lower case, ``&`` read as ``and``, everything but letters and digits removed."""
    return _NON_ALNUM.sub("", str(value).lower().replace("&", "and"))


def _load(filename: str, valid: set[str]) -> dict[str, str]:
    path = resources.files("parity.contract") / "data" / filename
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for line_no, row in enumerate(csv.DictReader(f), start=2):
            key, code = normalise_label(row["label"]), row["code"].strip()
            if code not in valid:
                raise ValueError(f"{filename} line {line_no}: {code!r} is not a valid code")
            if out.get(key, code) != code:  # two spellings that normalise alike must agree
                raise ValueError(f"{filename} line {line_no}: {row['label']!r} maps to two codes")
            out[key] = code
    return out


@cache
def ethnicity_lookup() -> dict[str, str]:
    """Normalised label → national ethnic category code (A–S, Z, 99)."""
    return _load("ethnicity_lookup.csv", set(ETHNIC_CATEGORIES))


@cache
def staff_group_lookup() -> dict[str, str]:
    """Normalised label → 2-digit national staff group code."""
    return _load("staff_group_lookup.csv", set(STAFF_GROUPS))


@cache
def pay_band_lookup() -> dict[str, str]:
    """Normalised label → pay band code (1–9, 8a–8d, VSM or a medical grade group)."""
    return _load("pay_band_lookup.csv", set(PAY_BANDS))
