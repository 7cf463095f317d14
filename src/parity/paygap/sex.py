"""The gender pay gap — Equality Act 2010 (Specific Duties and Public Authorities) Regulations
2017, Schedule 1, which applies the Gender Pay Gap Information Regulations 2017 (regs 2–13) to
public authorities with 250 or more employees.

The regulations compare men and women; relevant employees recorded as ``other`` or ``unknown``
sex are left out of every measure (including the quarters, so 4,445 men and women make quarters
of 1,112 / 1,111 / 1,111 / 1,111) and are counted in ``excluded`` so that nobody disappears
silently.
"""

from __future__ import annotations

import pandas as pd

from parity.paygap.groups import FEMALE, MALE, sex_labels
from parity.paygap.inputs import prepare
from parity.paygap.pair import build_result
from parity.paygap.results import PayGapResult


def gender_pay_gap(df: pd.DataFrame, *, snapshot_date: object = None) -> PayGapResult:
    """The six gender pay gap measures, men as the reference group, checked and rounded.

    Parameters
    ----------
    df : one row per relevant employee: ``person_id``, ``ordinary_pay``, ``pay_period_days``,
        ``weekly_hours``, ``bonus_12m``, ``full_pay``, ``sex`` and optionally ``hourly_rate`` and
        ``bonus_in_period`` (see `parity.paygap.hourly.compute_hourly_rate`).
    snapshot_date : recorded in the result (ISO date string); the rows must already be the
        employees in post on that date.

    Returns
    -------
    PayGapResult with ``gov_uk_row()`` for the government service.
    """
    frame = prepare(df, "sex")
    labels = sex_labels(frame["attr"])
    excluded = {value: int((labels == value).sum()) for value in ("other", "unknown")}
    notes = ()
    if any(excluded.values()):
        notes = (
            f"{excluded['other']} relevant employee(s) of other sex and {excluded['unknown']} of "
            "unknown sex are outside the measures, which the regulations define for men and women",
        )
    return build_result(
        frame, labels, attribute="sex", reference=MALE, comparison=FEMALE,
        notes=notes, excluded=excluded, snapshot_date=snapshot_date,
    )
