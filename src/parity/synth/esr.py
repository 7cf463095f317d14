"""The workforce in the ESR staff-in-post layout (all snapshots in one file).

The ESR import preset reads exactly these headers and label spellings: keep them in step.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from parity.contract.codes import ETHNIC_CATEGORIES
from parity.contract.codes import STAFF_GROUPS as SG_CODES
from parity.synth import config as C
from parity.synth import people as P
from parity.synth.arrays import cat_col, id_col, table
from parity.synth.population import Population
from parity.synth.units import characteristic_columns, unit_columns
from parity.synth.workforce import age_band, assignment_numbers

ESR_STAFF_GROUPS = {
    "01": "Medical and Dental", "02": "Students", "03": "Nursing and Midwifery Registered",
    "04": "Allied Health Professionals", "05": "Add Prof Scientific and Technic",
    "06": "Healthcare Scientists", "07": "Additional Clinical Services",
    "08": "Administrative and Clerical", "09": "Estates and Ancillary",
    "10": SG_CODES["10"][0],  # non-executive directors (see docs/synth.md)
}
ESR_CATEGORIES = {"permanent": "Permanent", "fixed_term": "Fixed Term Temp", "bank": "Bank",
                  "locum": "Locum", "other": "Other"}


def ethnic_origin_labels() -> list[str]:
    """ESR "Ethnic Origin" per entry of people.ETHNICITY: "A White - British", …, "Z Not Stated", blank."""
    labels = [f"{code} {label}" for code, (label, _) in ETHNIC_CATEGORIES.items() if code not in ("Z", "99")]
    return labels + ["Z Not Stated", "", ""]


def pay_band_labels() -> list[str]:
    afc = [f"Band {b.upper()}" for b in C.BANDS[: C.VSM]]
    return afc + ["VSM"] + [""] * (len(C.BANDS) - C.VSM - 1)


def esr_table(pop: Population, rows: dict[str, np.ndarray]) -> pa.Table:
    a = pop.attrs
    person, t, secondary = rows["person"], rows["t"], rows["secondary"]
    number = id_col("", pop.number(person))
    assignment = assignment_numbers(number, secondary)
    board = pop.board[person]
    voting = np.where(board > 0, np.where(pop.voting[person], 1, 2), 0)
    return table({
        "Org Code": cat_col(a["org"][person], pop.org_codes),
        "Employee Number": number,
        "Assignment Number": assignment,
        "Snapshot Date": cat_col(t, [f"31/03/{y}" for y in pop.years]),
        "Ethnic Origin": cat_col(a["eth"][person], ethnic_origin_labels()),
        "Gender": cat_col(a["sex"][person], ["Female", "Male", "", ""]),
        "Disability": cat_col(a["dis"][person], ["Yes", "No", "Not Declared"]),
        "Pay Band": cat_col(np.stack(pop.band_hist)[t, person], pay_band_labels()),
        "Grade": cat_col(a["grade"][person], P.GRADES),
        "Staff Group": cat_col(a["sg"][person], [ESR_STAFF_GROUPS[g] for g in P.STAFF_GROUPS]),
        "Assignment Category": cat_col(np.where(secondary, P.BANK, a["cat"][person]),
                                       [ESR_CATEGORIES[c] for c in P.CATEGORIES]),
        "Primary Assignment": cat_col((secondary).astype(np.int8), ["Y", "N"]),
        "Contracted FTE": pa.array(np.where(secondary, a["fte2"][person], a["fte"][person])),
        "Age Band": cat_col(age_band(pop, person, t), P.AGE_BANDS),
        "Board Member": cat_col((board == 0).astype(np.int8), ["Y", "N"]),
        "Board Role": cat_col(board, ["", "Executive", "Non-Executive"]),
        "Board Voting": cat_col(voting, ["", "Y", "N"]),
        **unit_columns(pop, person, esr=True),  # issue 17: Org L3–L5, Site; ESR's characteristic labels
        **characteristic_columns(pop, person, esr=True),
    })
