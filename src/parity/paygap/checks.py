"""The gov.uk gender pay gap service's validation rules, asserted before a result leaves us.

The service rejects a submission whose quarter percentages do not add to 100.0, whose bonus
proportions fall outside 0–100, or whose bonus gap exceeds 100% when some women were paid bonus
(a gap above 100 would mean negative bonus pay). We add the structural rules of reg 13: four
quarters sized by the remainder rule whose group counts add up to their size. Every public
function runs `check_result` on what it returns, so a bug surfaces as `PayGapCheckError` rather
than as a published figure.
"""

from __future__ import annotations

from decimal import Decimal

from parity.paygap.quarters import QUARTER_NAMES, quarter_sizes
from parity.paygap.results import PayGapResult


class PayGapCheckError(AssertionError):
    """A computed result breaks a rule the government service (or reg 13) enforces."""


QUARTER_SUM = "{label}: quarter {quarter} percentages add up to {total}, not 100.0"
QUARTER_COUNTS = "{label}: quarter {quarter} group counts add up to {total}, not its size {size}"
QUARTER_SIZES = "{label}: quarter sizes {sizes} break the remainder rule (expected {expected})"
BONUS_PERCENT = "{label}: bonus percent for {group} is {value}, outside 0–100"
BONUS_GAP = "{label}: {measure} is {value} although some of {group} were paid bonus (must be <= 100)"


def check_result(result: PayGapResult) -> PayGapResult:
    """Raise `PayGapCheckError` if `result` breaks a service rule; return it unchanged otherwise."""
    if result.withheld:
        return result
    label = f"{result.comparison_group} vs {result.reference_group}"
    _check_quarters(result, label)
    for group, value in result.bonus_percent.items():
        if value is not None and not 0 <= value <= 100:
            raise PayGapCheckError(BONUS_PERCENT.format(label=label, group=group, value=value))
    if result.counts.get(result.comparison_group, {}).get("bonus_recipients", 0) > 0:
        for measure in ("mean_bonus_gap", "median_bonus_gap"):
            value = getattr(result, measure)
            if value is not None and value > 100:
                raise PayGapCheckError(
                    BONUS_GAP.format(label=label, measure=measure, value=value, group=result.comparison_group)
                )
    return result


def _check_quarters(result: PayGapResult, label: str) -> None:
    quarters = result.quarters
    if [q["quarter"] for q in quarters] != list(QUARTER_NAMES):
        raise PayGapCheckError(f"{label}: expected quarters {QUARTER_NAMES}, got {len(quarters)}")
    sizes = tuple(q["size"] for q in quarters)
    if sizes != quarter_sizes(sum(sizes)):
        raise PayGapCheckError(QUARTER_SIZES.format(label=label, sizes=sizes, expected=quarter_sizes(sum(sizes))))
    for q in quarters:
        total = sum(q["counts"].values())
        if total != q["size"]:
            raise PayGapCheckError(QUARTER_COUNTS.format(label=label, quarter=q["quarter"], total=total, size=q["size"]))
        if q["size"] == 0:
            continue
        # Decimal(str(x)) reads the published one-decimal figure exactly, so 16.8 + 83.2 is 100.0
        pct = sum((Decimal(str(p)) for p in q["percent"].values()), Decimal(0))
        if pct != Decimal("100.0"):
            raise PayGapCheckError(QUARTER_SUM.format(label=label, quarter=q["quarter"], total=pct))
