"""Retention: leavers in the year ÷ headcount at its start, by group, with reasons where supplied.

Headcount: people in post (bank excluded) at 31 March ``year - 1``; leavers: those of them with a
``leavers`` row dated in the financial year ending 31 March ``year`` in the same organisation
(people who joined during the year and left again are in neither count). Leaving is an adverse
outcome here (RL = group rate ÷ reference rate), although some leaving — retirement, promotion
elsewhere — is not a loss: the reasons table lets a reader see which.
"""

from __future__ import annotations

import pandas as pd

from parity.explore.attributes import with_attributes
from parity.explore.compare import Settings, combos
from parity.explore.scan import DEFAULT_BY, finish, scan_frame
from parity.explore.sources import Sources, open_sources
from parity.indicators.periods import financial_year_of

NOT_GIVEN = "Not given"


def reasons(src: Sources, combo: list[str], year: int, org: str | None) -> pd.DataFrame:
    """Leavers per group and reason (one grouped query): leaver rows of staff in post at the start."""
    lv = src.table("leavers")
    lv = lv.filter(financial_year_of(lv.leave_date) == year).select("org_code", "person_id", "reason")
    start = src.staff.filter(src.staff.year == year - 1)
    if org is not None:
        start = start.filter(start.org_code == org)
    t = with_attributes(start.join(lv, ["org_code", "person_id"]), combo)
    t = t.mutate(reason=t.reason.fill_null(NOT_GIVEN))
    return t.group_by([*combo, "reason"]).aggregate(leavers=t.count()).to_pandas()


def retention(source, *, year: int, by=DEFAULT_BY, reference=None, fdr: float = 0.05, min_cell: int = 30,
              min_expected: float = 1.0, org: str | None = None):
    """Leaving rate in reporting year `year` by group, with RLs and the reasons given."""

    settings = Settings.make(reference, fdr=fdr, min_cell=min_cell, min_expected=min_expected)
    src = open_sources(source, org=org, years=[year])
    try:
        frame, notes = scan_frame(src, outcomes=["leaving"], by=tuple(by), settings=settings, years=[year], org=org)
        tables = {}
        if src.has("leavers") and src.has("workforce"):  # staff carry every attribute
            parts = [reasons(src, list(c), year, org).assign(attributes="+".join(c)) for c in combos(by, settings)]
            if parts:
                tables["reasons"] = pd.concat(parts, ignore_index=True)
    finally:
        src.release()
    return finish("retention", frame, notes, settings, by=by, context=["year"], tables=tables,
                  extra_settings={"year": year, "org": org, "headcount_snapshot": f"{year - 1}-03-31"})
