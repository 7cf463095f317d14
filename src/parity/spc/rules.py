"""The special-cause rules of NHS England's "Making Data Count" (MDC), as settings.

MDC reads a run chart with process limits at the mean ± 2.66 × the mean moving range and four
rules for special-cause variation. The run lengths and constants below are those of the NHS-R
community's implementation of the MDC method (`NHSRplotthedots`: `ptd_spc_standard.R` for the limits,
`ptd_calculate_point_type.R` for the rules), which NHS England's MDC team endorses:

1. **outside limits** — a single point above the upper or below the lower process limit;
2. **shift** — a run of 7 or more consecutive points on one side of the mean (a point on the mean
   breaks the run);
3. **trend** — 7 or more consecutive points each higher (or each lower) than the one before (a
   repeated value breaks the run);
4. **two of three** — two out of three consecutive points close to a process limit (beyond two
   thirds of the way from the mean to the limit, i.e. beyond 2 sigma, but not outside it), all three
   on the same side of the mean.

The run lengths are configurable (some organisations use 6 for a trend or 8 for a shift).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

#: 3 / d2 with d2 = 1.128 for moving ranges of two points: 3 sigma in mean-moving-range units
LIMIT = 2.66
#: MDC screens moving ranges above 3.267 × the mean moving range (the upper limit of the mR chart)
MR_SCREEN = 3.267

RULES = ("outside_limits", "shift", "trend", "two_of_three")


@dataclass(frozen=True)
class SpcRules:
    """How a chart is read. Defaults are Making Data Count's."""

    #: consecutive points on one side of the mean that make a shift
    shift: int = 7
    #: consecutive increasing (or decreasing) points that make a trend
    trend: int = 7
    #: apply the "two of three close to a limit" rule
    two_of_three: bool = True
    #: leave out moving ranges above 3.267 × their mean before setting the limits (MDC option)
    screen_outliers: bool = False
    #: fewer points than this: no chart (MDC advises at least 15 to 20 to set limits)
    min_points: int = 15
    #: a series with more than this share of zero values is too sparse to chart
    max_zero_share: float = 0.5

    def __post_init__(self) -> None:
        if self.shift < 2 or self.trend < 2:
            raise ValueError("SPC run lengths must be at least 2 points (shift and trend)")
        if self.min_points < 2:
            raise ValueError("an SPC chart needs at least 2 points (--min-points)")
        if not 0 <= self.max_zero_share <= 1:
            raise ValueError("the share of zero values allowed must be between 0 and 1")

    def to_dict(self) -> dict:
        return asdict(self)
