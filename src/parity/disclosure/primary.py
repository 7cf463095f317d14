"""Primary suppression: which published quantities are too small to show."""

from __future__ import annotations

from parity.disclosure.rules import DisclosureRule

#: what a quantity counts: people (rule.k applies) or survey responses (rule.survey_min_responses)
BASES = ("count", "survey")
BAD_BASIS = "basis must be one of {bases}; got {basis!r}"
NEGATIVE = "{name}: a count cannot be negative ({value})"


def is_primary(value: float, basis: str, rule: DisclosureRule, *, name: str = "quantity") -> bool:
    """True when the rule withholds ``value`` on its own (before any secondary suppression).

    >>> is_primary(3, "count", DisclosureRule()), is_primary(10, "survey", DisclosureRule())
    (True, True)
    """
    if basis not in BASES:
        raise ValueError(BAD_BASIS.format(bases=", ".join(BASES), basis=basis))
    if value < 0:
        raise ValueError(NEGATIVE.format(name=name, value=value))
    return rule.is_small_count(value) if basis == "count" else rule.is_small_survey(value)
