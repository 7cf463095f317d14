"""Defaults, base rates and the injectable biases of the synthetic trust generator.

Everything a reader might want to tune is data here, not scattered through the generators.
Shares are approximations of a large English acute trust (NHS Digital workforce statistics,
WRES/WDES national reports); they aim at plausibility, not at any one real organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from parity.contract.codes import AFC_BANDS, MEDICAL_GRADES

DEFAULT_STAFF = 7000
DEFAULT_YEARS = 5
DEFAULT_SEED = 20250331
DEFAULT_LAST_YEAR = 2025
FORMATS = ("csv", "xlsx", "parquet")

#: pay bands in generator order: index 0..11 AfC, 12 VSM, 13..16 medical grade groups
BANDS: tuple[str, ...] = AFC_BANDS + ("VSM",) + MEDICAL_GRADES
VSM = 12
FIRST_MEDICAL = 13
TOP_AFC = 11  # band 9: nobody is promoted out of it

STAFF_GROUP_SHARES = {"01": .12, "02": .01, "03": .30, "04": .08, "05": .03, "06": .02,
                      "07": .14, "08": .25, "09": .05}

#: band shares within each staff group (keys are `BANDS` entries)
BAND_SHARES: dict[str, dict[str, float]] = {
    "01": {"consultant": .40, "career_grade": .12, "trainee": .45, "medical_other": .03},
    "02": {"3": .5, "4": .5},
    "03": {"4": .02, "5": .40, "6": .32, "7": .17, "8a": .06, "8b": .02, "8c": .007, "8d": .003},
    "04": {"4": .03, "5": .18, "6": .40, "7": .27, "8a": .09, "8b": .02, "8c": .01},
    "05": {"4": .10, "5": .15, "6": .20, "7": .29, "8a": .15, "8b": .07, "8c": .03, "8d": .01},
    "06": {"3": .10, "4": .15, "5": .15, "6": .20, "7": .25, "8a": .10, "8b": .04, "8c": .01},
    "07": {"2": .35, "3": .45, "4": .20},
    "08": {"2": .12, "3": .29, "4": .25, "5": .12, "6": .07, "7": .06, "8a": .04, "8b": .02,
           "8c": .01, "8d": .006, "9": .002, "VSM": .002},
    "09": {"1": .10, "2": .50, "3": .20, "4": .10, "5": .05, "6": .03, "7": .015, "8a": .005},
}

#: P(BME | known ethnicity) by staff group, scaled down in senior bands (fewer BME at 8a+)
BME_SHARE = {"01": .48, "02": .30, "03": .40, "04": .20, "05": .30, "06": .22, "07": .27,
             "08": .15, "09": .20}
SENIOR_BME_FACTOR = {"8a": .75, "8b": .6, "8c": .5, "8d": .45, "9": .4, "VSM": .35}
WHITE_CODE_SHARES = {"A": .80, "B": .03, "C": .17}
BME_CODE_SHARES = {"D": .03, "E": .02, "F": .03, "G": .04, "H": .18, "J": .08, "K": .03,
                   "L": .12, "M": .06, "N": .20, "P": .03, "R": .03, "S": .15}
UNKNOWN_ETHNICITY = .08
#: how unknown ethnicity is recorded: Z (asked, declined), 99 (not known), blank
UNKNOWN_CODE_SHARES = {"Z": .45, "99": .25, "": .30}

FEMALE_SHARE = {"01": .48, "02": .85, "03": .89, "04": .82, "05": .70, "06": .60, "07": .80,
                "08": .80, "09": .45}
DISABLED = .045
DISABILITY_UNKNOWN = .08

#: doctors' ESR grades within each grade group, with shares
MEDICAL_GRADE_LABELS = {
    "consultant": {"Consultant": 1.0},
    "career_grade": {"Specialty Doctor": .7, "Associate Specialist": .3},
    "trainee": {"Specialty Registrar": .6, "Foundation Year 1": .15, "Core Training": .25},
    "medical_other": {"Clinical Fellow": 1.0},
}

SECOND_ASSIGNMENT = .03  # share of staff with a second (bank) assignment
LEAVE_RATE = {"permanent": .085, "fixed_term": .22, "bank": .15, "locum": .35, "other": .1}
PROMOTION = .05  # per person-year, AfC bands below 9
JOINER_DEMOTION = .5  # joiners start a band lower with this probability (keeps band mix stable)

APPLICATIONS_PER_7000 = 15000  # per year
APPLICATIONS_PER_VACANCY = 12
INTERNAL_APPLICANTS = .2
APPLICANT_ETHNICITY = {"White": .50, "BME": .42, "Unknown": .08}
APPLICANT_DISABLED = .07
APPLICANT_DISABILITY_UNKNOWN = .05
APPLICANT_FEMALE = .72
SHORTLIST = .30
INTERVIEW = .93  # of shortlisted
APPOINT = .25  # P(appointed | shortlisted) for White, non-disabled applicants
DECLINE = .08  # of offers

DISCIPLINARY_FORMAL = .01
DISCIPLINARY_INFORMAL = .007
CAPABILITY_FORMAL = .005
CAPABILITY_INFORMAL = .004
CAPABILITY_ILL_HEALTH = .3  # share of formal capability cases on ill-health grounds
NON_MANDATORY = .5  # P(at least one non-mandatory course in a year) for White staff
EXTRA_COURSES = .5  # Poisson mean of further non-mandatory courses for those who attend
MANDATORY_COURSES = 1.0  # Poisson mean of mandatory course records per person-year

SURVEY_RESPONSE = .45
SURVEY_DISABLED_EXTRA = .19  # non-disabled-in-ESR respondents who declare a disability
PAY_YEARS = 3
CEA_SHARE = .35  # consultants with a Clinical Excellence Award in the 12 months
REDUCED_PAY = {"young_women": .06, "others": .015}


@dataclass(frozen=True)
class Bias:
    name: str
    neutral: float
    meaning: str


BIASES: dict[str, Bias] = {b.name: b for b in (
    Bias("appointment", 1.0, "White applicants R times as likely as BME applicants to be appointed "
         "from shortlisting (BME probability = base / R)"),
    Bias("disciplinary", 1.0, "BME staff R times as likely as White staff to enter the formal "
         "disciplinary process (BME probability = base × R)"),
    Bias("training", 1.0, "White staff R times as likely as BME staff to access non-mandatory "
         "training (BME probability = base / R)"),
    Bias("progression", 1.0, "White staff R times as likely as BME staff to be promoted a band in a "
         "year (BME probability = base / R)"),
    Bias("promotion_hazard", 1.0, "BME staff promoted at R times the hazard of White staff: a yearly "
         "BME probability of 1 − (1 − p)^R where p is White staff's, so that time in band has "
         "proportional hazards with hazard ratio R (combined with `progression`, p = base / R_progression)"),
    Bias("capability", 1.0, "Disabled staff R times as likely as non-disabled staff to enter the "
         "formal capability process (Disabled probability = base × R)"),
    Bias("appointment_disability", 1.0, "Non-disabled applicants R times as likely as Disabled "
         "applicants to be appointed from shortlisting (Disabled probability = base / R)"),
    Bias("pay_gap_sex", 0.0, "Women's hourly pay within the same band or grade is (1 − G) × men's"),
    Bias("pay_gap_ethnicity", 0.0, "BME staff's hourly pay within the same band or grade is "
         "(1 − G) × White staff's"),
    Bias("intersection", 1.0, "Staff in `intersection_group` (default black_women: codes M, N, P and "
         "female) R times as likely to enter formal disciplinary (probability = base × R, "
         "multiplied with the disciplinary bias)"),
)}

#: groups for the `intersection` bias: (ethnic codes, sex or None for both)
INTERSECTION_GROUPS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "black_women": (("M", "N", "P"), "female"),
    "black_men": (("M", "N", "P"), "male"),
    "asian_women": (("H", "J", "K", "L"), "female"),
    "asian_men": (("H", "J", "K", "L"), "male"),
    "bme_women": (tuple("DEFGHJKLMNPRS"), "female"),
    "bme_men": (tuple("DEFGHJKLMNPRS"), "male"),
}
DEFAULT_INTERSECTION_GROUP = "black_women"
