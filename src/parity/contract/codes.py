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
