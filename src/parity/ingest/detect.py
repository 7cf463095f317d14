"""Preset detection: recognise a known extract layout (ESR staff in post, ESR gender pay gap,
recruitment) from its headings, instead of listing every canonical column as missing.

Used by `parity validate` / `parity import` and the web upload whenever no ``--mapping`` or
``--preset`` is given (``--no-detect`` turns it off). A preset is chosen only when it explains more
of the table's required columns than the canonical names do, and the message says which preset was
used and how to override it — never a silent guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from parity.contract.lookup import normalise_label
from parity.contract.schema import Table
from parity.ingest.mapping import Mapping, load_preset, preset_names, required_found

MSG_DETECTED = ("This looks like {what}; using preset {preset} ({matched} of its {known} headings found). "
                "Give --preset or --mapping to choose another, or --no-detect to turn detection off.")


@dataclass(frozen=True)
class Detection:
    preset: str
    mapping: Mapping
    matched: int  # headings of the preset found in the file (ties between presets)
    known: int  # headings the preset knows
    message: str


def headings(mapping: Mapping, table: Table) -> set[str]:
    """Normalised source headings a mapping names (its columns and its known-but-unused ones)."""
    names = {s for sources in mapping.columns.values() for s in sources} | set(mapping.unused)
    return {normalise_label(n) for n in names}


def detect_preset(columns: list[str], table: Table) -> Detection | None:
    """The preset for `table` whose headings `columns` match: it must explain more of the table's
    required columns than the canonical names do, and at least three quarters of them (an extract
    may lack one, e.g. a snapshot date that was a report prompt); ties go to more headings found."""
    have = {normalise_label(c) for c in columns}
    plain = required_found(columns, table, Mapping())
    best: Detection | None = None
    for name in preset_names():
        m = load_preset(name)
        if m.table != table.name:
            continue
        known = headings(m, table)
        matched = len(known & have)
        found = required_found(columns, table, m)
        if found <= plain or found * 4 < len(table.required) * 3:
            continue
        if best is None or matched > best.matched:
            what = m.detect.get("name") or f"a {m.description or name} file"
            best = Detection(name, m, matched, len(known), MSG_DETECTED.format(
                what=what, preset=name, matched=matched, known=len(known)))
    return best


def all_headings(table: Table) -> set[str]:
    """Every heading any preset for `table` names: lets the reader find such a header row."""
    return set().union(*[headings(load_preset(p), table) for p in preset_names()
                         if load_preset(p).table == table.name] or [set()])
