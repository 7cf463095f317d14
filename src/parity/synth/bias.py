"""Parsing and validating injected biases (``--bias NAME=VALUE``)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from parity.synth.config import BIASES, DEFAULT_INTERSECTION_GROUP, INTERSECTION_GROUPS

UNKNOWN_BIAS = "Unknown bias {name!r}: choose from {valid}"
BAD_VALUE = "Bias {name!r} needs a positive number, got {value!r}"
BAD_GROUP = "Unknown intersection_group {value!r}: choose from {valid}"
BAD_PAY_GAP = "Bias {name!r} is a pay gap G and must be below 1, got {value!r}"
BAD_FORMAT = "Bias {item!r} must look like NAME=VALUE"
VALID_NAMES = ", ".join([*BIASES, "intersection_group"])


class BiasError(ValueError):
    """A bias name or value the generator cannot use."""


@dataclass(frozen=True)
class Biases:
    """Every bias with its value (neutral when not injected) and the intersection group."""

    values: dict[str, float]
    intersection_group: str = DEFAULT_INTERSECTION_GROUP

    def __getitem__(self, name: str) -> float:
        return self.values[name]

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


def resolve(bias: Mapping[str, object] | None) -> Biases:
    """Validate a user's biases and fill in the neutral values of the others."""
    values = {name: b.neutral for name, b in BIASES.items()}
    group = DEFAULT_INTERSECTION_GROUP
    for name, raw in (bias or {}).items():
        if name == "intersection_group":
            if raw not in INTERSECTION_GROUPS:
                raise BiasError(BAD_GROUP.format(value=raw, valid=", ".join(INTERSECTION_GROUPS)))
            group = str(raw)
            continue
        if name not in BIASES:
            raise BiasError(UNKNOWN_BIAS.format(name=name, valid=VALID_NAMES))
        try:
            value = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise BiasError(BAD_VALUE.format(name=name, value=raw)) from None
        if not math.isfinite(value) or value <= 0:
            raise BiasError(BAD_VALUE.format(name=name, value=raw))
        if name.startswith("pay_gap") and value >= 1:
            raise BiasError(BAD_PAY_GAP.format(name=name, value=raw))
        values[name] = value
    return Biases(values, group)


def check_probability(name: str, p: float) -> float:
    """Fail clearly when a bias pushes a probability above 1 (e.g. appointment=0.1)."""
    if p > 1:
        raise BiasError(f"Bias values make a probability of {p:.2f} in {name}; use a milder value")
    return p
