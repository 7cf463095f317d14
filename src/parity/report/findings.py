"""What the board should know: every finding across WRES, WDES and pay gaps, ranked (issue 14).

One plain function, `board_findings`, over **protected** results only (the release of
`parity.report.release` and protected `PayGapReport` dicts), so the dashboard's top panel and the
report's opening page rank the same findings the same way, and a withheld figure can never steer
the ranking. An unprotected result is refused (`NotProtected`).

Ranking (docs/web.md, "What the board should know"):

1. **Severity** for the minority group (BME, Disabled, women):
   ``adverse`` — a relative likelihood outside NHS England's non-adverse range 0.80–1.25 on the
   adverse side (the standard's own assessment, or an "inconclusive" one outside the range), or, for a measure without such a range (survey
   percentages, engagement score, senior and board representation, pay gaps), a difference that is
   worse for the minority group; ``within_range`` — a relative likelihood worse for the minority
   group but inside the range; ``not_adverse`` — no difference, or better for the minority group.
2. **Certainty**: ``clear`` (the 95% interval excludes no difference) before ``uncertain``.
3. **Size**: the disparity as a ratio of the two groups' rates (the scale of the relative
   likelihood), at the end of the 95% interval nearest to no difference for a clear finding ("at
   least this large"), the estimate itself for an uncertain one. Larger first. Within a severity and
   certainty, the bias explorer's cells (`parity.report.explorer`) follow the standards' measures.

Trend in words comes from the year-on-year change test already in the results (`change`, docs/
statistics.md section 4: ratio of relative likelihoods, two-proportion z-test), read for every year
available: "worsening in each of the last three years", "improving since last year", "no clear
change over the last four years". The senior share (WRES 1 / WDES 1) uses the same two-proportion
test on its published counts. Measures without a change test say so rather than guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

SEVERITY = ("adverse", "within_range", "not_adverse")
CERTAINTY = ("clear", "uncertain")
#: the board's topics, in the order the dashboard groups its cards
TOPICS = ("recruitment", "discipline", "development", "experience", "representation", "pay")
TOPIC_TITLES = {"recruitment": "Recruitment", "discipline": "Discipline and capability",
                "development": "Training and development", "experience": "Staff experience (survey)",
                "representation": "Representation", "pay": "Pay"}
TOPIC_OF = {"wres.1": "representation", "wres.2": "recruitment", "wres.3": "discipline", "wres.4": "development",
            "wres.5": "experience", "wres.6": "experience", "wres.7": "experience", "wres.8": "experience",
            "wres.9": "representation", "wdes.1": "representation", "wdes.2": "recruitment",
            "wdes.3": "discipline", "wdes.10": "representation"}
SEVERITY_LABELS = {"adverse": "Adverse", "within_range": "Within the non-adverse range", "not_adverse": "Not adverse"}
MINORITY = {"WRES": "BME", "WDES": "Disabled"}
NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
NOT_PROTECTED = ("{what}: not a protected result (no disclosure marking); the board's findings are ranked "
                 "from the protected release only")
NO_TEST = "no test of change across years"
#: the measure has a change test, but this year's is withheld (small numbers) or could not be computed
NO_CHANGE = "change on last year not available"


class NotProtected(ValueError):
    """An unprotected result was passed where only the protected release may be read."""


@dataclass(frozen=True)
class Finding:
    """One finding as the board reads it: a sentence with its interval, a trend and a link."""

    id: str                  # "wres.2", "paygap.sex"
    source: str              # "WRES", "WDES", "Pay gaps"
    title: str
    topic: str               # one of TOPICS
    severity: str            # one of SEVERITY
    certainty: str | None    # "clear", "uncertain" or None (no interval)
    sentence: str            # one sentence, ending with its 95% interval
    trend: str | None        # "worsening in each of the last three years", … or None (nothing to compare)
    size: float              # ln of the disparity ratio used to order within a tier (0 = none)
    link: str                # page path below /o/{org}/: "indicator/wres.2", "paygap/sex", "explore?outcome=…"
    #: a bias explorer cell (`parity.report.explorer`): after the standards' measures of the same tier
    exploratory: bool = False

    @property
    def rank_key(self) -> tuple:
        sev = SEVERITY.index(self.severity)
        sure = CERTAINTY.index(self.certainty) if self.certainty in CERTAINTY else len(CERTAINTY)
        return (sev, sure, self.exploratory, -self.size, self.id)

    @property
    def label(self) -> str:
        """The tag a page shows, worded as everywhere else: "Adverse — uncertain: could be chance"."""
        from parity.stats.certainty import with_certainty

        return with_certainty(SEVERITY_LABELS[self.severity], self.certainty)


def rank(findings: list[Finding]) -> list[Finding]:
    """Severity, then certainty, then size (docstring of this module)."""
    return sorted(findings, key=lambda f: f.rank_key)


def board_findings(releases: dict[str, dict[int, dict[str, Any]]], year: int,
                   paygaps: dict[str, dict[str, Any]] | None = None,
                   scan: dict[str, Any] | None = None) -> list[Finding]:
    """Every finding of `year`, ranked.

    ``releases`` maps "WRES"/"WDES" to {year: protected result dict} of one organisation (all the
    years available, from one release); ``paygaps`` maps "sex"/"ethnicity"/"disability" to a
    protected `PayGapReport` dict of `year`; ``scan`` is the bias explorer's protected scan of `year`
    (`parity.report.explorer`: its significant cells). Withheld or undefined indicators give no finding."""
    out: list[Finding] = []
    for standard, docs in releases.items():
        for y, doc in docs.items():
            _check_standard(doc, f"{standard} {y}")
        current = docs.get(year)
        if current is None:
            continue
        for ind in current.get("indicators") or []:
            # every year from the first, a year without the indicator as None: a change is year on year
            history = [_indicator(docs[y], ind["id"]) if y in docs else None for y in range(min(docs), year + 1)]
            found = indicator_finding(ind, standard, history)
            if found is not None:
                out.append(found)
    for by, pg in (paygaps or {}).items():
        _check_paygap(pg, f"pay gap by {by}")
        found = paygap_finding(by, pg)
        if found is not None:
            out.append(found)
    if scan:
        from parity.report.explorer import explorer_findings

        out += explorer_findings(scan)
    return rank(out)


# --- one indicator ------------------------------------------------------------------------------
def indicator_finding(ind: dict[str, Any], standard: str, history: list[dict[str, Any]] | None = None) -> Finding | None:
    """The finding of one protected indicator dict; ``history`` is the same indicator in every year
    available, oldest first, ending with this one (for the trend). None when there is nothing to say
    (withheld, undefined, or a measure with no comparison such as WDES 8 and 9b)."""
    kind = ind.get("kind")
    history = history or [ind]
    if kind == "relative_likelihood":
        return _relative_likelihood(ind, standard, history)
    if kind == "distribution":
        return _senior(ind, standard, history)
    if kind in ("percentages", "score", "difference"):
        return _difference(ind, standard, history)
    return None


def _definition(ind_id: str):
    from parity.indicators.catalogue import CATALOGUE, indicators

    indicators("WRES"), indicators("WDES")  # load the catalogue
    return CATALOGUE.get(ind_id)


def _relative_likelihood(ind: dict[str, Any], standard: str, history: list[dict[str, Any]]) -> Finding | None:
    value, low, high = ind.get("value"), ind.get("ci_low"), ind.get("ci_high")
    d = _definition(ind["id"])
    if value is None or d is None or not d.group_a or not d.group_b:
        return None
    from parity.indicators.narrative import group_label

    worse = value > 1  # every relative likelihood is arranged so that above 1 is adverse (catalogue)
    # "inconclusive" (too few events) outside the range on the adverse side is still adverse — but never clear
    outside = ind.get("assessment") == "adverse" or (worse and ind.get("within_non_adverse_range") is False)
    severity = "adverse" if outside else "within_range" if worse and value != 1 else "not_adverse"
    sentence = _cap(f"{group_label(d.group_a)} {d.people} were {value:.2f} times as likely as "
                f"{group_label(d.group_b)} {d.people} to {d.outcome}{_interval(low, high, 2)}.")
    size = _size(value, low, high, ind.get("certainty"), worse)
    return Finding(ind["id"], standard, ind.get("title", ""), TOPIC_OF.get(ind["id"], "experience"), severity,
                   ind.get("certainty"), sentence, trend_words(_directions(history, _rl_change)), size,
                   f"indicator/{ind['id']}")


def _difference(ind: dict[str, Any], standard: str, history: list[dict[str, Any]]) -> Finding | None:
    """Survey percentages, the engagement score and board representation: a difference in points."""
    value, low, high, statement = ind.get("value"), ind.get("ci_low"), ind.get("ci_high"), ind.get("statement")
    if value is None or not statement or ind.get("id") == "wdes.8":
        return None
    worse, better = statement.startswith("worse"), statement.startswith("better")
    unit_places = 2 if ind.get("kind") == "score" else 1
    severity = "adverse" if worse else "not_adverse"
    size = _size(*_ratio_of(ind), ind.get("certainty"), worse) if worse or better else 0.0
    title = ind.get("title", "")
    sentence = f"{_cap(statement.split(' (')[0])}{_interval(low, high, unit_places, signed=True)}."
    changes = _directions(history, _pct_change) if ind.get("kind") == "percentages" else None
    return Finding(ind["id"], standard, title, TOPIC_OF.get(ind["id"], "experience"), severity,
                   ind.get("certainty"), sentence, trend_words(changes), size, f"indicator/{ind['id']}")


def _senior(ind: dict[str, Any], standard: str, history: list[dict[str, Any]]) -> Finding | None:
    """WRES 1 / WDES 1 stand on the senior aggregate (bands 8a-9 and VSM) against the rest of the staff."""
    senior = ind.get("senior") or {}
    percent, rest = senior.get("percent"), (senior.get("rest") or {}).get("percent")
    vs_rest = senior.get("difference_vs_rest") or {}
    statement = senior.get("statement")
    if percent is None or rest is None or not statement or vs_rest.get("value") is None:
        return None
    worse = vs_rest["value"] < 0
    group = senior.get("group") or MINORITY.get(standard, "")
    severity = "adverse" if statement.startswith("worse") else "not_adverse"
    size = 0.0
    if rest > 0 and percent > 0:
        near = vs_rest.get("ci_high") if worse else vs_rest.get("ci_low")
        point = math.log(rest / percent) if worse else math.log(percent / rest)
        if senior.get("certainty") == "clear" and near is not None and 0 < rest + near:
            size = abs(math.log(rest / (rest + near)))
        else:
            size = abs(point)
    gap = vs_rest["value"]
    sentence = (f"{group} staff are {percent:.1f}% of staff in bands 8a to 9 and VSM against {rest:.1f}% of "
                f"other staff, {abs(gap):.1f} points {'fewer' if gap < 0 else 'more'}"
                f"{_interval(vs_rest.get('ci_low'), vs_rest.get('ci_high'), 1, signed=True)}.")
    return Finding(ind["id"], standard, "Senior representation", "representation", severity,
                   senior.get("certainty"), sentence, trend_words(_directions(history, _senior_change)), size,
                   f"indicator/{ind['id']}")


def _ratio_of(ind: dict[str, Any]) -> tuple[float | None, float | None, float | None]:
    """A points difference as a ratio of the two groups' rates, for ordering against relative likelihoods:
    the comparison group's percentage against the minority group's, at the estimate and the interval ends."""
    value, low, high = ind.get("value"), ind.get("ci_low"), ind.get("ci_high")
    groups = ind.get("groups") or {}
    d = _definition(ind.get("id", ""))
    base = None
    if d is not None and d.group_b and (groups.get(d.group_b) or {}).get("percent") is not None:
        base = groups[d.group_b]["percent"]
    if ind.get("kind") == "score":
        base = 10.0 if base is None else base  # a 0-10 scale: points of the scale
    if ind.get("kind") == "difference":
        base = (ind.get("breakdowns") or [{}])[0].get("workforce") if ind.get("breakdowns") else None
        base = base if isinstance(base, int | float) else None
    if value is None or not base or base <= 0:
        return None, None, None

    def as_ratio(x: float | None) -> float | None:
        return None if x is None or base + x <= 0 else (base + x) / base
    return as_ratio(value), as_ratio(low), as_ratio(high)


def _size(value: float | None, low: float | None, high: float | None, certainty: str | None, worse: bool) -> float:
    """ln of the disparity: the interval's end nearest no difference when clear, else the estimate."""
    if value is None or value <= 0:
        return 0.0
    near = (low if value >= 1 else high) if certainty == "clear" else None
    x = near if near is not None and near > 0 else value
    return abs(math.log(x))


def _interval(low: float | None, high: float | None, places: int, *, signed: bool = False) -> str:
    if low is None or high is None:
        return ""
    fmt = f"{{:+.{places}f}}" if signed else f"{{:.{places}f}}"
    return f" (95% interval {fmt.format(low)} to {fmt.format(high)})"


# --- trend in words -----------------------------------------------------------------------------
def _directions(history: list[dict[str, Any]], read) -> list[str | None]:
    """For every year after the first, oldest first: "worse", "better", "none" (no change beyond
    chance) or None (no test that year). ``read(this_year, last_year)`` reads one change; a year
    without the indicator is None in ``history`` and has no change."""
    return [None if cur is None else read(cur, prev) for prev, cur in zip(history, history[1:], strict=False)]


def _rl_change(ind: dict[str, Any], _previous: dict[str, Any]) -> str | None:
    change = ind.get("change") or {}
    if change.get("beyond_chance") is None or change.get("ratio") is None:
        return None
    if not change["beyond_chance"]:
        return "none"
    return "worse" if change["ratio"] > 1 else "better"


def _pct_change(ind: dict[str, Any], _previous: dict[str, Any]) -> str | None:
    """The minority group's own percentage this year against last year (the results' change test)."""
    change = ind.get("change") or {}
    d = _definition(ind.get("id", ""))
    if change.get("beyond_chance") is None or change.get("difference") is None or d is None or d.higher_is_worse is None:
        return None
    if not change["beyond_chance"]:
        return "none"
    return "worse" if (change["difference"] > 0) == d.higher_is_worse else "better"


def _senior_change(ind: dict[str, Any], previous: dict[str, Any] | None) -> str | None:
    """The minority share of the senior bands against last year's: the two-proportion change test
    (`parity.stats.change_in_proportion`) on the published senior counts; a withheld count, no test."""
    from parity.stats import change_in_proportion, wilson

    now, before = ind.get("senior") or {}, (previous or {}).get("senior") or {}
    counts = [now.get("count"), now.get("total"), before.get("count"), before.get("total")]
    if any(not isinstance(c, int | float) for c in counts) or not counts[1] or not counts[3]:
        return None
    change = change_in_proportion(wilson(int(counts[0]), int(counts[1])), wilson(int(counts[2]), int(counts[3])))
    if change.beyond_chance is None:
        return None
    if not change.beyond_chance:
        return "none"
    return "better" if change.difference > 0 else "worse"


def trend_words(directions: list[str | None] | None) -> str | None:
    """Year-on-year directions (oldest first, ending at the reporting year) in words.

    >>> trend_words(["none", "worse", "worse", "worse"])
    'worsening in each of the last three years'
    >>> trend_words(["worse", "none", "none"])
    'no clear change over the last two years'
    >>> trend_words(["better"])
    'improving since last year'
    """
    if directions is None:
        return NO_TEST
    if not directions or directions[-1] is None:
        return None if not directions else NO_CHANGE
    last = directions[-1]
    n = 0
    for d in reversed(directions):
        if d != last:
            break
        n += 1
    if last == "none":
        return "no clear change since last year" if n == 1 else f"no clear change over the last {NUMBERS.get(n, n)} years"
    word = "worsening" if last == "worse" else "improving"
    return f"{word} since last year" if n == 1 else f"{word} in each of the last {NUMBERS.get(n, n)} years"


# --- pay gaps -----------------------------------------------------------------------------------
PAY_GROUPS = {"male": "men", "female": "women", "All ethnic minority": "ethnic minority staff"}


def paygap_finding(by: str, pg: dict[str, Any]) -> Finding | None:
    """The first comparison's mean hourly gap with its bootstrap interval (a protected `PayGapReport`)."""
    results = pg.get("results") or []
    first = results[0] if results else {}
    gap = first.get("mean_hourly_gap")
    if not first or first.get("withheld") or not isinstance(gap, int | float):
        return None
    ci = (pg.get("bootstrap_intervals") or {}).get("mean") or {}
    low, high = ci.get("ci_low"), ci.get("ci_high")
    certainty = None if low is None or high is None else "clear" if (low > 0 or high < 0) else "uncertain"
    ref, cmp = _pay_group(first.get("reference_group")), _pay_group(first.get("comparison_group"))
    title = {"sex": "Gender pay gap", "ethnicity": "Ethnicity pay gap", "disability": "Disability pay gap"}.get(by, by)
    more = "more" if gap >= 0 else "less"
    sentence = (f"{_cap(ref)} were paid on average {abs(gap):.1f}% {more} per hour than {cmp}"
                f"{_interval(low, high, 1, signed=True)}.")
    severity = "adverse" if gap > 0 else "not_adverse"

    def pay_ratio(g: float | None) -> float | None:  # reference pay ÷ comparison pay
        return None if g is None or g >= 100 else 1 / (1 - g / 100)
    size = _size(pay_ratio(gap), pay_ratio(low), pay_ratio(high), certainty, gap > 0) if gap else 0.0
    return Finding(f"paygap.{by}", "Pay gaps", title, "pay", severity, certainty, sentence, NO_TEST, size,
                   f"paygap/{by}")


def _pay_group(group: str | None) -> str:
    """"men", "women", "ethnic minority staff", "White staff", "Disabled staff", "non-disabled staff"."""
    from parity.indicators.narrative import group_label

    return PAY_GROUPS.get(group or "", f"{group_label(group or '')} staff")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- protected input only -----------------------------------------------------------------------
def _check_standard(doc: dict[str, Any], what: str) -> None:
    disclosure = doc.get("disclosure") or {}
    if not disclosure.get("protected"):
        raise NotProtected(NOT_PROTECTED.format(what=what))


def _check_paygap(pg: dict[str, Any], what: str) -> None:
    if "disclosure" not in pg or any("disclosure" not in r for r in pg.get("results") or []):
        raise NotProtected(NOT_PROTECTED.format(what=what))


def _indicator(doc: dict[str, Any], ind_id: str) -> dict[str, Any] | None:
    return next((i for i in doc.get("indicators") or [] if i.get("id") == ind_id), None)
