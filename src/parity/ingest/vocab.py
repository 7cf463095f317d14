"""Accepted spellings of the controlled vocabularies in `parity.contract.codes`.

Keys are normalised with `parity.contract.lookup.normalise_label` (case, spaces and punctuation
ignored). Ethnicity, staff group and pay band spellings live in data files (``contract/data/*.csv``); the short
vocabularies below are here because they are small and stable. Anything else a source uses is added
per file through the mapping's ``values:`` section — we never guess.
"""

from __future__ import annotations

from parity.contract.codes import (
    ASSIGNMENT_CATEGORIES,
    BOARD_ROLES,
    CHARACTERISTICS,
    DISABILITY,
    ETHNIC_CATEGORIES,
    MARITAL_STATUSES,
    MEDICAL_GRADES,
    RELIGIONS,
    SEXES,
    SEXUAL_ORIENTATIONS,
)
from parity.contract.lookup import ethnicity_lookup, normalise_label, pay_band_lookup, staff_group_lookup


def _norm(d: dict[str, str]) -> dict[str, str]:
    return {normalise_label(k): v for k, v in d.items()}


BOOL = _norm({"true": True, "false": False, "yes": True, "no": False, "y": True, "n": False,
              "1": True, "0": False, "t": True, "f": False})

# NHS PERSON STATED GENDER CODE: 1 male, 2 female, 9 indeterminate, X/0 not known
SEX = _norm({**{s: s for s in SEXES}, "f": "female", "woman": "female", "m": "male", "man": "male",
             "1": "male", "2": "female", "9": "other", "x": "unknown", "0": "unknown",
             "indeterminate": "other", "non-binary": "other", "not known": "unknown",
             "not stated": "unknown", "prefer not to say": "unknown", "u": "unknown",
             "unspecified": "unknown"})  # ESR: a gender never recorded

DISABILITY_CODES = _norm({**{d: d for d in DISABILITY}, "y": "yes", "disabled": "yes", "true": "yes",
                          "n": "no", "not disabled": "no", "false": "no", "not declared": "unknown",
                          "prefer not to answer": "unknown", "prefer not to say": "unknown",
                          "not known": "unknown", "not stated": "unknown", "undefined": "unknown",
                          "unspecified": "unknown"})  # ESR

ASSIGNMENT = _norm({**{a: a for a in ASSIGNMENT_CATEGORIES}, "fixed term": "fixed_term",
                    "fixed term temp": "fixed_term", "temporary": "fixed_term",
                    # ESR: non-executive directors and the chair hold board appointments, not jobs
                    "non-exec director/chair": "other"})

BOARD_ROLE = _norm({**{r: r for r in BOARD_ROLES}, "exec": "executive",
                    "executive director": "executive", "non-executive": "non_executive",
                    "non-executive director": "non_executive", "ned": "non_executive"})


def _coded(codes: dict[str, tuple[str, str]], spellings: dict[str, str]) -> dict[str, str]:
    """Codes, their labels and group names (where a group has one code), plus other spellings."""
    out = {c: c for c in codes} | {label: c for c, (label, _) in codes.items()}
    groups: dict[str, list[str]] = {}
    for c, (_, g) in codes.items():
        groups.setdefault(g, []).append(c)
    out |= {g: cs[0] for g, cs in groups.items() if len(cs) == 1}
    return _norm(out | spellings)


_DECLINED = ("prefer not to say", "prefer not to answer", "not declared", "not disclosed", "declined",
             "not stated")
_NOT_KNOWN = ("not known", "unknown", "undefined", "unspecified")

# ESR spellings ("I do not wish to disclose my …") and the 2021 Census categories
SEXUAL_ORIENTATION = _coded(SEXUAL_ORIENTATIONS, {
    "heterosexual": "1", "straight": "1", "heterosexual or straight": "1", "gay": "2", "lesbian": "2",
    "gay man": "2", "gay woman/lesbian": "2", "gay or lesbian": "2", "bi": "3",
    "other": "4", "other sexual orientation": "4", "pansexual": "4", "asexual": "4", "queer": "4",
    "not sure": "U", "don't know": "U", "undecided": "U",
    "i do not wish to disclose my sexual orientation": "Z",
    **dict.fromkeys(_DECLINED, "Z"), **dict.fromkeys(_NOT_KNOWN, "9")})

MARITAL_STATUS = _coded(MARITAL_STATUSES, {
    "single": "S", "never married": "S", "married": "M", "civil partnership": "M", "civil partner": "M",
    "married or in a civil partnership": "M", "divorced": "D", "dissolved civil partnership": "D",
    "civil partnership dissolved": "D", "widowed": "W", "surviving civil partner": "W", "separated": "P",
    "legally separated": "P", "cohabiting": "S", "unmarried": "S", "not applicable": "8",
    **dict.fromkeys(_DECLINED, "N"), **dict.fromkeys(_NOT_KNOWN, "9")})

RELIGION = _coded(RELIGIONS, {
    "no religion": "none", "atheism": "none", "atheist": "none", "none": "none", "agnostic": "none",
    "christianity": "christian", "christian": "christian", "buddhism": "buddhist", "hinduism": "hindu",
    "judaism": "jewish", "islam": "muslim", "sikhism": "sikh", "jainism": "other", "other": "other",
    "any other religion": "other", "other religion": "other",
    "i do not wish to disclose my religion/belief": "not_stated",
    **dict.fromkeys(_DECLINED, "not_stated"), **dict.fromkeys(_NOT_KNOWN, "unknown")})

#: kind → (normalised spelling → code); ethnicity is handled separately (sub-code roll-up)
VOCABULARIES = {
    "sex": SEX,
    "disability": DISABILITY_CODES,
    "assignment_category": ASSIGNMENT,
    "board_role": BOARD_ROLE,
    "sexual_orientation": SEXUAL_ORIENTATION,
    "marital_status": MARITAL_STATUS,
    "religion": RELIGION,
}

#: what a blank cell means for the demographic kinds (everything else: blank = missing)
BLANK_MEANS = {"ethnicity": "99", "sex": "unknown", "disability": "unknown",
               **{kind: blank for kind, (_, blank) in CHARACTERISTICS.items()}}

#: the codes each kind accepts, for messages
ALLOWED = {
    "sex": ", ".join(SEXES),
    "disability": ", ".join(DISABILITY),
    "pay_band": "Band 1–9, 8a–8d, VSM, " + ", ".join(MEDICAL_GRADES),
    "staff_group": "01–10 or a national staff group name",
    "assignment_category": ", ".join(ASSIGNMENT_CATEGORIES),
    "board_role": ", ".join(BOARD_ROLES),
    **{kind: ", ".join(codes) + " or their labels" for kind, (codes, _) in CHARACTERISTICS.items()},
}

_NATIONAL_LETTERS = {c for c in ETHNIC_CATEGORIES if len(c) == 1}


def vocabulary(kind: str) -> dict[str, str]:
    if kind == "staff_group":
        return staff_group_lookup()
    if kind == "pay_band":
        return pay_band_lookup()
    return VOCABULARIES[kind]


def ethnicity_code(value: str, extra: dict[str, str] | None = None) -> str | None:
    """National code for one distinct source value, or None when we do not know it.

    Order: the user's mapping, the lookup table, then the NHS roll-up rule — a local sub-code
    ("C2", "CA", or "C3 White - Any other White background") rolls up to its first letter. A
    sub-code whose label names a *different* category is refused rather than guessed.
    """
    lookup = ethnicity_lookup()
    key = normalise_label(value)
    if extra and key in extra:
        mapped = extra[key]
        return mapped if mapped in ETHNIC_CATEGORIES else lookup.get(normalise_label(mapped))
    if key in lookup:
        return lookup[key]
    text = value.strip()
    head, _, rest = text.partition(" ")
    head = head.rstrip("-:").upper()
    if len(head) in (1, 2) and head[0] in _NATIONAL_LETTERS and (len(head) == 1 or head[1].isalnum()):
        if not rest.strip(" -:"):  # a bare sub-code, written in capitals as ESR does ("C2", "CA")
            return head[0] if len(head) == 2 and text.isupper() else None
        label_code = lookup.get(normalise_label(rest))
        if label_code is None or label_code == head[0]:
            return head[0]
    return None
