"""Overview of one organisation and year: what the board should know, then the indicators as cards
grouped by topic (recruitment, discipline, development, experience, representation), each with its
trend line and trend in words (issue 14)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request

from parity.report.findings import TOPIC_OF, TOPIC_TITLES, TOPICS, Finding
from parity.web.pages import render
from parity.web.roles import Access, require
from parity.web.sparkline import sparkline
from parity.web.viewing import View, resolve, standards

router = APIRouter()
#: more than this share unknown is flagged (the report's "questions" use the same figure)
UNKNOWN_WARNING = 10.0
#: a WDES declaration rate below this is flagged
DECLARATION_WARNING = 80.0
#: findings shown in the top panel before "all findings" (the rest are one click away): the standards'
#: five most serious and, on the demo trust, the bias explorer's appointment finding among them
PANEL_SIZE = 6
#: tag colour of a finding: (severity, certainty)
FINDING_COLOURS = {("adverse", "clear"): "red", ("adverse", "uncertain"): "orange",
                   ("within_range", "clear"): "blue", ("within_range", "uncertain"): "blue"}
ATTRIBUTE = {"WRES": "ethnicity", "WDES": "disability status"}


@dataclass
class Card:
    standard: str
    ind: dict[str, Any]
    finding: Finding | None
    chart: str


def quality_statement(results: dict[str, dict | str]) -> str | None:
    """Every data-quality note of the page as one short statement (None when there is none)."""
    parts = []
    for name, result in results.items():
        if not isinstance(result, dict):
            continue
        unknown = [(ind["id"], ind["data_quality"]["unknown_percent"]) for ind in result.get("indicators", [])
                   if (ind.get("data_quality") or {}).get("unknown_percent") is not None
                   and ind["data_quality"]["unknown_percent"] > UNKNOWN_WARNING and ind.get("kind") != "difference"]
        if unknown:
            parts.append(f"{ATTRIBUTE.get(name, 'the group')} is not recorded for up to "
                         f"{max(u for _, u in unknown):.0f}% of people in {_ids([i for i, _ in unknown])}")
        rates = [(ind["id"], ind["data_quality"]["declaration_rate"]) for ind in result.get("indicators", [])
                 if (ind.get("data_quality") or {}).get("declaration_rate") is not None
                 and ind["data_quality"]["declaration_rate"] < DECLARATION_WARNING]
        if rates:
            parts.append(f"the disability declaration rate is as low as {min(r for _, r in rates):.0f}% "
                         f"({_ids([i for i, _ in rates])})")
    if not parts:
        return None
    text = "; ".join(parts)
    return f"{text[0].upper()}{text[1:]}. Findings for these indicators could change as records improve."


def _ids(ids: list[str]) -> str:
    names = [i.upper().replace(".", " ", 1) for i in ids]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def releases(request: Request, org: str) -> dict[str, dict[int, dict[str, Any]]]:
    """{standard: {year: protected result}} of `org`: every year of its release (`Results.release`)."""
    from parity.report.release import unit_for
    from parity.web.results import STANDARDS

    out = {}
    for name in STANDARDS:
        docs, orgs = request.app.state.results.release(name)
        unit = unit_for(org, orgs)
        out[name] = {y: d for (u, y), d in docs.items() if u == unit}
    return out


def board_findings(request: Request, org: str, year: int) -> list[Finding]:
    """The ranked findings of `org` and `year`, from the protected release whatever the page's view
    (the panel never shows an unsuppressed figure; `parity.report.findings`), with the bias explorer's
    significant cells from the Explore page's protected scan (cached per organisation and year)."""
    from parity.report.findings import board_findings as rank_findings
    from parity.web.views.explore import scans

    scan = scans(request.app).get(org, year)
    return rank_findings(releases(request, org), year, {by: pg for by, pg in pay_gaps(request, org, year).items()
                                                        if isinstance(pg, dict)}, scan if isinstance(scan, dict) else None)


def pay_trend(request: Request, org: str, v: View, by: str) -> str:
    """The pay card's trend line: the mean hourly gap in every year up to the page's (protected
    results, as on the pay gap page; a withheld or missing year is a gap)."""
    from parity.web.paygaps import paygaps

    cache, points = paygaps(request.app), []
    for y in sorted(y for y in v.years if y <= v.year):
        pg = cache.get(org, y, by)
        first = (pg.get("results") or [{}])[0] if isinstance(pg, dict) else {}
        value = first.get("mean_hourly_gap")
        points.append((y, value if isinstance(value, int | float) and not isinstance(value, bool) else None))
    return sparkline(points, label="Mean hourly pay gap, percent", difference=True, places=1) if points else ""


def pay_gaps(request: Request, org: str, year: int) -> dict[str, dict | str]:
    """{"sex": protected PayGapReport dict or why there is none, "ethnicity": …, "disability": …}."""
    from parity.web.paygaps import BY, paygaps

    cache = paygaps(request.app)
    return {by: cache.get(org, year, by) for by in BY}


def _series(request: Request, org: str, v: View, name: str, protected: dict[int, dict]) -> dict[str, list]:
    """{indicator id: [(year, value or None)]} for every year up to the page's, oldest first: from the
    release (suppressed view) or the unsuppressed results (analysts' marked view)."""
    out: dict[str, list] = {}
    for y in sorted(y for y in v.years if y <= v.year):
        if v.suppressed:
            doc = protected.get(y)
        else:
            try:
                doc = request.app.state.results.standard(org, y, name, suppressed=False)
            except (ValueError, KeyError, FileNotFoundError):
                doc = None
        by_id = {i["id"]: i for i in (doc or {}).get("indicators", [])}
        for ind_id in {i for d in protected.values() for i in (x["id"] for x in d.get("indicators", []))} | set(by_id):
            out.setdefault(ind_id, []).append((y, _plotted(by_id.get(ind_id))))
    return out


def _plotted(ind: dict | None) -> float | None:
    if ind is None:
        return None
    value = (ind.get("senior") or {}).get("percent") if ind.get("kind") == "distribution" else ind.get("value")
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _chart(ind: dict, standard: str, points: list) -> str:
    kind = ind.get("kind")
    if kind == "distribution":
        group = "BME" if standard == "WRES" else "Disabled"
        return sparkline(points, label=f"{group} share of bands 8a to 9 and VSM, percent", places=1)
    if kind == "relative_likelihood":
        return sparkline(points, label="Relative likelihood (shaded: non-adverse range 0.80 to 1.25)", ratio=True)
    if kind in ("percentages", "difference") and ind.get("id") != "wdes.8":
        return sparkline(points, label="Difference in percentage points", difference=True, places=1)
    if kind == "score":
        return sparkline(points, label="Difference in score", difference=True)
    if kind == "percentages":
        return sparkline(points, label="Percent", places=1)
    return ""


def cards_by_topic(request: Request, org: str, v: View, results: dict, found: list[Finding]) -> list[tuple[str, list[Card]]]:
    """[(topic title, cards)] in the board's topic order; topics without a card are left out."""
    protected = releases(request, org)
    by_id = {f.id: f for f in found}
    groups: dict[str, list[Card]] = {t: [] for t in TOPICS}
    for name, result in results.items():
        if not isinstance(result, dict):
            continue
        series = _series(request, org, v, name, protected.get(name, {}))
        for ind in result.get("indicators", []):
            card = Card(name, ind, by_id.get(ind["id"]), _chart(ind, name, series.get(ind["id"], [])))
            groups[TOPIC_OF.get(ind["id"], "experience")].append(card)
    return [(TOPIC_TITLES[t], cards) for t, cards in groups.items() if cards]


@router.get("/o/{org}/overview")
def overview(request: Request, year: int | None = None, view: str | None = None,
             access: Access = Depends(require("overview"))):
    v = resolve(request, access, year, view, "overview")
    results = standards(request, access.org, v)
    from parity.web.paygaps import TITLES

    pay = pay_gaps(request, access.org, v.year)
    findings = board_findings(request, access.org, v.year)
    by_id = {f.id: f for f in findings}
    pay_cards = [(by, TITLES[by], pg, by_id.get(f"paygap.{by}"), pay_trend(request, access.org, v, by) if
                  isinstance(pg, dict) else "") for by, pg in pay.items()]
    shown = [f for f in findings if f.severity != "not_adverse"][:PANEL_SIZE]
    from parity.web.views.actions import overdue_actions

    return render(request, "overview.html", title="Overview", v=v, results=results,
                  late_actions=overdue_actions(request, access.org),
                  quality=quality_statement(results), unsuppressed=not v.suppressed,
                  k=request.app.state.results.rule.k, findings=findings, shown=shown, colours=FINDING_COLOURS,
                  topics=cards_by_topic(request, access.org, v, results, findings), pay_cards=pay_cards,
                  methods_note=next((r["disclosure"].get("methods_note") for r in results.values()
                                     if isinstance(r, dict) and r.get("disclosure")), None))
