"""`spc(...)`: a measure's series per group (and the ratio to the reference group), charted.

Which chart: Making Data Count uses the XmR chart for almost everything, and so do we for staff
rates, whose denominator (the headcount at 31 March) changes once a year. Appointment from
shortlisting is a proportion whose denominator (shortlisted applicants) changes every month, so
it gets Laney's p′ chart by default. ``chart="xmr"`` or ``"laney"`` overrides that (laney: p′ for
proportions, u′ for staff rates). Ratios between groups are always XmR.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from parity.explore.attributes import DEFAULT_REFERENCE
from parity.spc.chart import Chart, laney, xmr
from parity.spc.rules import SpcRules
from parity.spc.series import ATTRIBUTE_ALIASES, Counts, Measure, count
from parity.spc.series import measure as get_measure

CHARTS = ("auto", "xmr", "laney")
UNKNOWN_CHART = "Unknown chart {name!r}: choose from auto, xmr, laney"
TOO_FEW = "Too few periods to chart: {n} (at least {need} are needed to set limits)"
TOO_SPARSE = ("{zeros} of {n} periods had no events: too sparse for a chart. Read the yearly indicator "
              "instead, or try --period quarter")
SKIPPED = "{n} periods left out: no {what}, so no ratio"


@dataclass
class Series:
    group: str
    kind: str  # "rate" or "ratio"
    chart: str | None
    points: list[dict]
    mean: float | None = None
    upper_limit: float | None = None
    lower_limit: float | None = None
    variation: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"group": self.group, "kind": self.kind, "chart": self.chart, "mean": self.mean,
                "upper_limit": self.upper_limit, "lower_limit": self.lower_limit, "variation": self.variation,
                "notes": self.notes, "points": self.points}


@dataclass
class SpcResult:
    measure: Measure
    org: str | None
    by: str
    period: str
    unit: str
    rules: SpcRules
    series: list[Series]
    excluded: dict[str, int]
    unknown_events: int

    def to_dict(self) -> dict:
        return {"measure": self.measure.name, "label": self.measure.label, "better": self.measure.better,
                "org": self.org, "by": self.by, "period": self.period, "unit": self.unit,
                "rules": self.rules.to_dict(), "series": [s.to_dict() for s in self.series],
                "excluded": self.excluded, "unknown_events": self.unknown_events}


def _r(x: float) -> float:
    return round(float(x), 6)


def _period(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m")


def _charted(group: str, kind: str, periods: list, values: np.ndarray, extra: list[dict], rules: SpcRules,
             make) -> Series:
    """Points with their flags, or the reason there is no chart."""
    zeros = int((values == 0).sum())
    notes = []
    if len(values) < rules.min_points:
        notes.append(TOO_FEW.format(n=len(values), need=rules.min_points))
    elif zeros > rules.max_zero_share * len(values):
        notes.append(TOO_SPARSE.format(zeros=zeros, n=len(values)))
    if notes:
        points = [{"period": _period(p), "value": _r(v), **e, "special_cause": False, "rules": []}
                  for p, v, e in zip(periods, values, extra, strict=True)]
        return Series(group, kind, None, points, notes=notes)
    c: Chart = make()
    points = [{"period": _period(p), "value": _r(v), **e, "upper_limit": _r(u), "lower_limit": _r(lo),
               "special_cause": bool(r), "rules": r}
              for p, v, e, u, lo, r in zip(periods, c.values, extra, c.upper, c.lower, c.rules, strict=True)]
    # a p′/u′ chart's limits vary by point: the series' limits are those at the mean denominator
    mid = int(np.argmin(np.abs(c.upper - np.median(c.upper))))
    return Series(group, kind, c.kind, points, _r(c.mean), _r(c.upper[mid]), _r(c.lower[mid]), c.variation)


def spc(source, *, org: str | None = None, measure: str = "disciplinary", by: str = "ethnicity",
        period: str = "month", chart: str = "auto", rules: SpcRules = SpcRules()) -> SpcResult:
    """Statistical process control charts of one measure per group, and of each group's ratio to the
    reference group (White, Non-disabled, men), for one organisation."""
    from parity.spc.series import connect

    if chart not in CHARTS:
        raise ValueError(UNKNOWN_CHART.format(name=chart))
    m = get_measure(measure)
    src = connect(source, org=org)
    return charted(count(src, m, by=by, period=period), m, org=org, by=by, period=period, chart=chart, rules=rules)


def spc_every_org(source, *, measure: str = "disciplinary", by: str = "ethnicity", period: str = "month",
                  chart: str = "auto", rules: SpcRules = SpcRules(), src=None) -> dict[str, SpcResult | ValueError]:
    """`spc` for every organisation from one grouped count (`parity.spc.every_org`): {org: its
    `SpcResult`, the same as ``spc(source, org=org, ...)``, or the ValueError that call raises}.
    ``src``: unscoped `parity.explore.sources.Sources` to share between measures (the staff in post
    built once)."""
    from parity.spc.every_org import count_every_org
    from parity.spc.series import connect

    if chart not in CHARTS:
        raise ValueError(UNKNOWN_CHART.format(name=chart))
    m = get_measure(measure)
    every = count_every_org(src if src is not None else connect(source, org=None), m, by=by, period=period)
    return {org: c if isinstance(c, ValueError) else
            charted(c, m, org=org, by=by, period=period, chart=chart, rules=rules) for org, c in every.items()}


def charted(counts: Counts, m: Measure, *, org: str | None, by: str, period: str, chart: str,
            rules: SpcRules) -> SpcResult:
    """The charts of one scope's counts: each group's rate and each group's ratio to the reference."""
    proportion = m.kind == "appointment"
    scale, unit = (100.0, "% appointed") if proportion else (1000.0, "per 1,000 staff")
    use_laney = chart == "laney" or (chart == "auto" and proportion)
    series: list[Series] = []
    rates: dict[str, pd.DataFrame] = {}
    for group, g in counts.frame.groupby("group", sort=True):
        g = g[g["denominator"] > 0]
        rates[group] = g.set_index("period")
        x, n = g["events"].to_numpy(float), g["denominator"].to_numpy(float)
        values = x / n * scale if len(g) else np.array([])
        extra = [{"events": int(a), "denominator": int(b)} for a, b in zip(x, n, strict=True)]

        def make(x=x, n=n, values=values):
            if use_laney:
                return laney(x, n, kind="p" if proportion else "u", rules=rules, better=m.better, scale=scale)
            return xmr(values, rules=rules, better=m.better, floor=0.0)
        series.append(_charted(group, "rate", list(g["period"]), values, extra, rules, make))
    reference = DEFAULT_REFERENCE.get(ATTRIBUTE_ALIASES.get(by, by))
    if reference in rates:
        ref = rates[reference]
        for group, g in rates.items():
            if group == reference:
                continue
            j = g.join(ref.add_suffix("_ref"), how="inner")
            ok = j["events_ref"] > 0
            j = j[ok]
            ratio = (j["events"] / j["denominator"]) / (j["events_ref"] / j["denominator_ref"])
            values = ratio.to_numpy(float)
            extra = [{} for _ in values]
            s = _charted(f"{group} ÷ {reference}", "ratio", list(j.index), values, extra, rules,
                         lambda values=values: xmr(values, rules=rules, better=m.better, floor=0.0))
            skipped = int((~ok).sum())
            if skipped:
                what = "appointments" if proportion else "events"
                s.notes.append(SKIPPED.format(n=skipped, what=what + " in " + reference))
            series.append(s)
    return SpcResult(m, org, by, period, unit, rules, series, counts.excluded, counts.unknown_events)
