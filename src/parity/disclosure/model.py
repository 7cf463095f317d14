"""Model a WRES / WDES result dict as linked tables (see docs/disclosure-control.md).

Each group's numerator is an atom of "events" and its denominator events + non-events; the
non-events are protected as a hidden quantity (a group where 12 of 14 had training identifies the
2 who did not). A denominator equal in value to the headcount of the band table (indicator 1 /
metric 1) is linked to it, so one count is withheld everywhere or nowhere. Every derived field is
registered with the quantities it uses.
"""

from __future__ import annotations

from typing import Any

from parity.disclosure.model_tables import board, distribution
from parity.disclosure.rules import DisclosureRule
from parity.disclosure.system import Path, System, Vector, minus, path_text, plus

UNKNOWN = "Unknown"
RL_FIELDS = ("value", "ci_low", "ci_high", "p_value", "test", "within_non_adverse_range", "assessment",
             "assessment_reason", "undefined_reason", "certainty")
STAT_FIELDS = ("value", "ci_low", "ci_high")
#: read from the headline's interval and value (issue 13): withheld with it
WORD_FIELDS = ("certainty", "statement")
#: kinds whose groups are shares of one total (numerator = the group's headcount)
COMPOSITION = ("distribution", "difference")


def build(result: dict[str, Any], rule: DisclosureRule, *, start: int = 0, prefix: str = "") -> System:
    """All indicators of one result as one system (so links across indicators are honoured).
    ``start``: the first atom's index and ``prefix`` the start of every quantity's name, so that a
    release (`parity.disclosure.release`) uses the result's vectors and quantities as they are."""
    sys = System(rule=rule, n=start, prefix=prefix)
    indicators = result.get("indicators", [])
    pop: dict[str, tuple[Vector, int]] = {}
    order = sorted(range(len(indicators)), key=lambda i: indicators[i].get("kind") != "distribution")
    for i in order:
        ind, p = indicators[i], ("indicators", i)
        kind = ind.get("kind")
        if kind == "distribution":
            found = distribution(sys, p, ind, minority(result, ind))
            pop = pop or found
            groups = {g: (found[g][0], plus(*(v for v, _ in found.values()))) for g in found}
        elif kind == "difference":
            groups = board(sys, p, ind, minority(result, ind), pop)
        elif kind == "relative_likelihood":
            groups = pairs(sys, p, ind, basis="count", pop=pop)
            deps = _deps(groups, *compared(ind))
            fields(sys, p, ind, RL_FIELDS, deps)
            _text_and_change(sys, p, ind, deps)
            rate_breakdowns(sys, p, ind, groups)
        elif kind == "percentages":
            groups = pairs(sys, p, ind, basis="survey", pop={})
            for g, (num, den) in groups.items():
                fields(sys, p + ("groups", g), ind["groups"][g], ("percent", "ci_low", "ci_high"), [num, den])
            names = compared(ind)
            deps = _deps(groups, *names)
            fields(sys, p, ind, STAT_FIELDS + WORD_FIELDS, deps)
            fields(sys, p + ("difference",), ind.get("difference"), STAT_FIELDS, deps)
            _text_and_change(sys, p, ind, deps, change_deps=_deps(groups, *names[:1]))
        elif kind == "score":
            groups = scores(sys, p, ind)
            deps = _deps(groups, *compared(ind))
            fields(sys, p, ind, STAT_FIELDS + WORD_FIELDS, deps)
            fields(sys, p + ("difference",), ind.get("difference"), STAT_FIELDS, deps)
            _text_and_change(sys, p, ind, [v for pair in groups.values() for v in pair])
        else:  # any other kind: groups as counts, every headline number depends on all of them
            groups = pairs(sys, p, ind, basis="count", pop={})
            deps = [v for pair in groups.values() for v in pair]
            fields(sys, p, ind, ("value", "ci_low", "ci_high", "p_value") + WORD_FIELDS, deps)
            _text_and_change(sys, p, ind, deps)
            rate_breakdowns(sys, p, ind, groups)
        quality(sys, p, ind, groups, pop)
        unknown_fields(sys, p, ind, groups)
    return sys


#: indicator fields that are labels or settings, not figures (everything else is protected)
LABELS = ("id", "standard", "title", "kind", "direction", "unit", "confidence", "period", "period_rule", "notes",
          "survey_year", "source", "disclosure", "groups", "rows", "breakdowns", "difference", "previous", "change",
          "data_quality")


def unknown_fields(sys: System, p: Path, ind: dict[str, Any], groups: dict[str, tuple[Vector, Vector]]) -> None:
    """A field this model does not know (e.g. a new ``certainty``) is treated as derived from the headline,
    so it is withheld with it: new figures are safe by default."""
    deps = sys.headlines.get(p) or [v for pair in groups.values() for v in pair]
    for name, value in ind.items():
        if name not in LABELS and value is not None and p + (name,) not in sys.registered:
            sys.depends(p + (name,), deps, text=isinstance(value, str) and name == "narrative")


def rate_breakdowns(sys: System, p: Path, ind: dict[str, Any], groups: dict[str, tuple[Vector, Vector]]) -> None:
    """Another basis of the same rate (WDES 3 excluding ill health): the same people, a subset or superset
    of the headline's events. Its events are linked to the headline's (``main = part + rest``), its
    denominator to the headline's when equal, and its value, interval and narrative derive from it."""
    for j, part in enumerate(ind.get("breakdowns") or []):
        b = p + ("breakdowns", j)
        mine: dict[str, tuple[Vector, Vector]] = {}
        for g, fig in (part.get("groups") or {}).items():
            num, den = fig.get("numerator"), fig.get("denominator")
            if num is None or den is None:
                continue
            events, rest = sys.atom(), sys.atom()
            n_vec = sys.quantity(b + ("groups", g, "numerator"), events, num, priority=2)
            main = groups.get(g)
            main_fig = ind.get("groups", {}).get(g, {})
            if main is not None and main_fig.get("denominator") == den:
                d_vec = sys.quantity(b + ("groups", g, "denominator"), main[1], den, priority=2)
                if (main_fig.get("numerator") or 0) >= num:  # the headline counts these events and more
                    sys.link(f"{path_text(b)}.groups.{g}.events", main[0], plus(events, sys.atom()))
                else:
                    sys.link(f"{path_text(b)}.groups.{g}.events", events, plus(main[0], sys.atom()))
            else:
                d_vec = sys.quantity(b + ("groups", g, "denominator"), plus(events, rest), den, priority=2)
            if den >= num:
                sys.hidden(f"{path_text(b)}.groups.{g}.not_counted", minus(d_vec, n_vec), den - num)
            for name, value in fig.items():
                if name not in ("numerator", "denominator") and value is not None:
                    sys.depends(b + ("groups", g, name), [n_vec, d_vec])
            mine[g] = (n_vec, d_vec)
        deps = _deps(mine, *compared(ind)) if mine else sys.headlines.get(p, [])
        for name, value in part.items():
            if name not in ("breakdown", "groups") and value is not None:
                sys.depends(b + (name,), deps, text=name == "narrative")


def minority(result: dict[str, Any], ind: dict[str, Any]) -> str:
    names = [g for g in ind.get("groups", {}) if g != UNKNOWN]
    wanted = {"WRES": "BME", "WDES": "Disabled"}.get(result.get("standard", ""))
    return wanted if wanted in ind.get("groups", {}) else (names[-1] if names else UNKNOWN)


def compared(ind: dict[str, Any]) -> tuple[str, ...]:
    """The groups the headline compares: those named in ``direction``, else all but Unknown."""
    names = [g for g in ind.get("groups", {}) if g != UNKNOWN]
    named = sorted((g for g in names if g in ind.get("direction", "")), key=ind.get("direction", "").find)
    return tuple(named) if named else tuple(names)


def pairs(sys: System, p: Path, ind: dict[str, Any], *, basis: str,
          pop: dict[str, tuple[Vector, int]]) -> dict[str, tuple[Vector, Vector]]:
    """Numerator = events, denominator = events + non-events, per group."""
    out = {}
    for g, fig in ind.get("groups", {}).items():
        num, den = fig.get("numerator"), fig.get("denominator")
        if den is None:
            continue
        if num is None:  # events not countable (a table is missing): the headcount alone, still a count
            d_vec = sys.quantity(p + ("groups", g, "denominator"), sys.atom(), den, basis=basis, priority=2)
            _link_headcount(sys, p, g, d_vec, den, basis=basis, pop=pop)
            continue
        events, rest = sys.atom(), sys.atom()
        small = basis == "survey" and sys.rule.is_small_survey(den)
        n_vec = sys.quantity(p + ("groups", g, "numerator"), events, num, priority=2,
                             primary=True if small else None)
        if num > den:  # more events than people (cases of people with no workforce record): not a subset
            d_vec = sys.quantity(p + ("groups", g, "denominator"), rest, den, basis=basis, priority=2)
        else:
            d_vec = sys.quantity(p + ("groups", g, "denominator"), plus(events, rest), den, basis=basis,
                                 priority=2)
            sys.hidden(f"{p[0]}[{p[1]}].groups.{g}.not_counted", rest, den - num)
        _link_headcount(sys, p, g, d_vec, den, basis=basis, pop=pop)
        out[g] = (n_vec, d_vec)
    return out


def _link_headcount(sys: System, p: Path, g: str, d_vec: Vector, den: int, *, basis: str,
                    pop: dict[str, tuple[Vector, int]]) -> None:
    """A denominator equal to the group's headcount counts the same people."""
    if g in pop and pop[g][1] == den and basis == "count":
        sys.link(f"{p[0]}[{p[1]}].groups.{g}.denominator=headcount", d_vec, pop[g][0])


def scores(sys: System, p: Path, ind: dict[str, Any]) -> dict[str, tuple[Vector, Vector]]:
    """Engagement scores: a group's mean is shown only with its respondents (survey minimum)."""
    out = {}
    for g, fig in ind.get("groups", {}).items():
        if fig.get("denominator") is None:
            continue
        den = sys.quantity(p + ("groups", g, "denominator"), sys.atom(), fig["denominator"], basis="survey",
                           priority=2)
        fields(sys, p + ("groups", g), fig, ("percent", "ci_low", "ci_high"), [den])
        out[g] = (den, den)
    return out


def fields(sys: System, p: Path, doc: dict[str, Any] | None, names: tuple[str, ...], deps: list[Vector]) -> None:
    for name in names:
        if isinstance(doc, dict) and doc.get(name) is not None:
            sys.depends(p + (name,), deps)


def quality(sys: System, p: Path, ind: dict[str, Any], groups: dict[str, tuple[Vector, Vector]],
            pop: dict[str, tuple[Vector, int]]) -> None:
    """``data_quality``: unknown count and total repeat the group figures; shares derive from them.

    A group's size is its denominator, except in the composition tables (band table, board
    workforce: `parity.indicators.build.unknown_quality`) where it is the numerator, the group's
    headcount. The count is linked to that size, so it is withheld with it (issue 10 leak 5)."""
    dq, q = ind.get("data_quality") or {}, p + ("data_quality",)
    figs = ind.get("groups", {})
    if ind.get("kind") == "difference" and ind.get("breakdowns"):
        figs = ind["breakdowns"][0].get("workforce", {})
    side = 0 if ind.get("kind") in COMPOSITION else 1
    dens = {g: (groups[g][side], figs[g].get(("numerator", "denominator")[side])) for g in groups if g in figs}
    total = _matching(sys, q + ("total",), dq, [v for v, _ in dens.values()], sum(n or 0 for _, n in dens.values()))
    unknown = _matching(sys, q + ("unknown_count",), dq, [dens[UNKNOWN][0]] if UNKNOWN in dens else [],
                        dens[UNKNOWN][1] if UNKNOWN in dens else None)
    fields(sys, q, dq, ("unknown_percent",), [v for v in (total, unknown) if v is not None] or [sys.atom()])
    if dq.get("respondents") is not None:  # engagement score: all respondents, and their mean score
        resp = _matching(sys, q + ("respondents",), dq, [v for v, _ in dens.values()],
                         sum(n or 0 for _, n in dens.values()), basis="survey")
        fields(sys, q, dq, ("overall_score",), [resp] + [v for v, _ in dens.values()])
    if dq.get("workforce_headcount") is not None:  # WDES: declaration rate and % Disabled
        whole = [v for v, _ in pop.values()]
        head = _matching(sys, q + ("workforce_headcount",), dq, whole, sum(n for _, n in pop.values()))
        linked = head is not None and dq["workforce_headcount"] == sum(n for _, n in pop.values()) and pop
        unk = pop[UNKNOWN][0] if linked and UNKNOWN in pop else sys.atom()
        dis = pop["Disabled"][0] if linked and "Disabled" in pop else sys.atom()
        fields(sys, q, dq, ("declaration_rate",), [head, unk])
        fields(sys, q, dq, ("disabled_percent",), [head, dis])


def _matching(sys: System, path: Path, dq: dict[str, Any], parts: list[Vector], expected: Any,
              basis: str = "count") -> Vector | None:
    """Register a data-quality count: linked to ``parts`` when its value is their sum, else its own atom."""
    value = dq.get(path[-1])
    if value is None:
        return None
    vector = plus(*parts) if parts and value == expected else sys.atom()
    return sys.quantity(path, vector, value, basis=basis, priority=0)


def _deps(groups: dict[str, tuple[Vector, Vector]], *names: str) -> list[Vector]:
    return [v for g in names if g in groups for v in groups[g]] or [v for pair in groups.values() for v in pair]


def _text_and_change(sys: System, p: Path, ind: dict[str, Any], deps: list[Vector],
                     change_deps: list[Vector] | None = None) -> None:
    """Narrative, last year's value and the change test go with the current headline; a release of
    several years (`parity.disclosure.release`) adds last year's own quantities to them."""
    sys.headlines[p] = deps
    sys.depends(p + ("narrative",), deps, text=True)
    for name, value in (ind.get("change") or {}).items():
        if name not in ("test", "method", "group") and value is not None:
            sys.depends(p + ("change", name), change_deps or deps)
    for name, value in (ind.get("previous") or {}).items():
        if name == "value" and value is not None:
            sys.depends(p + ("previous", name), deps)
