"""The report as pages: a section per indicator with its headline, tag, tables, notes and questions.

Shared by the HTML and the PDF (the same template). Formatting lives here, once: a withheld
number prints as the rule's marker, an undefined one as an em dash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from parity.indicators.catalogue import CATALOGUE, indicators
from parity.indicators.narrative import p_value
from parity.report.questions import findings, questions_for
from parity.stats.certainty import with_certainty

DASH = "—"
GROUPS = {"WRES": ("White", "BME", "Unknown"), "WDES": ("Disabled", "Non-disabled", "Unknown")}
MINORITY = {"WRES": "BME", "WDES": "Disabled"}
#: assessment / finding → (label, nhsuk tag modifier)
TAGS = {
    "adverse": ("Adverse", "red"), "favourable": ("Favourable", "green"),
    "within_range": ("Within non-adverse range", "blue"), "inconclusive": ("Inconclusive", "grey"),
    "worse_for_minority": ("Worse for {m} staff", "red"), "better_for_minority": ("Better for {m} staff", "green"),
    "no_clear_difference": ("No clear difference", "blue"), "under_represented": ("Under-represented", "orange"),
    "representative": ("Representative", "green"), "lower_share_in_senior_bands": ("Fewer in senior bands", "orange"),
    "similar_shares": ("No clear difference across bands", "blue"),
    "higher_share_in_senior_bands": ("More in senior bands", "green"), "reported": ("Reported", "blue"),
    "supplied": ("Supplied", "blue"), "undefined": ("Not available", "grey"), "suppressed": ("Withheld", "grey"),
    "gap_favours_reference": ("Gap", "orange"), "gap_favours_comparison": ("Reverse gap", "orange"),
    "no_clear_gap": ("No clear gap", "blue"), "withheld": ("Withheld", "grey"),
}


#: the assessments of a relative likelihood, whose tag also says how certain it is
ASSESSMENTS = ("adverse", "favourable", "within_range", "inconclusive")
#: findings about data rather than the result: never the headline tag
COMMON = ("data_quality_high_unknown", "data_quality_low_declaration", "suppressed")


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool] = field(default_factory=list)


@dataclass
class Section:
    """One indicator (or one pay gap comparison) as printed."""

    id: str
    anchor: str
    standard: str
    title: str
    headline: str
    headline_label: str
    tag: tuple[str, str]
    trend: str
    narrative: str
    tables: list[Table]
    data_quality: list[str]
    notes: list[str]
    questions: list[str]
    definition: dict[str, str] = field(default_factory=dict)
    charts: list[Any] = field(default_factory=list)
    withheld: bool = False


def words(code: Any) -> str:
    """A code as words: a pay band "career_grade" → "Career grade", a reason "small_count" → "small
    count"; "8a", "VSM", "Band 5" unchanged (issue 14: no code-style labels; as `parity.web.plain.band_label`)."""
    text = str(code)
    if "_" in text or (text.isalpha() and text.islower()):
        return text.replace("_", " ").capitalize()
    return text


#: workspace tables a result's notes may name, as people know them (`parity.web.plain.TABLE_NAMES`)
TABLE_WORDS = {"survey_responses": "staff survey responses", "survey_results": "staff survey results"}
_TABLE = re.compile(r"`?\b(" + "|".join(TABLE_WORDS) + r")\b`?")


def plain(text: str) -> str:
    """A result's narrative or note with table names in words: "No staff survey responses table has
    been imported" rather than "No `survey_responses` table …" (issue 14)."""
    return _TABLE.sub(lambda m: TABLE_WORDS[m.group(1)], text)


def indicator_code(indicator_id: str) -> str:
    """An indicator's number as the guidance writes it: "wres.2" → "WRES 2", "wdes.4a.i" → "WDES 4a(i)";
    a pay gap has none ("paygap.sex" → ""): its title names it."""
    standard, _, rest = indicator_id.partition(".")
    if standard == "paygap":
        return ""
    number, _, part = rest.partition(".")
    return f"{standard.upper()} {number}{f'({part})' if part else ''}".strip()


def suppressed_paths(ind: dict[str, Any]) -> set[str]:
    return set((ind.get("disclosure") or {}).get("suppressed_fields") or [])


class Fmt:
    """Number formatting for one indicator: None prints the marker when the indicator has withheld
    fields (a withheld value and an undefined one are then told apart only in the methods note —
    deliberately, so that the pattern of markers gives nothing away) and a dash otherwise."""

    def __init__(self, marker: str, withheld: bool):
        self.missing = marker if withheld else DASH

    def count(self, v: Any) -> str:
        return self.missing if v is None else f"{v:,.0f}"

    def pct(self, v: Any, places: int = 1) -> str:
        return self.missing if v is None else f"{v:.{places}f}%"

    def num(self, v: Any, places: int = 2, sign: bool = False) -> str:
        return self.missing if v is None else (f"{v:+.{places}f}" if sign else f"{v:.{places}f}")

    def ci(self, lo: Any, hi: Any, places: int = 2) -> str:
        return self.missing if lo is None or hi is None else f"{lo:.{places}f} to {hi:.{places}f}"


def standard_sections(result: dict[str, Any], trends: dict[str, list[dict]], marker: str) -> list[Section]:
    standard = result["standard"]
    return [indicator_section(ind, standard, trends.get(ind["id"], []), marker) for ind in result["indicators"]]


def indicator_section(ind: dict[str, Any], standard: str, trend: list[dict], marker: str) -> Section:
    indicators(standard)  # load the catalogue
    definition = CATALOGUE.get(ind["id"])
    withheld = bool(suppressed_paths(ind))
    f = Fmt(marker, withheld)
    found = findings(ind, standard)
    main = found[0] if found and found[0] not in COMMON else "undefined"
    if main == "undefined" and withheld:  # say "withheld" rather than "not available" when it is
        main = "suppressed"
    label, colour = TAGS.get(main, (main.replace("_", " ").capitalize(), "grey"))
    if ind.get("kind") == "relative_likelihood" and main in ASSESSMENTS:
        label = with_certainty(label, ind.get("certainty"))  # "Adverse — uncertain: could be chance"
    headline, headline_label = _headline(ind, f)
    return Section(
        id=ind["id"], anchor=ind["id"].replace(".", "-"), standard=standard, title=ind.get("title", ""),
        headline=headline, headline_label=headline_label,
        tag=(label.format(m=MINORITY.get(standard, "minority")), colour), trend=trend_text(trend, ind, f),
        narrative=plain(ind.get("narrative") or ""), tables=_tables(ind, standard, f), data_quality=_quality(ind, f),
        notes=[plain(n) for n in ind.get("notes") or []], questions=questions_for(ind["id"], found),
        definition=_definition(definition), withheld=withheld)


def _headline(ind: dict[str, Any], f: Fmt) -> tuple[str, str]:
    kind, value, direction = ind.get("kind"), ind.get("value"), ind.get("direction") or ""
    if kind == "relative_likelihood":
        return f.num(value), f"Relative likelihood ({direction})"
    if kind in ("percentages", "difference") and ind.get("unit") == "percentage points":
        return (f.missing if value is None else f"{value:+.1f} pts"), f"Difference ({direction})"
    if kind == "distribution":
        return f.pct(value), "Share of all staff"
    if kind == "score":
        return f.num(value, 1, sign=True), f"Score difference ({direction})"
    if kind == "narrative":
        return ("Supplied" if ind.get("narrative") and value is not None else DASH), "Narrative"
    return f.pct(value), ind.get("unit") or ""


def trend_text(points: list[dict], ind: dict[str, Any], f: Fmt) -> str:
    shown = [p for p in points if p.get("value") is not None]
    prev = [p for p in shown if p["year"] < max((p["year"] for p in points), default=0)]
    if not prev or ind.get("value") is None:
        return DASH
    last = prev[-1]
    arrow = "↑" if ind["value"] > last["value"] else "↓" if ind["value"] < last["value"] else "→"
    places = 2 if ind.get("kind") == "relative_likelihood" else 1
    change = ind.get("change") or {}
    chance = "" if "beyond_chance" not in change else (
        " (beyond chance)" if change.get("beyond_chance") else " (within chance)")
    return f"{arrow} from {last['value']:.{places}f} in {last['year']}{chance}"


def _tables(ind: dict[str, Any], standard: str, f: Fmt) -> list[Table]:
    kind, groups = ind.get("kind"), ind.get("groups") or {}
    names = [g for g in GROUPS.get(standard, ()) if g in groups] or list(groups)
    tables = []
    if kind == "distribution":
        header = ["Pay band", "Staff", *[f"{g} (n)" for g in names], *[f"{g} %" for g in names], "Total"]
        rows = [[words(r["band"]), "Clinical" if r.get("clinical") else "Non-clinical",
                 *[f.count(r["groups"].get(g, {}).get("count")) for g in names],
                 *[f.pct(r["groups"].get(g, {}).get("percent")) for g in names], f.count(r.get("total"))]
                for r in ind.get("rows") or []]
        tables.append(Table("Staff by pay band", header, rows, [False, False] + [True] * (2 * len(names) + 1)))
    if groups and kind != "narrative":
        with_pct = any("percent" in g for g in groups.values())
        header = ["Group", "Numerator", "Denominator"] + (["%", "95% CI"] if with_pct else ["Rate"])
        rows = []
        for g in names:
            fig = groups[g]
            cells = [g, f.count(fig.get("numerator")), f.count(fig.get("denominator"))]
            if with_pct:
                cells += [f.num(fig.get("percent"), 1), f.ci(fig.get("ci_low"), fig.get("ci_high"), 1)]
            else:
                num, den = fig.get("numerator"), fig.get("denominator")
                cells.append(f.pct(None if num is None or not den else 100.0 * num / den))
            rows.append(cells)
        tables.append(Table("Counts", header, rows, [False] + [True] * (len(header) - 1)))
    if kind == "relative_likelihood":
        tables.append(Table("Statistics", ["Relative likelihood", "95% CI", "p-value", "Test"], [[
            f.num(ind.get("value")), f.ci(ind.get("ci_low"), ind.get("ci_high")),
            f.missing if ind.get("p_value") is None else p_value(ind["p_value"]),
            (ind.get("test") or DASH).replace("_", " ")]], [True, True, True, False]))
    if ind.get("breakdowns") and kind == "difference":
        g = MINORITY.get(standard, names[0] if names else "")
        rows = [[b["breakdown"].replace("_", " "), f.count(b.get("members")),
                 f.pct((b.get("groups") or {}).get(g, {}).get("percent")),
                 f.pct(((b.get("workforce") or {}).get(g) or {}).get("percent")),
                 f.missing if b.get("value") is None else f"{b['value']:+.1f}"] for b in ind["breakdowns"]]
        tables.append(Table("Board and workforce", ["Board", "Members", f"{g} % of board", f"{g} % of workforce",
                                                    "Difference (pts)"], rows, [False, True, True, True, True]))
    return tables


def _quality(ind: dict[str, Any], f: Fmt) -> list[str]:
    dq = ind.get("data_quality") or {}
    out = []
    if "unknown_percent" in dq:
        out.append(f"Unknown: {f.pct(dq.get('unknown_percent'))} ({f.count(dq.get('unknown_count'))} of "
                   f"{f.count(dq.get('total'))}).")
    if "declaration_rate" in dq:
        out.append(f"Disability declaration rate (ESR): {f.pct(dq.get('declaration_rate'))}.")
    if ind.get("source"):
        out.append(f"Survey source: {ind['source']} ({ind.get('survey_year', '')} survey).")
    return out


def _definition(d) -> dict[str, str]:
    if d is None:
        return {}
    return {"Guidance": d.guidance, "Population": d.population, "Period": d.period,
            "Numerator": d.numerator, "Denominator": d.denominator,
            "Direction": d.direction or DASH, "Statistics": ", ".join(s.replace("_", " ") for s in d.statistics)}
