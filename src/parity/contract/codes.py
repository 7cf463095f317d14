"""Controlled vocabularies of the data contract (NHS Data Dictionary codes and our own).

Classification is data, not ``if`` chains: label spellings that map onto these codes live in
``data/ethnicity_lookup.csv`` (users can extend it through a mapping file).
"""

from __future__ import annotations

#: NHS ETHNIC CATEGORY national codes → (label, broad group). Broad groups follow the 2021 Census
#: five-way grouping; WRES groups are derived from the code (see `wres_group`).
ETHNIC_CATEGORIES: dict[str, tuple[str, str]] = {
    "A": ("White - British", "White"),
    "B": ("White - Irish", "White"),
    "C": ("White - Any other White background", "White"),
    "D": ("Mixed - White and Black Caribbean", "Mixed"),
    "E": ("Mixed - White and Black African", "Mixed"),
    "F": ("Mixed - White and Asian", "Mixed"),
    "G": ("Mixed - Any other mixed background", "Mixed"),
    "H": ("Asian or Asian British - Indian", "Asian"),
    "J": ("Asian or Asian British - Pakistani", "Asian"),
    "K": ("Asian or Asian British - Bangladeshi", "Asian"),
    "L": ("Asian or Asian British - Any other Asian background", "Asian"),
    "M": ("Black or Black British - Caribbean", "Black"),
    "N": ("Black or Black British - African", "Black"),
    "P": ("Black or Black British - Any other Black background", "Black"),
    "R": ("Other Ethnic Groups - Chinese", "Other"),
    "S": ("Other Ethnic Groups - Any other ethnic group", "Other"),
    "Z": ("Not stated", "Unknown"),
    "99": ("Not known", "Unknown"),
}
WHITE_CODES = ("A", "B", "C")
BME_CODES = tuple("DEFGHJKLMNPRS")
UNKNOWN_CODES = ("Z", "99")
#: the code stored for a blank ethnicity cell
NOT_KNOWN = "99"


def wres_group(code: str | None) -> str:
    """White (A–C), BME (D–S) or Unknown (Z, 99, blank, anything else) — WRES technical guidance."""
    if code in WHITE_CODES:
        return "White"
    if code in BME_CODES:
        return "BME"
    return "Unknown"


SEXES = ("female", "male", "other", "unknown")
DISABILITY = ("yes", "no", "unknown")

AFC_BANDS = ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9")
MEDICAL_GRADES = ("consultant", "career_grade", "trainee", "medical_other")
PAY_BANDS = AFC_BANDS + ("VSM",) + MEDICAL_GRADES
#: ordering used for progression (moving up at least one band) and for display
BAND_ORDER = {b: i for i, b in enumerate(AFC_BANDS + ("VSM",))}

#: national staff group code → (label, clinical by default). Students (02) are clinical; 10
#: (supplementary roles) non-clinical by default — a local choice users can override by
#: supplying the ``clinical`` column.
STAFF_GROUPS: dict[str, tuple[str, bool]] = {
    "01": ("Medical and Dental", True),
    "02": ("Students", True),
    "03": ("Nursing and Midwifery Registered", True),
    "04": ("Allied Health Professionals", True),
    "05": ("Additional Professional Scientific and Technical", True),
    "06": ("Healthcare Scientists", True),
    "07": ("Additional Clinical Services", True),
    "08": ("Administrative and Clerical", False),
    "09": ("Estates and Ancillary", False),
    "10": ("Supplementary Roles", False),
}
MEDICAL_STAFF_GROUP = "01"

ASSIGNMENT_CATEGORIES = ("permanent", "fixed_term", "bank", "locum", "other")
BOARD_ROLES = ("executive", "non_executive")

# --- Protected characteristics beyond the standards (issue 17) -------------------------------------
# Each maps a stored code → (label, group). Group "Unknown" (asked and not stated, or not known) is
# counted and shown but never a comparison group, exactly as ethnicity's Z / 99 are.

#: NHS Data Dictionary SEXUAL ORIENTATION CODE (2015)
SEXUAL_ORIENTATIONS: dict[str, tuple[str, str]] = {
    "1": ("Heterosexual or Straight", "Heterosexual"),
    "2": ("Gay or Lesbian", "Gay or Lesbian"),
    "3": ("Bisexual", "Bisexual"),
    "4": ("Other sexual orientation not listed", "Other"),
    "U": ("Person asked and does not know or is not sure", "Unknown"),
    "Z": ("Not stated (person asked but declined to provide a response)", "Unknown"),
    "9": ("Not known (not recorded)", "Unknown"),
}

#: NHS Data Dictionary PERSON MARITAL STATUS (civil partnership counted with marriage, as the
#: Data Dictionary's labels do)
MARITAL_STATUSES: dict[str, tuple[str, str]] = {
    "S": ("Single", "Single"),
    "M": ("Married/Civil Partner", "Married or civil partner"),
    "D": ("Divorced/Person whose Civil Partnership has been dissolved", "Divorced or dissolved"),
    "W": ("Widowed/Surviving Civil Partner", "Widowed"),
    "P": ("Separated", "Separated"),
    "N": ("Not disclosed", "Unknown"),
    "8": ("Not applicable", "Unknown"),
    "9": ("Not known", "Unknown"),
}

#: Religion or belief. The Data Dictionary's RELIGIOUS OR OTHER BELIEF SYSTEM AFFILIATION CODE is a
#: SNOMED CT code list far finer than any HR extract; we store the 2021 Census / ESR categories as
#: short codes (docs/data-contract.md lists the spellings accepted).
RELIGIONS: dict[str, tuple[str, str]] = {
    "none": ("No religion (including atheism)", "No religion"),
    "christian": ("Christianity", "Christian"),
    "buddhist": ("Buddhism", "Buddhist"),
    "hindu": ("Hinduism", "Hindu"),
    "jewish": ("Judaism", "Jewish"),
    "muslim": ("Islam", "Muslim"),
    "sikh": ("Sikhism", "Sikh"),
    "other": ("Any other religion or belief (including Jainism)", "Other"),
    "not_stated": ("Not stated (prefer not to say)", "Unknown"),
    "unknown": ("Not known", "Unknown"),
}

#: kind → (codes, the code stored for a blank cell)
CHARACTERISTICS: dict[str, tuple[dict[str, tuple[str, str]], str]] = {
    "sexual_orientation": (SEXUAL_ORIENTATIONS, "9"),
    "marital_status": (MARITAL_STATUSES, "9"),
    "religion": (RELIGIONS, "unknown"),
}

#: the organisation hierarchy: ESR "Org L3" … "Org L7" and the site (optional columns, issue 17)
ORG_LEVELS = ("org_l3", "org_l4", "org_l5", "org_l6", "org_l7")
UNIT_COLUMNS = (*ORG_LEVELS, "site")
#: level names when the workspace has no organisation.yaml (docs/data-contract.md)
DEFAULT_LEVEL_NAMES = {"org_l3": "division", "org_l4": "directorate", "org_l5": "department",
                       "org_l6": "team", "org_l7": "sub_team", "site": "site"}

#: age bands derived from a date of birth: ESR's bands (an age below the first edge is the first band)
AGE_BAND_EDGES = (21, 26, 31, 36, 41, 46, 51, 56, 61, 66, 71)
AGE_BANDS = ("<=20 Years", "21-25", "26-30", "31-35", "36-40", "41-45", "46-50", "51-55", "56-60",
             "61-65", "66-70", ">=71 Years")
