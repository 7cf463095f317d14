"""Pay gaps (sex, ethnicity, disability): the regulation measures, pay quarters, gaps within pay
bands, the trend across years and the GOV.UK CSV — from protected pay gap results only
(`parity.web.paygaps`). The pages come under the `overview` permission (every role)."""

from __future__ import annotations

import csv
import io
from html import escape
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from parity.web.pages import render
from parity.web.paygaps import BY, TITLES, paygaps
from parity.web.roles import Access, require
from parity.web.sparkline import sparkline
from parity.web.viewing import resolve

router = APIRouter()
LABELS = {"male": "Men", "female": "Women"}
QUARTERS = {"lower": "Lower quarter", "lower_middle": "Lower middle quarter", "upper_middle": "Upper middle quarter",
            "top": "Top quarter"}
UNKNOWN = "There is no pay gap page {by!r}: choose sex, ethnicity or disability."


def label(group: str | None) -> str:
    return LABELS.get(group or "", group or "")


def band_label(band: Any) -> str:
    """A pay band as people write it: "Career grade", "Consultant", "8a", "VSM" (never "career_grade")."""
    text = str(band)
    if "_" in text or (text.isalpha() and text.islower()):
        return text.replace("_", " ").capitalize()
    return text


def pct(value: Any) -> str:
    return f"{value:.1f}%" if isinstance(value, int | float) and not isinstance(value, bool) else "Withheld"


def measures(r: dict[str, Any]) -> list[tuple[str, str]]:
    """The six measures of the Gender Pay Gap Information Regulations 2017 (regs 8-13), the sixth being
    the pay quarters (shown below as a chart and table)."""
    ref, cmp = r.get("reference_group"), r.get("comparison_group")
    bonus = r.get("bonus_percent") or {}
    return [("Mean hourly pay gap", pct(r.get("mean_hourly_gap"))),
            ("Median hourly pay gap", pct(r.get("median_hourly_gap"))),
            ("Mean bonus pay gap", pct(r.get("mean_bonus_gap"))),
            ("Median bonus pay gap", pct(r.get("median_bonus_gap"))),
            (f"{label(ref)} receiving a bonus", pct(bonus.get(ref))),
            (f"{label(cmp)} receiving a bonus", pct(bonus.get(cmp)))]


def quarters_svg(r: dict[str, Any]) -> str:
    """Each pay quarter as a bar split between the two groups (shares of the two; withheld: no bar)."""
    ref, cmp = r.get("reference_group"), r.get("comparison_group")
    rows, words = [], []
    for i, q in enumerate(r.get("quarters") or []):
        a, b = (q.get("percent") or {}).get(ref), (q.get("percent") or {}).get(cmp)
        y = 8 + i * 34
        name = QUARTERS.get(q.get("quarter"), q.get("quarter"))
        if isinstance(a, int | float) and isinstance(b, int | float) and a + b > 0:
            wb = 300 * b / (a + b)
            rows.append(f'<rect x="0" y="{y}" width="{wb:.1f}" height="24" fill="#005eb8"/>'
                        f'<rect x="{wb:.1f}" y="{y}" width="{300 - wb:.1f}" height="24" fill="#aeb7bd"/>')
            words.append(f"{name}: {label(cmp)} {b:.1f}%, {label(ref)} {a:.1f}%")
        else:
            words.append(f"{name}: withheld")
    if not rows:
        return ""
    alt = escape(f"Pay quarters, lower to top: share of {label(cmp)} (dark) and {label(ref)} (light). " + "; ".join(words) + ".")
    height = 8 + 34 * len(r.get("quarters") or [])
    return (f'<svg class="parity-quarters" role="img" width="300" height="{height}" viewBox="0 0 300 {height}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{alt}</title>{"".join(rows)}</svg>')


def _finding(by: str, pg: dict[str, Any]):
    from parity.report.findings import paygap_finding

    return paygap_finding(by, pg)


def _by(by: str) -> str:
    if by not in BY:
        raise HTTPException(404, UNKNOWN.format(by=by))
    return by


@router.get("/o/{org}/paygaps")
def paygap_index(request: Request, year: int | None = None, access: Access = Depends(require("overview"))):
    v = resolve(request, access, year, None, "pay gaps")
    cache = paygaps(request.app)
    items = []
    for by in BY:
        pg = cache.get(access.org, v.year, by)
        items.append((by, TITLES[by], pg, None if isinstance(pg, str) else _finding(by, pg)))
    return render(request, "paygaps.html", title="Pay gaps", v=v, items=items,
                  protected_only=True)


@router.get("/o/{org}/paygap/{by}")
def paygap_page(request: Request, by: str, year: int | None = None, access: Access = Depends(require("overview"))):
    by = _by(by)
    v = resolve(request, access, year, None, f"pay gap {by}")
    cache = paygaps(request.app)
    pg = cache.get(access.org, v.year, by)
    trend = []
    for y in sorted(y for y in v.years if y <= v.year):
        other = cache.get(access.org, y, by)
        first = (other.get("results") or [{}])[0] if isinstance(other, dict) else {}
        trend.append((y, first.get("mean_hourly_gap"), first.get("median_hourly_gap"), isinstance(other, dict)))
    chart = sparkline([(y, m if isinstance(m, int | float) else None) for y, m, _, _ in trend],
                      label="Mean hourly pay gap, percent", difference=True, places=1)
    first = (pg.get("results") or [{}])[0] if isinstance(pg, dict) else {}
    return render(request, "paygap.html", title=TITLES[by], v=v, by=by, heading=TITLES[by], pg=pg,
                  first=first, finding=None if isinstance(pg, str) else _finding(by, pg),
                  measures=measures(first) if first else [], quarters=quarters_svg(first) if first else "",
                  trend=trend, trend_chart=chart, label=label, pct=pct, band_label=band_label, quarter_names=QUARTERS,
                  protected_only=True)


@router.get("/o/{org}/paygap/sex/gov-uk.csv")
def gov_uk_csv(request: Request, year: int | None = None, access: Access = Depends(require("overview"))):
    """The 14 figures of the GOV.UK gender pay gap service (statutory, published unsuppressed)."""
    from parity.report.csv import GOV_UK_HEADER, gov_uk_row
    from parity.report.safety import neutralise

    v = resolve(request, access, year, None, "pay gap CSV")
    pg = paygaps(request.app).get(access.org, v.year, "sex")
    if isinstance(pg, str) or not pg.get("results"):
        raise HTTPException(404, pg if isinstance(pg, str) else "No gender pay gap for this year.")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(GOV_UK_HEADER)
    row = gov_uk_row(pg["results"][0])
    writer.writerow(["" if row.get(c) is None else neutralise(row[c]) for c in GOV_UK_HEADER])
    name = f"{access.org}-{v.year}-gov-uk-gender-pay-gap.csv"
    return Response(out.getvalue(), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
