"""Parsing and validating injected biases (``--bias NAME=VALUE``)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from parity.synth.config import BIASES, DEFAULT_INTERSECTION_GROUP, INTERSECTION_GROUPS

UNKNOWN_BIAS = "Unknown bias {name!r}: choose from {valid}"
BAD_VALUE = "Bias {name!r} needs a positive number, got {value!r}"
BAD_GROUP = "Unknown intersection_group {value!r}: choose from {valid}"
BAD_PAY_GAP = "Bias {name!r} is a pay gap G and must be below 1, got {value!r}"
BAD_FORMAT = "Bias {item!r} must look like NAME=VALUE"
VALID_NAMES = ", ".join([*BIASES, "intersection_group"])
#: biases that can end in a given reporting year (`--improve NAME=YEAR`): those drawn year by year
IMPROVABLE = ("appointment", "appointment_disability", "training")
#: biases that can be set for one organisation (``NAME@ORG=R``), for funnel-plot outliers (issue 18)
BY_ORG = ("appointment", "appointment_disability")
BAD_BY_ORG = "{item}: a bias for one organisation is NAME@ORG with NAME one of {valid}"
#: biases that can be set for one division (``NAME@DIVISION=R``, issue 17): the group's probability
#: in that division is multiplied by R (on top of any organisation-wide bias)
BY_UNIT = ("disciplinary", "capability")
BAD_BY_UNIT = "{item}: a bias for one division is NAME@DIVISION with NAME one of {valid}"
#: after ``@``, an organisation code (NHS codes start with R: R0A, RXX, RXX01) — anything else is a division
ORG_CODE = re.compile(r"^R[0-9A-Z]{2,4}$")
BAD_IMPROVE = "--improve {name}: choose from {valid} (biases drawn year by year)"
BAD_IMPROVE_YEAR = "--improve {name}={value!r}: the value is the reporting year the bias ends, e.g. 2023"
IMPROVE_NOT_INJECTED = "--improve {name}={year} needs the bias injected too (--bias {name}=R with R other than {neutral})"


class BiasError(ValueError):
    """A bias name or value the generator cannot use."""


@dataclass(frozen=True)
class Biases:
    """Every bias with its value (neutral when not injected) and the intersection group."""

    values: dict[str, float]
    intersection_group: str = DEFAULT_INTERSECTION_GROUP
    #: bias name → the reporting year from which it is gone (an action that worked)
    improve: dict[str, int] = field(default_factory=dict)
    #: (bias name, organisation code) → the bias in that organisation only (``appointment@R0C=2.0``)
    by_org: dict[tuple[str, str], float] = field(default_factory=dict)
    #: (bias name, division) → the bias in that division only (``disciplinary@Surgery=2.0``)
    by_unit: dict[tuple[str, str], float] = field(default_factory=dict)

    def __getitem__(self, name: str) -> float:
        return self.values[name]

    def at(self, name: str, year: int) -> float:
        """The bias in reporting year `year`: neutral from its improvement year on."""
        return BIASES[name].neutral if year >= self.improve.get(name, year + 1) else self.values[name]

    @property
    def injected(self) -> dict[str, float]:
        return {k: v for k, v in self.values.items() if v != BIASES[k].neutral}


def parse_items(items: Iterable[str]) -> dict[str, str]:
    """``["appointment=1.6", ...]`` → ``{"appointment": "1.6"}`` (values validated later)."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BiasError(BAD_FORMAT.format(item=item))
        out[name.strip()] = value.strip()
    return out


def resolve(bias: Mapping[str, object] | None, improve: Mapping[str, object] | None = None) -> Biases:
    """Validate a user's biases (and the years some of them end) and fill in the neutral values of the others."""
    values = {name: b.neutral for name, b in BIASES.items()}
    group = DEFAULT_INTERSECTION_GROUP
    by_org: dict[tuple[str, str], float] = {}
    by_unit: dict[tuple[str, str], float] = {}
    for name, raw in (bias or {}).items():
        if "@" in name:
            base, _, where = name.partition("@")
            where = where.strip()
            if ORG_CODE.match(where.upper()):
                if base not in BY_ORG:
                    raise BiasError(BAD_BY_ORG.format(item=name, valid=", ".join(BY_ORG)))
                by_org[(base, where.upper())] = _positive(name, raw)
            elif base in BY_UNIT and where:
                by_unit[(base, where)] = _positive(name, raw)
            else:
                raise BiasError((BAD_BY_UNIT if base in BY_UNIT else BAD_BY_ORG).format(
                    item=name, valid=", ".join(BY_UNIT if base in BY_UNIT else BY_ORG)))
            continue
        if name == "intersection_group":
            if raw not in INTERSECTION_GROUPS:
                raise BiasError(BAD_GROUP.format(value=raw, valid=", ".join(INTERSECTION_GROUPS)))
            group = str(raw)
            continue
        if name not in BIASES:
            raise BiasError(UNKNOWN_BIAS.format(name=name, valid=VALID_NAMES))
        value = _positive(name, raw)
        if name.startswith("pay_gap") and value >= 1:
            raise BiasError(BAD_PAY_GAP.format(name=name, value=raw))
        values[name] = value
    return Biases(values, group, _improvements(improve, values), by_org, by_unit)


def _positive(name: str, raw: object) -> float:
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise BiasError(BAD_VALUE.format(name=name, value=raw)) from None
    if not math.isfinite(value) or value <= 0:
        raise BiasError(BAD_VALUE.format(name=name, value=raw))
    return value


def _improvements(improve: Mapping[str, object] | None, values: dict[str, float]) -> dict[str, int]:
    out = {}
    for name, raw in (improve or {}).items():
        if name not in IMPROVABLE:
            raise BiasError(BAD_IMPROVE.format(name=name, valid=", ".join(IMPROVABLE)))
        try:
            year = int(str(raw))
        except ValueError:
            raise BiasError(BAD_IMPROVE_YEAR.format(name=name, value=raw)) from None
        if values[name] == BIASES[name].neutral:
            raise BiasError(IMPROVE_NOT_INJECTED.format(name=name, year=year, neutral=BIASES[name].neutral))
        out[name] = year
    return out


def check_probability(name: str, p: float) -> float:
    """Fail clearly when a bias pushes a probability above 1 (e.g. appointment=0.1)."""
    if p > 1:
        raise BiasError(f"Bias values make a probability of {p:.2f} in {name}; use a milder value")
    return p
