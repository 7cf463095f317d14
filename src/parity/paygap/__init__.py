"""Regulation-exact pay gaps: gender (Gender Pay Gap Information Regulations 2017, applied to
public authorities by the Specific Duties Regulations 2017, Schedule 1), ethnicity (2023
government guidance) and disability, with the same six measures.

Hourly rates (reg 6) → mean and median hourly gaps (regs 8–9) → bonus gaps and proportions
(regs 10–12) → four equal-sized pay quarters with tie splitting (reg 13) → one-decimal rounding
whose shares add to 100.0 → the government service's validation rules (`checks`) → a
`PayGapResult` with ``to_dict()`` and, for sex, ``gov_uk_row()``. Explanation aids (not in the
regulations): within-band gaps, a band-mix / within-band decomposition and bootstrap intervals.
See docs/pay-gaps.md.
"""

from parity.paygap.bands import decompose_gap, within_band_gaps
from parity.paygap.bootstrap import bootstrap_gap_ci
from parity.paygap.checks import PayGapCheckError, check_result
from parity.paygap.disability import disability_pay_gap
from parity.paygap.ethnicity import ethnicity_pay_gap
from parity.paygap.hourly import PERIOD_DAYS, compute_hourly_rate
from parity.paygap.results import Decomposition, PayGapResult
from parity.paygap.sex import gender_pay_gap

__all__ = [
    "PERIOD_DAYS",
    "Decomposition",
    "PayGapCheckError",
    "PayGapResult",
    "bootstrap_gap_ci",
    "check_result",
    "compute_hourly_rate",
    "decompose_gap",
    "disability_pay_gap",
    "ethnicity_pay_gap",
    "gender_pay_gap",
    "within_band_gaps",
]
