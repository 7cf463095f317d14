"""The PDF as a board pack (issue 14): what a board reads first, the detail in an appendix.

The HTML report is the analyst's document and keeps a section per indicator with its charts. The
PDF is laid out from the same page model (`parity.report.pages.Pages`, protected results only —
no figure here is new, only its arrangement) as:

1. page 1, "What the board should know": the ranked findings (`parity.report.findings`) as one table,
   each leading to its indicator's row in 4.;
2. "Questions for the board" on one page: the questions of each ranked finding, the most serious
   findings' two, the others' first, and the questions every indicator can raise (small numbers,
   unrecorded characteristics) once, naming the indicators they apply to;
3. contents, with page numbers;
4. each standard condensed to one table — indicator, value with its 95% interval, assessment,
   trend in words — and the forest plot of the relative likelihoods (the one chart that carries
   the findings); then the action plan, change over time, pulse surveys and comparison sections;
5. an appendix: every finding ranked, and the methods. Every indicator's own tables, chart, notes and
   questions are in the HTML report and the Excel workbook, which the appendix names.

Decision and page counts: docs/reports.md, "PDF".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parity.report.findings import Finding
from parity.report.pages import Pages
from parity.report.questions import load_questions
from parity.report.view import DASH, Fmt, indicator_code, suppressed_paths

#: page 1 lists at most this many ranked findings (the rest are in the appendix's full ranking)
PAGE_ONE = 18
#: "Questions for the board" holds at most this many questions (the rest are in the appendix)
QUESTIONS = 18
#: questions shown for an adverse and clear finding, and for any other ranked finding
PER_CLEAR, PER_OTHER = 2, 1
#: the per-indicator detail is not in the PDF (docs/reports.md, "PDF"): where it is
DETAIL = ("Every indicator's counts, statistics, chart, data quality notes and questions to ask are in the HTML "
          "report ({stem}.html) and the Excel workbook ({stem}.xlsx) made with this PDF; the CSV file "
          "({stem}-tidy.csv) holds the same figures as data.")
ARROWS = {"↑": "up", "↓": "down", "→": "unchanged"}


@dataclass
class Row:
    """One indicator in its standard's table."""

    anchor: str
    name: str        # "WRES 2"
    title: str
    value: str       # "1.49", "+0.9 pts", "20.8%"
    interval: str    # "1.31 to 1.68" or "" (none)
    detail: str      # a second line for the senior share, else ""
    tag: tuple[str, str]
    trend: str


@dataclass
class BoardQuestions:
    """The consolidated questions page."""

    items: list[tuple[Finding, str, list[str]]] = field(default_factory=list)
    #: a question any indicator can raise, with the indicators it applies to
    shared: list[tuple[str, list[str]]] = field(default_factory=list)
    #: ranked findings whose questions did not fit (they are in the appendix)
    left: int = 0


def short_name(ind_id: str) -> str:
    """"WRES 2", "WDES 4a(iii)", "Gender pay gap" — an indicator as a reader names it."""
    standard, _, number = ind_id.partition(".")
    if standard == "paygap":
        return {"sex": "Gender pay gap", "ethnicity": "Ethnicity pay gap",
                "disability": "Disability pay gap"}.get(number, number)
    return indicator_code(ind_id)


def board_questions(pages: Pages, limit: int = QUESTIONS) -> BoardQuestions:
    """Each ranked finding's own questions, most serious first, within `limit` questions; the
    questions common to every indicator once, with the indicators they apply to."""
    common = {q for qs in load_questions()["common"].values() for q in qs}
    out, shared, used = BoardQuestions(), {}, 0
    for f, anchor, questions in pages.board_questions:
        for q in questions:
            if q in common:
                shared.setdefault(q, []).append(short_name(f.id))
        own = [q for q in questions if q not in common]
        own = own[:PER_CLEAR if f.severity == "adverse" and f.certainty == "clear" else PER_OTHER]
        if not own:
            continue
        if used + len(own) > limit - len(shared):
            out.left += 1
            continue
        out.items.append((f, anchor, own))
        used += len(own)
    out.shared = list(shared.items())
    return out


def standard_rows(pages: Pages) -> dict[str, list[Row]]:
    """{standard: its rows}, in the report's order: value with interval, assessment and trend in words."""
    findings = {f.id: f for f in pages.findings}
    marker = pages.report.rule.marker
    out: dict[str, list[Row]] = {}
    for name, sections in pages.sections.items():
        result = pages.report.standards.get(name) or {}
        by_id = {i["id"]: i for i in result.get("indicators", [])}
        rows = []
        for s in sections:
            ind = by_id.get(s.id)
            if ind is not None:
                value, interval, detail = _interval(ind, Fmt(marker, bool(suppressed_paths(ind))), s.headline)
            else:
                pg = pages.report.paygap.get(s.id.split(".", 1)[1]) or {}
                value, interval, detail = s.headline, _paygap_interval(pg, marker), ""
            found = findings.get(s.id)
            trend = found.trend if found is not None and found.trend else _words(s.trend)
            label = "" if s.id.startswith("paygap.") else short_name(s.id)  # a pay gap's title names it
            rows.append(Row(s.anchor, label, s.title, value, interval, detail, s.tag, trend))
        out[name] = rows
    return out


def _interval(ind: dict[str, Any], f: Fmt, headline: str) -> tuple[str, str, str]:
    """The value, its 95% interval (signed for a difference in points) and a line of detail.

    The value is the section's headline, except for the staff in each pay band (indicator 1 /
    metric 1): there the finding is the senior bands' share against the rest of the staff, so the
    value is that difference in points and the overall share moves to the line of detail."""
    kind, low, high = ind.get("kind"), ind.get("ci_low"), ind.get("ci_high")
    if kind == "distribution":
        senior = ind.get("senior") or {}
        gap = senior.get("difference_vs_rest") or {}
        rest = (senior.get("rest") or {}).get("percent")
        if senior.get("percent") is None or rest is None:
            return headline, "", ""
        detail = (f"{f.pct(ind.get('value'))} of all staff; {senior['percent']:.1f}% of bands 8a to 9 and VSM "
                  f"against {rest:.1f}% of other staff")
        value = f.missing if gap.get("value") is None else f"{gap['value']:+.1f} pts"
        return value, _signed(gap.get("ci_low"), gap.get("ci_high"), 1, f), detail
    if kind == "relative_likelihood":
        return headline, ("" if ind.get("value") is None and low is None else f.ci(low, high)), ""
    if kind in ("percentages", "difference", "score"):
        if low is None and high is None and ind.get("value") is None:
            return headline, "", ""
        places = 2 if kind == "score" else 1
        signed = kind == "score" or ind.get("unit") == "percentage points"  # a difference, as the headline
        return headline, (_signed(low, high, places, f) if signed else f.ci(low, high, 1)), ""
    return headline, "", ""


def _paygap_interval(pg: dict[str, Any], marker: str) -> str:
    """The mean hourly gap's bootstrap interval (withheld with the gap)."""
    ci = (pg.get("bootstrap_intervals") or {}).get("mean") or {}
    f = Fmt(marker, bool(pg.get("suppressed")))
    if not ci:
        return ""
    return _signed(ci.get("ci_low"), ci.get("ci_high"), 1, f)


def _signed(low: Any, high: Any, places: int, f: Fmt) -> str:
    if low is None or high is None:
        return f.missing if f.missing != DASH else ""
    return f"{low:+.{places}f} to {high:+.{places}f}"


def _words(trend: str) -> str:
    """The section's "↑ from 26.8 in 2024 (within chance)" in words: "up from 26.8 in 2024 (within chance)"."""
    if trend == DASH or not trend:
        return DASH
    return ARROWS.get(trend[0], trend[0]) + trend[1:]


@dataclass
class Pack:
    """What the board pack adds to the page model: page 1's share of the ranking, the questions page
    and each standard's table."""

    first: list[Finding]
    more: int
    other: int
    questions: BoardQuestions
    rows: dict[str, list[Row]]
    #: where every indicator's detail is: the sentence the contents and the appendix print
    detail: str = ""


def board_pack(pages: Pages, page_one: int = PAGE_ONE) -> Pack:
    from parity.report.write import report_stem

    ranked = pages.board_findings
    return Pack(first=ranked[:page_one], more=max(0, len(ranked) - page_one),
                other=len(pages.findings) - len(ranked), questions=board_questions(pages), rows=standard_rows(pages),
                detail=DETAIL.format(stem=report_stem(pages.report)))
