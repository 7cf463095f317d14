"""Plain-English sentences for results, written for a board paper rather than a statistician."""

from __future__ import annotations


def n(x: int | None) -> str:
    return "no" if x is None else f"{x:,}"


def pct(x: float | None, dp: int = 1) -> str:
    return "—" if x is None else f"{x:.{dp}f}%"


def ratio(x: float | None) -> str:
    return "undefined" if x is None else f"{x:.2f}"


def group_label(group: str) -> str:
    """A group's name inside a sentence: "non-disabled", but "BME", "White", "Disabled" as written."""
    return group.lower() if group == "Non-disabled" else group


def relative_likelihood(*, people_a: str, people_b: str, outcome: str, value: float | None,
                        ci: tuple[float | None, float | None], confidence: float,
                        counts: tuple[int, int, int, int], assessment: str | None,
                        within: bool | None, undefined_reason: str | None,
                        previous: float | None, change_beyond_chance: bool | None,
                        disadvantaged: str, period_note: str = "") -> str:
    a, na, b, nb = counts
    tally = f"{n(a)} of {n(na)} {people_a} vs {n(b)} of {n(nb)} {people_b}"
    if value is None:
        return (f"The relative likelihood of {people_a} compared with {people_b} to {outcome} cannot be "
                f"calculated: {undefined_reason or 'too few events'} ({tally}){period_note}.")
    level = round(confidence * 100)
    sentence = (f"{people_a[0].upper()}{people_a[1:]} were {ratio(value)} times as likely as {people_b} to "
                f"{outcome} ({level}% CI {ratio(ci[0])} to {ratio(ci[1])}; {tally}){period_note}.")
    if assessment == "inconclusive":
        sentence += " The numbers are too small, or the interval too wide, to say whether this is outside the non-adverse range (0.80 to 1.25)."
    elif within:
        sentence += " This is within the non-adverse range (0.80 to 1.25)."
    elif assessment == "adverse":
        sentence += f" This is outside the non-adverse range (0.80 to 1.25), to the disadvantage of {disadvantaged}."
    else:
        sentence += f" This is outside the non-adverse range (0.80 to 1.25), in favour of {disadvantaged}."
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
                survey_year: int | None, higher_is_worse: bool | None) -> str:
    a, na, b, nb = counts
    if pa is None or pb is None:
        return f"{title}: too few responses from {group_a} or {group_b} staff to compare."
    when = f" in the {survey_year} staff survey" if survey_year else ""
    sentence = (f"{pct(pa)} of {group_label(group_a)} respondents ({n(a)} of {n(na)}) and {pct(pb)} of {group_label(group_b)} "
                f"respondents ({n(b)} of {n(nb)}) reported this{when}")
    if diff is not None and ci[0] is not None:
        beyond = ci[0] > 0 or ci[1] < 0
        gap = f"a difference of {diff:+.1f} percentage points (95% CI {ci[0]:+.1f} to {ci[1]:+.1f})"
        if beyond and higher_is_worse is not None:
            worse = group_label(group_a if (diff > 0) == higher_is_worse else group_b)
            sentence += f": {gap}, beyond chance and worse for {worse} staff."
        else:
            sentence += f": {gap}, " + ("beyond chance." if beyond else "within what chance alone could explain.")
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


def distribution(*, group: str, overall_pct: float | None, senior_pct: float | None, senior_label: str) -> str:
    if overall_pct is None:
        return "No staff in post are recorded at 31 March for this year."
    sentence = f"{group} staff make up {pct(overall_pct)} of the workforce"
    if senior_pct is not None:
        sentence += f" and {pct(senior_pct)} of staff in {senior_label}"
    return sentence + "."
