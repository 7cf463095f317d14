"""Result objects shared by every standard, with the stable JSON shape and a tidy frame.

JSON (documented in docs/results-json.md): ``{"standard", "year", "organisation", "indicators":
[...]}``; every indicator has ``id``, ``kind``, ``value`` (null when undefined), ``groups`` keyed by
group name with ``numerator`` and ``denominator``, and ``narrative``; relative likelihoods add
``ci_low``, ``ci_high``, ``p_value``, ``test``, ``within_non_adverse_range``, ``assessment``;
percentages add per-group ``percent``, ``ci_low``, ``ci_high``; distributions add ``rows`` and
``senior``. Every comparison adds ``certainty`` and, for differences, ``statement`` (issue 13).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # issue 19: not loaded on the compiled-SQL cache's path
    import pandas as pd


#: kinds whose results carry ``certainty`` (null when there is no interval)
CERTAIN_KINDS = ("relative_likelihood", "percentages", "difference", "score", "distribution")

@dataclass
class GroupFigures:
    numerator: int | None
    denominator: int | None
    percent: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None

    def to_dict(self, *, with_percent: bool) -> dict[str, Any]:
        d: dict[str, Any] = {"numerator": self.numerator, "denominator": self.denominator}
        if with_percent:
            d.update(percent=self.percent, ci_low=self.ci_low, ci_high=self.ci_high)
        return d


@dataclass
class IndicatorResult:
    id: str
    standard: str
    title: str
    kind: str
    value: float | None
    groups: dict[str, GroupFigures]
    narrative: str = ""
    direction: str = ""
    unit: str = ""
    ci_low: float | None = None
    ci_high: float | None = None
    confidence: float | None = None
    p_value: float | None = None
    test: str | None = None
    within_non_adverse_range: bool | None = None
    assessment: str | None = None
    assessment_reason: str | None = None
    #: "clear" when the 95% interval excludes no difference (RL 1, or 0 points), else "uncertain"
    certainty: str | None = None
    #: the difference in words from the catalogue's direction ("worse for BME staff by 0.9 points")
    statement: str | None = None
    undefined_reason: str | None = None
    period: str | None = None
    period_rule: str | None = None
    survey_year: int | None = None
    source: str | None = None
    rows: list[dict[str, Any]] | None = None
    breakdowns: list[dict[str, Any]] | None = None
    #: WRES 1 / WDES 1: the minority share of bands 8a-9 and VSM together, with interval and test
    senior: dict[str, Any] | None = None
    #: WDES 3: which capability cases the headline counts ("including_ill_health" / "performance_only")
    basis: str | None = None
    #: tables the indicator needs that are not imported (the value is then null)
    missing_tables: list[str] | None = None
    difference: dict[str, Any] | None = None
    previous: dict[str, Any] | None = None
    change: dict[str, Any] | None = None
    data_quality: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id, "title": self.title, "kind": self.kind, "value": _clean(self.value),
            "unit": self.unit, "direction": self.direction,
            "groups": {k: g.to_dict(with_percent=self.kind in ("percentages", "difference", "score"))
                       for k, g in self.groups.items()},
        }
        if self.kind == "relative_likelihood":
            d.update(
                ci_low=_clean(self.ci_low), ci_high=_clean(self.ci_high), confidence=self.confidence,
                p_value=_clean(self.p_value), test=self.test,
                within_non_adverse_range=self.within_non_adverse_range, assessment=self.assessment,
                assessment_reason=self.assessment_reason, period_rule=self.period_rule,
            )
        if self.kind in ("percentages", "difference", "score"):
            d.update(ci_low=_clean(self.ci_low), ci_high=_clean(self.ci_high), confidence=self.confidence)
        if self.kind in CERTAIN_KINDS:
            d["certainty"] = self.certainty
        for name in ("statement", "rows", "senior", "breakdowns", "difference", "previous", "change", "survey_year",
                     "source", "undefined_reason", "period", "basis", "missing_tables"):
            value = getattr(self, name)
            if value is not None:
                d[name] = _clean(value)
        d["data_quality"] = _clean(self.data_quality)
        d["notes"] = list(self.notes)
        d["narrative"] = self.narrative
        return d


@dataclass
class StandardResult:
    standard: str
    year: int
    organisation: str
    indicators: list[IndicatorResult]
    settings: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, indicator_id: str) -> IndicatorResult:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "standard": self.standard, "year": self.year, "organisation": self.organisation,
            "settings": _clean(self.settings),
            "indicators": [i.to_dict() for i in self.indicators],
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per indicator × group × breakdown."""
        import pandas as pd

        records = []
        base = {"standard": self.standard, "year": self.year, "organisation": self.organisation}
        for ind in self.indicators:
            head = {**base, "indicator": ind.id, "kind": ind.kind, "value": ind.value,
                    "ci_low_value": ind.ci_low, "ci_high_value": ind.ci_high, "p_value": ind.p_value,
                    "test": ind.test, "assessment": ind.assessment, "certainty": ind.certainty}
            for name, g in ind.groups.items():
                records.append({**head, "breakdown": "overall", "group": name, "numerator": g.numerator,
                                "denominator": g.denominator, "percent": g.percent,
                                "ci_low": g.ci_low, "ci_high": g.ci_high})
            for row in ind.rows or []:
                label = f"band={row['band']};clinical={str(row['clinical']).lower()}"
                for name, g in row["groups"].items():
                    records.append({**head, "breakdown": label, "group": name, "numerator": g["count"],
                                    "denominator": row["total"], "percent": g["percent"]})
            for br in ind.breakdowns or []:
                for name, g in br["groups"].items():
                    records.append({**head, "breakdown": br["breakdown"], "group": name,
                                    "numerator": g["numerator"], "denominator": g["denominator"],
                                    "percent": g.get("percent"), "value": br.get("value")})
        frame = pd.DataFrame.from_records(records)
        for col in ("numerator", "denominator"):  # counts stay whole when some are null (not available)
            if col in frame:
                frame[col] = frame[col].astype("Int64")
        return frame


def _clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become None, numpy scalars plain Python."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
