"""The pulse question bank, the answer options and the "about you" attributes (issue 16).

Options and their labels are defined once here, so the respondent form (`parity.web`) and the
results (`parity.pulse.results`) read the same values: a stored answer is the option's value
(``"strongly_agree"``), the page shows its label (``"Strongly agree"``).

Bank items are the NHS Staff Survey questions behind WRES indicators 5–8 and WDES metrics 4–9
(docs/indicators.md; /work/shared/domain wres.md, wdes.md), worded for a yes/no or agreement
pulse so a pulse result reads beside the standard it mirrors. ``staff_survey`` names the column
in Parity's packaged question map (`parity.indicators.survey`, the ``*`` rows), not a national
question number: those change from year to year and are kept as data there.
"""

from __future__ import annotations

from dataclasses import dataclass

from parity.contract.codes import AFC_BANDS, ETHNIC_CATEGORIES, STAFF_GROUPS, WHITE_CODES

QUESTION_TYPES = ("yes_no", "agree5", "text")

PREFER_NOT = "prefer_not_to_say"
PREFER_NOT_LABEL = "Prefer not to say"

#: type → (value, label) in the order shown; the first options are the "positive" ones
OPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "agree5": (("strongly_agree", "Strongly agree"), ("agree", "Agree"),
               ("neither", "Neither agree nor disagree"), ("disagree", "Disagree"),
               ("strongly_disagree", "Strongly disagree")),
    "yes_no": (("yes", "Yes"), ("no", "No")),
}
#: answers counted as ``positive`` in results (issue 16: agree/strongly agree, or yes)
POSITIVE: dict[str, frozenset[str]] = {
    "agree5": frozenset({"strongly_agree", "agree"}),
    "yes_no": frozenset({"yes"}),
}
#: longest free-text answer kept (characters); longer answers are refused, not cut silently
MAX_TEXT = 2000


@dataclass(frozen=True)
class BankItem:
    id: str
    text: str
    type: str
    standards: tuple[str, ...]
    staff_survey: str


BANK: dict[str, BankItem] = {b.id: b for b in (
    BankItem("harassment_public", "In the last 12 months, have you personally experienced harassment, bullying "
             "or abuse at work from patients, service users, their relatives or other members of the public?",
             "yes_no", ("wres.5", "wdes.4a.i"), "q_harassment_public"),
    BankItem("harassment_manager", "In the last 12 months, have you personally experienced harassment, bullying "
             "or abuse at work from managers?", "yes_no", ("wres.6", "wdes.4a.ii"), "q_harassment_manager"),
    BankItem("harassment_colleagues", "In the last 12 months, have you personally experienced harassment, "
             "bullying or abuse at work from other colleagues?", "yes_no", ("wres.6", "wdes.4a.iii"),
             "q_harassment_colleagues"),
    BankItem("reported", "The last time you experienced harassment, bullying or abuse at work, did you or a "
             "colleague report it?", "yes_no", ("wdes.4b",), "q_reported"),
    BankItem("equal_opportunities", "Does your organisation act fairly with regard to career progression or "
             "promotion, regardless of ethnic background, gender, religion, sexual orientation, disability "
             "or age?", "yes_no", ("wres.7", "wdes.5"), "q_equal_opportunities"),
    BankItem("discrimination", "In the last 12 months, have you personally experienced discrimination at work "
             "from a manager, team leader or other colleagues?", "yes_no", ("wres.8",), "q_discrimination"),
    BankItem("pressure_work_unwell", "In the last 3 months, have you felt pressure from your manager to come to "
             "work when you did not feel well enough to perform your duties?", "yes_no", ("wdes.6",),
             "q_pressure_work_unwell"),
    BankItem("valued", "I am satisfied with the extent to which my organisation values my work.", "agree5",
             ("wdes.7",), "q_valued"),
    BankItem("adjustments", "My employer has made reasonable adjustment(s) to enable me to carry out my work.",
             "yes_no", ("wdes.8",), "q_adjustments"),
)}


@dataclass(frozen=True)
class Attribute:
    """An "about you" question: its options (value, label) and how they group in results.

    ``groups`` maps an option value to the reported group (ethnicity is asked in the 2021 Census
    categories and reported as White / BME, as WRES does); ``reference`` is the group others are
    compared with (None: each group is compared with everyone else).
    """

    id: str
    question: str
    options: tuple[tuple[str, str], ...]
    groups: dict[str, str]
    reference: str | None


def _attribute(id_: str, question: str, options, groups=None, reference=None) -> Attribute:
    options = (*tuple(options), (PREFER_NOT, PREFER_NOT_LABEL))
    groups = {v: (groups or {}).get(v, label) for v, label in options}
    return Attribute(id_, question, options, groups, reference)


_ETHNIC = [(code, label) for code, (label, _) in ETHNIC_CATEGORIES.items() if code not in ("Z", "99")]
ABOUT_YOU: dict[str, Attribute] = {a.id: a for a in (
    _attribute("ethnicity", "What is your ethnic background?", _ETHNIC,
               {c: ("White" if c in WHITE_CODES else "BME") for c, _ in _ETHNIC}, "White"),
    _attribute("disability", "Do you have any physical or mental health conditions, disabilities or illnesses "
               "that have lasted or are expected to last for 12 months or more?", (("yes", "Yes"), ("no", "No")),
               {"yes": "Disabled", "no": "Non-disabled"}, "Non-disabled"),
    _attribute("sex", "What is your sex?", (("female", "Female"), ("male", "Male"),
                                             ("other", "I prefer to self-describe"))),
    _attribute("age_band", "What is your age?", tuple((b, b) for b in ("16-20", "21-30", "31-40", "41-50",
                                                                       "51-65", "66+"))),
    _attribute("pay_band", "What is your pay band?", (*((b, f"Band {b}") for b in AFC_BANDS),
                                                      ("VSM", "Very senior manager"),
                                                      ("medical", "Medical and dental grades"),
                                                      ("other", "Other or not on Agenda for Change"))),
    _attribute("staff_group", "Which staff group do you belong to?",
               tuple((code, label) for code, (label, _) in STAFF_GROUPS.items())),
)}


def group_order(attribute: Attribute) -> list[str]:
    """Reported groups of an attribute, in option order, each once."""
    return list(dict.fromkeys(attribute.groups[v] for v, _ in attribute.options))


def label(question_type: str, value: str) -> str:
    return dict(OPTIONS[question_type]).get(value, value)
