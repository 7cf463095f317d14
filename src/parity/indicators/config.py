"""Settings every standard shares (confidence, non-adverse range, small-count thresholds)."""

from __future__ import annotations

from dataclasses import dataclass

from parity.indicators.build import StatsSettings

PERIOD_RULES = ("single_year", "two_year_rolling")


@dataclass(frozen=True)
class StandardConfig:
    """``exclude_declined_offers``: appointment indicators leave out shortlisted applications whose
    offer was declined (default, per the WRES and WDES guidance)."""

    confidence: float = 0.95
    exclude_declined_offers: bool = True
    non_adverse_low: float = 0.80
    non_adverse_high: float = 1.25
    small_count: int = 5
    min_events: int = 5

    def __post_init__(self) -> None:
        if not 0 < self.confidence < 1:
            raise ValueError("confidence must be between 0 and 1, e.g. 0.95")
        if not 0 < self.non_adverse_low < 1 < self.non_adverse_high:
            raise ValueError("the non-adverse range must contain 1, e.g. 0.80 to 1.25")
        for name, value in vars(self).items():
            if name.endswith("_period") and value not in PERIOD_RULES:
                raise ValueError(f"{name} must be one of {', '.join(PERIOD_RULES)}")

    @property
    def stats(self) -> StatsSettings:
        return StatsSettings(self.confidence, self.non_adverse_low, self.non_adverse_high,
                             self.small_count, self.min_events)
