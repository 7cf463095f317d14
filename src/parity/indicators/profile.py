"""Workforce profile: people in post at 31 March by ethnicity group, sex, disability and band."""

from __future__ import annotations

import ibis
import pandas as pd

from parity.indicators.groups import disability_group, ethnicity_group
from parity.indicators.populations import staff_in_post

DIMENSIONS = ("ethnicity", "sex", "disability", "pay_band")


def workforce_profile(con: ibis.BaseBackend, *, year: int | None = None) -> pd.DataFrame:
    """Tidy counts: ``year, dimension, category, headcount, percent`` (one query per dimension)."""
    staff = staff_in_post(con)
    staff = staff.mutate(ethnicity=ethnicity_group(staff.ethnic_category),
                         disability=disability_group(staff.disability))
    if year is not None:
        staff = staff.filter(staff.year == year)
    frames = []
    for dim in DIMENSIONS:
        t = staff.group_by(["year", staff[dim].name(dim)]).aggregate(headcount=staff.count())
        df = t.to_pandas().rename(columns={dim: "category"})
        df.insert(1, "dimension", dim)
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out["category"] = out["category"].fillna("unknown").astype(str)
    out["percent"] = (100 * out.headcount / out.groupby(["year", "dimension"]).headcount.transform("sum")).round(1)
    return out.sort_values(["year", "dimension", "category"]).reset_index(drop=True)
