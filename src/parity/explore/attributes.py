"""Attributes the explorer can split people by, as Ibis expressions over canonical columns.

Classification is data (the tables below, built from `parity.contract.codes`), not ``if`` chains.
Every attribute maps a missing or unmapped value to ``"Unknown"``: unknowns are counted and shown,
never silently dropped, and never used as a comparison group (WRES/WDES guidance).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from parity.contract.codes import (
    BME_CODES,
    DEFAULT_LEVEL_NAMES,
    ETHNIC_CATEGORIES,
    MARITAL_STATUSES,
    RELIGIONS,
    SEXUAL_ORIENTATIONS,
    STAFF_GROUPS,
    UNIT_COLUMNS,
    WHITE_CODES,
)

UNKNOWN = "Unknown"
UNKNOWN_ATTRIBUTE = "Unknown attribute {name!r}: choose from {valid}"

#: AfC bands and medical grade groups → the band groups the scan uses (a readable number of cells)
BAND_GROUPS: dict[str, str] = {
    **{b: "1-4" for b in ("1", "2", "3", "4")},
    **{b: "5-6" for b in ("5", "6")},
    "7": "7",
    **{b: "8a-8d" for b in ("8a", "8b", "8c", "8d")},
    "9": "9 and VSM", "VSM": "9 and VSM",
    "consultant": "Medical: consultants", "career_grade": "Medical: career grades",
    "trainee": "Medical: trainees", "medical_other": "Medical: other",
}


def _lookup(column: ir.StringValue, mapping: dict[str, str]) -> ir.StringValue:
    """``mapping[column]`` with everything else (NULL included) as Unknown."""
    by_value: dict[str, list[str]] = {}
    for key, value in mapping.items():
        by_value.setdefault(value, []).append(key)
    return ibis.cases(*[(column.isin(keys), value) for value, keys in by_value.items()], else_=UNKNOWN)


def _ethnicity(t: ir.Table) -> ir.StringValue:
    groups = {code: group for code, (_, group) in ETHNIC_CATEGORIES.items() if group != UNKNOWN}
    return _lookup(t.ethnic_category, groups)


def _ethnicity_wres(t: ir.Table) -> ir.StringValue:
    return _lookup(t.ethnic_category, {**dict.fromkeys(WHITE_CODES, "White"), **dict.fromkeys(BME_CODES, "BME")})


def _sex(t: ir.Table) -> ir.StringValue:
    return _lookup(t.sex, {"female": "female", "male": "male", "other": "other"})


def _disability(t: ir.Table) -> ir.StringValue:
    return _lookup(t.disability, {"yes": "Disabled", "no": "Non-disabled"})


def _age_band(t: ir.Table) -> ir.StringValue:
    value = t.age_band.strip()
    return ibis.ifelse(value.isnull() | (value == ""), UNKNOWN, value)


def _grouped(column: str, codes: dict[str, tuple[str, str]]) -> Callable[[ir.Table], ir.StringValue]:
    """A coded characteristic (`codes`: code → (label, group)) as its groups; Unknown as ethnicity's."""
    groups = {code: group for code, (_, group) in codes.items() if group != UNKNOWN}
    return lambda t: _lookup(t[column], groups)


def _unit(column: str) -> Callable[[ir.Table], ir.StringValue]:
    """A hierarchy level's unit names as given; blank or missing is Unknown (never compared)."""
    def expr(t: ir.Table) -> ir.StringValue:
        value = t[column].strip()
        return ibis.ifelse(value.isnull() | (value == ""), UNKNOWN, value)
    return expr


def _staff_group(t: ir.Table) -> ir.StringValue:
    return _lookup(t.staff_group, {code: label for code, (label, _) in STAFF_GROUPS.items()})


def _band(t: ir.Table) -> ir.StringValue:
    return _lookup(t.pay_band, BAND_GROUPS)


def _pay_band(t: ir.Table) -> ir.StringValue:
    return _lookup(t.pay_band, {b: b for b in BAND_GROUPS})


@dataclass(frozen=True)
class Attribute:
    """One way of splitting people: its name, the canonical column it reads, how to phrase it."""

    name: str
    column: str
    expr: Callable[[ir.Table], ir.StringValue]
    #: "ethnicity" (an adjective before the noun), "sex" (the noun), "disability" (adjective) or a
    #: phrase pattern for the others, e.g. "in bands {}"
    phrase: str
    #: the phrase used for a reference with the same value ("in the same bands")
    same: str = ""


ATTRIBUTES: dict[str, Attribute] = {a.name: a for a in (
    Attribute("ethnicity", "ethnic_category", _ethnicity, "ethnicity"),
    Attribute("ethnicity_wres", "ethnic_category", _ethnicity_wres, "ethnicity"),
    Attribute("sex", "sex", _sex, "sex"),
    Attribute("disability", "disability", _disability, "disability"),
    Attribute("age_band", "age_band", _age_band, "aged {}", "of the same age band"),
    Attribute("staff_group", "staff_group", _staff_group, "in {}", "in the same staff group"),
    Attribute("band", "pay_band", _band, "in bands {}", "in the same bands"),
    Attribute("pay_band", "pay_band", _pay_band, "in band {}", "in the same band"),
    # issue 17: every protected characteristic the extract holds, and the organisation's units
    Attribute("religion", "religion", _grouped("religion", RELIGIONS), "of religion or belief {}",
              "of the same religion or belief"),
    Attribute("sexual_orientation", "sexual_orientation", _grouped("sexual_orientation", SEXUAL_ORIENTATIONS),
              "of sexual orientation {}", "of the same sexual orientation"),
    Attribute("marital_status", "marital_status", _grouped("marital_status", MARITAL_STATUSES),
              "with marital status {}", "with the same marital status"),
    *(Attribute(column, column, _unit(column), "in {}", f"in the same {DEFAULT_LEVEL_NAMES[column]}")
      for column in UNIT_COLUMNS),
)}

#: the unit attributes (hierarchy columns); ``level_attribute`` adds the workspace's own level names
UNIT_ATTRIBUTES = frozenset(UNIT_COLUMNS)

#: attributes that describe the same thing: never combined in one cell
EXCLUSIVE = ({"ethnicity", "ethnicity_wres"}, {"band", "pay_band"})

#: default reference values (White, non-disabled, men; for the further characteristics the largest
#: group nationally: heterosexual, Christian, married — docs/explore.md); passing ``reference=``
#: replaces the whole dict
DEFAULT_REFERENCE: dict[str, str] = {
    "ethnicity": "White", "ethnicity_wres": "White", "sex": "male", "disability": "Non-disabled",
    "sexual_orientation": "Heterosexual", "religion": "Christian", "marital_status": "Married or civil partner",
}


def attribute(name: str) -> Attribute:
    try:
        return ATTRIBUTES[name]
    except KeyError:
        pass
    for column, level in _LEVELS.items():  # "division" for org_l3, …
        if level == name:
            return level_attribute(name, column)
    raise ValueError(UNKNOWN_ATTRIBUTE.format(name=name, valid=", ".join([*ATTRIBUTES, *_LEVELS.values()])))


#: hierarchy column → level name in use (the workspace's organisation.yaml; see `use_levels`)
_LEVELS: dict[str, str] = dict(DEFAULT_LEVEL_NAMES)


def use_levels(levels: dict[str, str]) -> None:
    """Name the hierarchy levels as the workspace does (`parity.contract.units.level_names`)."""
    clash = [n for n in levels.values() if n in ATTRIBUTES and n not in UNIT_ATTRIBUTES]
    if clash:
        raise ValueError(f"Level name(s) {', '.join(clash)} clash with attributes; rename them in organisation.yaml")
    _LEVELS.clear()
    _LEVELS.update(levels)


def level_attribute(name: str, column: str) -> Attribute:
    """A hierarchy level under the organisation's name for it (``division`` reading ``org_l3``)."""
    return Attribute(name, column, _unit(column), "in {}", f"in the same {name}")


def is_unit(name: str, levels: dict[str, str] | None = None) -> bool:
    """Whether attribute `name` is a hierarchy level (a unit column or a level's name)."""
    return name in UNIT_ATTRIBUTES or name in (levels or _LEVELS).values()


def with_attributes(t: ir.Table, names: list[str] | tuple[str, ...]) -> ir.Table:
    """`t` with one string column per attribute (named after the attribute)."""
    return t.mutate(**{name: attribute(name).expr(t) for name in names})


def available(t: ir.Table, name: str) -> bool:
    """Whether table `t` carries the column attribute `name` reads (applicants have no band)."""
    return attribute(name).column in t.columns
