"""Plain-English sentences for results, written for a board paper rather than a statistician."""

from __future__ import annotations


def n(x: int | None) -> str:
    return "no" if x is None else f"{x:,}"


def pct(x: float | None, dp: int = 1) -> str:
    return "—" if x is None else f"{x:.{dp}f}%"


def ratio(x: float | None) -> str:
    return "undefined" if x is None else f"{x:.2f}"


def p_value(p: float | None) -> str:
    """A p-value as printed everywhere: "< 0.001" below 0.001 (never "0.000"), else 3 decimals."""
    if p is None:
        return "—"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def p_clause(p: float | None) -> str:
    """"p < 0.001" / "p = 0.160" inside a sentence; empty without a p-value."""
    if p is None:
        return ""
    text = p_value(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def direction_words(diff: float | None, *, group: str, higher_is_worse: bool | None, unit: str = "points",
                    places: int = 1) -> str | None:
    """A difference (group − comparison) as words from the indicator's direction: "worse for BME
    staff by 0.9 points" / "better for ...". A higher harassment percentage is worse, a higher
    career-progression percentage better, so the same +0.9 reads oppositely for WRES 5 and 7."""
    if diff is None or higher_is_worse is None:
        return None
    size = f"{abs(diff):.{places}f}"
    who = f"{group_label(group)} staff"
    if float(size) == 0:
        return f"the same for {who} (a difference of {size} {unit})"
    worse = (diff > 0) == higher_is_worse
    return f"{'worse' if worse else 'better'} for {who} by {size} {unit}"


def chance_words(certainty: str | None) -> str:
    return {"clear": "beyond chance", "uncertain": "within what chance alone could explain"}.get(certainty or "", "")


def group_label(group: str) -> str:
    """A group's name inside a sentence: "non-disabled", but "BME", "White", "Disabled" as written."""
    return group.lower() if group == "Non-disabled" else group


def relative_likelihood(*, people_a: str, people_b: str, outcome: str, value: float | None,
                        ci: tuple[float | None, float | None], confidence: float,
                        counts: tuple[int, int, int, int], assessment: str | None,
                        within: bool | None, undefined_reason: str | None,
                        previous: float | None, change_beyond_chance: bool | None,
                        disadvantaged: str, period_note: str = "", p: float | None = None,
                        certainty: str | None = None) -> str:
    a, na, b, nb = counts
    tally = f"{n(a)} of {n(na)} {people_a} vs {n(b)} of {n(nb)} {people_b}"
    if value is None:
        return (f"The relative likelihood of {people_a} compared with {people_b} to {outcome} cannot be "
                f"calculated: {undefined_reason or 'too few events'} ({tally}){period_note}.")
    level = round(confidence * 100)
    sentence = (f"{people_a[0].upper()}{people_a[1:]} were {ratio(value)} times as likely as {people_b} to "
                f"{outcome} ({level}% CI {ratio(ci[0])} to {ratio(ci[1])}"
                + (f", {p_clause(p)}" if p is not None else "") + f"; {tally}){period_note}.")
    if assessment == "inconclusive":
        sentence += " The numbers are too small, or the interval too wide, to say whether this is outside the non-adverse range (0.80 to 1.25)."
    elif within:
        sentence += " This is within the non-adverse range (0.80 to 1.25)."
    elif assessment == "adverse":
        sentence += f" This is outside the non-adverse range (0.80 to 1.25), to the disadvantage of {disadvantaged}."
    else:
        sentence += f" This is outside the non-adverse range (0.80 to 1.25), in favour of {disadvantaged}."
    if certainty == "clear":
        sentence += " The interval excludes 1 (equal likelihood): the difference is beyond chance."
    elif certainty == "uncertain":
        sentence += " The interval includes 1 (equal likelihood): the difference could be chance."
    if previous is not None:
        direction = "higher than" if value > previous else "lower than" if value < previous else "the same as"
        sentence += f" It is {direction} last year ({ratio(previous)})"
        if change_beyond_chance is None:
            sentence += "."
        else:
            sentence += ", a change beyond chance." if change_beyond_chance else ", a change within what chance alone could explain."
    return sentence



def percentages(*, title: str, group_a: str, group_b: str, pa: float | None, pb: float | None,
                counts: tuple[int, int, int, int], diff: float | None, ci: tuple[float | None, float | None],
                survey_year: int | None, higher_is_worse: bool | None, certainty: str | None = None) -> str:
    a, na, b, nb = counts
    if pa is None or pb is None:
        return f"{title}: too few responses from {group_a} or {group_b} staff to compare."
    when = f" in the {survey_year} staff survey" if survey_year else ""
    sentence = (f"{pct(pa)} of {group_label(group_a)} respondents ({n(a)} of {n(na)}) and {pct(pb)} of {group_label(group_b)} "
                f"respondents ({n(b)} of {n(nb)}) reported this{when}")
    if diff is not None and ci[0] is not None:
        gap = f"a difference of {diff:+.1f} percentage points (95% CI {ci[0]:+.1f} to {ci[1]:+.1f})"
        words = direction_words(diff, group=group_a, higher_is_worse=higher_is_worse)
        chance = chance_words(certainty) or ("beyond chance" if ci[0] > 0 or ci[1] < 0
                                             else "within what chance alone could explain")
        if words:
            gap = (f"{group_label(group_a)} − {group_label(group_b)} {diff:+.1f} percentage points, "
                   f"95% CI {ci[0]:+.1f} to {ci[1]:+.1f}")
            sentence += f": {words} ({gap}), {chance}."
        else:
            sentence += f": {gap}, {chance}."
    else:
        sentence += "."
    return sentence


def board_difference(*, group: str, board_pct: float | None, workforce_pct: float | None,
                     diff: float | None, members: int, which: str) -> str:
    if board_pct is None or workforce_pct is None or members == 0:
        return f"No {which} board members are recorded, so board representation cannot be compared."
    direction = "under-represented" if diff < 0 else "over-represented" if diff > 0 else "represented in proportion"
    return (f"{group} people make up {pct(board_pct)} of the {which} board ({members:,} members) and "
            f"{pct(workforce_pct)} of the workforce: a difference of {diff:+.1f} percentage points "
            f"({group} people are {direction} on the board).")


def distribution(*, group: str, overall_pct: float | None, senior_pct: float | None, senior_label: str,
                 senior: dict | None = None) -> str:
    """WRES 1 / WDES 1 in one sentence: the minority share overall and in the senior bands, and —
    from the senior aggregate, when given — whether the gap is beyond chance (issue 13: never
    "similar" when the senior share differs beyond chance)."""
    if overall_pct is None:
        return "No staff in post are recorded at 31 March for this year."
    sentence = f"{group} staff make up {pct(overall_pct)} of the workforce"
    if senior_pct is None:
        return sentence + "."
    sentence += f" and {pct(senior_pct)} of staff in {senior_label}"
    s = senior or {}
    if s.get("ci_low") is None or s.get("difference") is None:
        return sentence + "."
    sentence += (f" (95% CI {pct(s['ci_low'])} to {pct(s['ci_high'])}; {n(s['count'])} of {n(s['total'])})")
    words = s.get("statement")
    chance = chance_words(s.get("certainty"))
    test = p_clause(s.get("p_value"))
    sentence += f": {words}, {chance}" if words else ""
    return sentence + (f" ({test})." if test and words else ".")
