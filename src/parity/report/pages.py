"""The printed report's content: summary, sections with their charts, and the methods appendix.

One page model feeds both the HTML and the PDF, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parity.indicators.catalogue import indicators
from parity.report import charts
from parity.report.build import Report
from parity.report.findings import Finding, board_findings
from parity.report.questions import questions_version
from parity.report.view import MINORITY, Section, standard_sections
from parity.report.view_paygap import LABELS, paygap_section

STATISTICS = {
    "Relative likelihood": "The rate of the outcome in one group divided by the rate in the other, as the guidance "
                           "defines it, with a 95% confidence interval on the log scale (Katz). The p-value is "
                           "from Fisher's exact test when any observed or expected count is below 5, otherwise "
                           "from the chi-square test.",
    "Non-adverse range": "0.80 to 1.25 (the four-fifths rule; NHS England, A fair experience for all, 2019). "
                         "Inconclusive when there are fewer than 5 events in total or 3 in either group, or when "
                         "the confidence interval spans the whole range; otherwise within range if the value lies "
                         "in 0.80-1.25, and adverse or favourable by the side it falls.",
    "Survey percentages": "Wilson score intervals for each group's percentage; the difference between groups with "
                          "Newcombe's hybrid score interval (method 10).",
    "Change on last year": "Ratio of this year's to last year's relative likelihood with a z-test on the log scale; "
                           "percentages compared with a pooled two-proportion z-test.",
    "Pay gaps": "As the regulations prescribe, rounded to one decimal place; stratified bootstrap percentile "
                "intervals with a fixed seed, so the report is reproducible.",
}


@dataclass
class Pages:
    report: Report
    sections: dict[str, list[Section]]
    summary_charts: list[charts.Chart]
    methods: dict[str, Any] = field(default_factory=dict)
    #: "What the board should know": `parity.report.findings`, the dashboard's ranking (published reports)
    findings: list[Finding] = field(default_factory=list)

    @property
    def board_findings(self) -> list[Finding]:
        """The findings page 1 lists: all but those that are not adverse."""
        return [f for f in self.findings if f.severity != "not_adverse"]

    @property
    def board_questions(self) -> list[tuple[Finding, str, list[str]]]:
        """"Questions for the board": (finding, section anchor, its questions), most serious first."""
        by_id = {s.id: s for s in self.all_sections}
        return [(f, by_id[f.id].anchor, by_id[f.id].questions) for f in self.board_findings
                if f.id in by_id and by_id[f.id].questions]

    @property
    def action_plan(self) -> list[dict[str, Any]]:
        """"Action plan and progress": adverse findings with their actions (`parity.report.actions`)."""
        from parity.report.actions import plan_rows

        return plan_rows(self.report.actions, self.findings)

    @property
    def all_sections(self) -> list[Section]:
        return [s for group in self.sections.values() for s in group]


def build_pages(report: Report, *, with_charts: bool = True, section_charts: bool = True) -> Pages:
    """Sections per standard (in catalogue order) and pay gaps, each with its charts.

    ``section_charts=False``: the summary's forest plot only, all the PDF's board pack shows (the
    sections' charts can be added later with `attach_section_charts`, for the HTML report)."""
    sections = _sections(report)
    summary: list[charts.Chart] = []
    if with_charts:
        forest = charts.forest_plot("forest", _forest_items(report))
        summary = [forest] if forest else []
        if section_charts:
            _attach_charts(report, sections)
    return Pages(report, sections, summary, _methods(report), _findings(report))


def attach_section_charts(pages: Pages) -> Pages:
    """Draw the sections' charts of pages built with ``section_charts=False`` (once)."""
    if not any(s.charts for s in pages.all_sections):
        _attach_charts(pages.report, pages.sections)
    return pages


def chart_specs(report: Report) -> list[dict]:
    """The Vega-Lite spec of every chart `build_pages` would draw from `report` as it stands (nothing
    drawn): the charts of the sections known so far and the summary forest plot."""
    sections = _sections(report)
    with charts.specs_only() as specs:  # the forest plot first: the PDF needs only that one
        charts.forest_plot("forest", _forest_items(report))
        _attach_charts(report, sections)
    return specs


def _sections(report: Report) -> dict[str, list[Section]]:
    """Each standard's sections (in catalogue order) and the pay gaps', without charts."""
    marker = report.rule.marker
    sections = {name: standard_sections(result, report.trends, marker) for name, result in report.standards.items()}
    if report.paygap:
        sections["Pay gaps"] = [paygap_section(by, pg, marker) for by, pg in report.paygap.items()]
    return sections


def _findings(report: Report) -> list[Finding]:
    """The ranked findings of a published report; an unsuppressed copy has none (they are ranked from
    protected results only, and its readers have the published report's)."""
    if report.unsuppressed:
        return []
    history = {name: report.history.get(name) or {report.year: doc} for name, doc in report.standards.items()}
    return board_findings(history, report.year, report.paygap, report.explore)


def _attach_charts(report: Report, sections: dict[str, list[Section]]) -> None:
    for name, group in sections.items():
        result = report.standards.get(name) or {}
        by_id = {i["id"]: i for i in result.get("indicators", [])}
        for s in group:
            key = s.anchor
            if s.id in by_id and by_id[s.id].get("kind") == "distribution":
                s.charts.append(charts.distribution_chart(f"{key}-bands", by_id[s.id], MINORITY[name]))
            if s.id in report.trends and by_id.get(s.id, {}).get("kind") != "distribution":
                unit = by_id[s.id].get("unit") or ""
                s.charts.append(charts.trend_chart(f"{key}-trend", s.title, report.trends[s.id], unit))
            if s.id.startswith("paygap."):
                pg = report.paygap[s.id.split(".", 1)[1]]
                first = (pg.get("results") or [{}])[0]
                if first.get("quarters"):
                    groups = (first["reference_group"], first["comparison_group"])
                    s.charts.append(charts.quarter_chart(f"{key}-quarters", first["quarters"], groups, LABELS))
                s.charts.append(charts.within_band_chart(f"{key}-bands", pg.get("within_band") or []))
            s.charts = [c for c in s.charts if c is not None]


def _forest_items(report: Report) -> list[dict]:
    items = []
    for result in report.standards.values():
        for ind in result["indicators"]:
            if ind.get("kind") == "relative_likelihood":
                items.append({"label": f"{ind['id'].upper()} {ind.get('title', '')}"[:60], "value": ind.get("value"),
                              "ci_low": ind.get("ci_low"), "ci_high": ind.get("ci_high")})
    return items


def settings_text(settings: dict[str, Any]) -> str:
    """A standard's settings in words: "Disciplinary period: two year rolling; min events: 5" (issue 14)."""
    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "yes" if v else "no"
        return ", ".join(map(str, v)) if isinstance(v, list | tuple) else str(v).replace("_", " ")
    text = "; ".join(f"{k.replace('_', ' ')}: {value(v)}" for k, v in sorted(settings.items()))
    return text[:1].upper() + text[1:]


def _methods(report: Report) -> dict[str, Any]:
    definitions = {}
    for name in report.standards:
        definitions[name] = [
            {"id": d.id, "title": d.title, "guidance": d.guidance, "population": d.population, "period": d.period,
             "numerator": d.numerator, "denominator": d.denominator, "direction": d.direction or "—"}
            for d in indicators(name)]
    settings = {name: settings_text(r.get("settings") or {}) for name, r in report.standards.items()}
    return {"definitions": definitions, "statistics": STATISTICS, "disclosure": report.methods_note,
            "questions_version": questions_version(), "settings": settings, "notes": list(report.notes)}
