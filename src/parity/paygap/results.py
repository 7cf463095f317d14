"""Result objects: what a pay gap computation returns and how it is published.

Published figures are rounded to one decimal place (regs 8–13); the unrounded values travel in
``unrounded`` for analysis and tests. Missing values are None (published blank), never NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

from parity.paygap.groups import FEMALE, MALE
from parity.paygap.quarters import QUARTER_NAMES

#: gov.uk gender pay gap service column → (result attribute, key); quarter columns added below
GOV_UK_COLUMNS: dict[str, tuple[str, str | None]] = {
    "DiffMeanHourlyPercent": ("mean_hourly_gap", None),
    "DiffMedianHourlyPercent": ("median_hourly_gap", None),
    "DiffMeanBonusPercent": ("mean_bonus_gap", None),
    "DiffMedianBonusPercent": ("median_bonus_gap", None),
    "MaleBonusPercent": ("bonus_percent", MALE),
    "FemaleBonusPercent": ("bonus_percent", FEMALE),
}
_GOV_QUARTERS = dict(zip(QUARTER_NAMES, ("Lower", "LowerMiddle", "UpperMiddle", "Top"), strict=True))


@dataclass(frozen=True)
class PayGapResult:
    """One comparison: a reference group (men, White British, non-disabled …) against another.

    Attributes
    ----------
    attribute : "sex", "ethnicity" or "disability".
    counts : group → {"relevant", "full_pay", "bonus_recipients"} head counts.
    mean_hourly_gap, median_hourly_gap, mean_bonus_gap, median_bonus_gap : percent, one decimal
        place, positive when the reference group is paid more; None when not computable or withheld.
    bonus_percent : group → % of its relevant employees paid bonus (one decimal place).
    quarters : four dicts, lower → top: ``quarter``, ``size``, ``counts`` and ``percent`` per group.
    withheld : True when the comparison is not published (group too small); ``notes`` say why.
    not_disclosed_percent : % of relevant employees whose attribute is not known (None for sex,
        where ``excluded`` gives the other / unknown head counts instead).
    excluded : head counts of relevant employees left out of the comparison, by reason.
    unrounded : unrounded gaps, means and medians of both groups (analysis only, not published).
    """

    attribute: str
    reference_group: str
    comparison_group: str
    counts: dict[str, dict[str, int]]
    mean_hourly_gap: float | None
    median_hourly_gap: float | None
    mean_bonus_gap: float | None
    median_bonus_gap: float | None
    bonus_percent: dict[str, float | None]
    quarters: list[dict[str, Any]]
    notes: tuple[str, ...] = ()
    withheld: bool = False
    not_disclosed_percent: float | None = None
    excluded: dict[str, int] = field(default_factory=dict)
    snapshot_date: str | None = None
    unrounded: dict[str, float | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (lists, str, int, float, None; no NaN)."""
        return {f.name: _json_safe(getattr(self, f.name)) for f in fields(self)}

    def gov_uk_row(self) -> dict[str, float | str]:
        """The 14 figures as the gov.uk gender pay gap service names them (sex only).

        None (e.g. bonus gaps when no man was paid bonus) is published as a blank string.
        """
        if self.attribute != "sex":
            raise ValueError("gov_uk_row() is for the gender pay gap (attribute='sex') only")
        row: dict[str, float | str] = {}
        for column, (name, key) in GOV_UK_COLUMNS.items():
            value = getattr(self, name)
            row[column] = _blank(value[key] if key else value)
        for quarter in self.quarters:
            title = _GOV_QUARTERS[quarter["quarter"]]
            row[f"Male{title}Quartile"] = _blank(quarter["percent"][MALE])
            row[f"Female{title}Quartile"] = _blank(quarter["percent"][FEMALE])
        return row


def _blank(value: float | None) -> float | str:
    return "" if value is None else value


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if hasattr(value, "item"):  # numpy scalars (np.int64 is not an int)
        return _json_safe(value.item())
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    return str(value)


#: the decomposition, stated once for the docs and the result
DECOMPOSITION_FORMULA = (
    "M_r - M_c = sum_b (p_rb - p_cb) * m_rb  [band mix]  +  sum_b p_cb * (m_rb - m_cb)  [within band]; "
    "p_gb = share of group g's full-pay employees in band b, m_gb = their mean hourly pay, "
    "M_g = sum_b p_gb * m_gb = group g's mean; both parts divided by M_r and multiplied by 100. "
    "A band with no reference-group employee uses m_rb = m_cb (its pay counts as band mix)."
)


@dataclass(frozen=True)
class Decomposition:
    """The mean hourly pay gap split into a band-mix part and a within-band part (percent of the
    reference group's mean; ``band_mix + within_band == total_gap`` up to float rounding, ~1e-12).

    ``by_band`` lists each band's shares, means and its contribution to each part.
    """

    attribute: str
    reference_group: str
    comparison_group: str
    total_gap: float | None
    band_mix: float | None
    within_band: float | None
    by_band: list[dict[str, Any]]
    formula: str = DECOMPOSITION_FORMULA

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (None, not NaN)."""
        return {f.name: _json_safe(getattr(self, f.name)) for f in fields(self)}
