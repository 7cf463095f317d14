"""One declarative definition per indicator, registered in one catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field

#: kinds of indicator result (part of the JSON interface)
KINDS = ("distribution", "relative_likelihood", "percentages", "difference", "score", "narrative")


@dataclass(frozen=True)
class Indicator:
    """An indicator as the guidance defines it.

    ``group_a``/``group_b`` name the groups on top and below of a ratio or a difference, so that
    a value above 1 (or above 0) is adverse to the minority group for ratios whose
    ``adverse_when`` is "above".
    """

    id: str
    standard: str
    title: str
    guidance: str
    kind: str
    population: str
    period: str
    numerator: str
    denominator: str
    source_tables: tuple[str, ...]
    group_a: str | None = None
    group_b: str | None = None
    adverse_when: str | None = None
    statistics: tuple[str, ...] = ()
    #: survey indicators: True when a higher percentage is worse for staff (e.g. harassment)
    higher_is_worse: bool | None = None
    #: short outcome phrase for narratives ("appointed from shortlisting")
    outcome: str = ""
    #: who the people are in a narrative ("applicants", "staff")
    people: str = "staff"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.id}: unknown kind {self.kind!r}")

    @property
    def direction(self) -> str:
        if self.group_a and self.group_b:
            sep = "÷" if self.kind == "relative_likelihood" else "−"
            return f"{self.group_a} {sep} {self.group_b}"
        return ""


CATALOGUE: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.id in CATALOGUE:
        raise ValueError(f"indicator {indicator.id} registered twice")
    CATALOGUE[indicator.id] = indicator
    return indicator


def indicators(standard: str) -> list[Indicator]:
    """The catalogue entries of one standard ("WRES", "WDES"), in catalogue order."""
    _load_definitions()
    return [i for i in CATALOGUE.values() if i.standard == standard]


def _load_definitions() -> None:
    # definitions register themselves on import; importing here keeps the catalogue complete
    # whichever module a caller imported first
    import parity.standards.wdes.definitions  # noqa: F401
    import parity.standards.wres.definitions  # noqa: F401
