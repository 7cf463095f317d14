"""Every organisation's series of one measure from one grouped query (issue 19: `parity report --all-orgs`).

`parity.spc.series.count` counts one organisation's events and headcounts with a few queries over
its rows; a report for each of 220 organisations would run them 220 times, each rebuilding the
staff in post. Here the same queries run once over every organisation, grouped by ``org_code`` as
well, and each organisation's rows go through the same `series.assemble` as a single count. Each
organisation is counted against its own population only: the staff in post are built per person
within an organisation (`parity.indicators.populations.staff_in_post`), and an event's reporting year
must have a snapshot of *its* organisation (a semi-join on organisation and year, where one
organisation's count asks for any year of its own staff) — so every organisation's `Counts` are those
of `count` with `org=ORG`.
"""

from __future__ import annotations

import pandas as pd

from parity.explore.sources import Sources
from parity.indicators.periods import financial_year_of
from parity.spc.series import (
    ATTRIBUTE_ALIASES,
    MISSING_TABLE,
    PERIODS,
    UNKNOWN_PERIOD,
    Counts,
    Measure,
    assemble,
    shortlisted_applications,
    staff_and_events,
)


def count_every_org(src: Sources, m: Measure, *, by: str, period: str) -> dict[str, Counts | ValueError]:
    """{org: the measure's `Counts`, or the ValueError `count` raises for it} for every organisation
    with rows in the measure's table (`src` unscoped)."""
    if period not in PERIODS:
        raise ValueError(UNKNOWN_PERIOD.format(name=period))
    if not src.has(m.table):
        return {}
    with_rows = _orgs_with_rows(src, m.table)
    staff_orgs = _orgs_with_rows(src, "workforce") if m.kind == "staff" and src.has("workforce") else set()
    by = ATTRIBUTE_ALIASES.get(by, by)
    out: dict[str, Counts | ValueError] = {}
    if m.kind == "appointment":
        frames = _split(_appointment_counts(src, by, period), with_rows)
        return {org: assemble(m, period, frame=frames[org]) for org in sorted(with_rows)}
    missing = ValueError(MISSING_TABLE.format(measure=m.name, table="workforce"))
    counted = sorted(with_rows & staff_orgs)
    out.update({org: missing for org in with_rows - staff_orgs})
    if not counted:
        return out
    events, heads = _staff_counts(src, m, by, period)
    outside = _outside_years(src, m)
    matched = events[events["group"].notna()]
    unmatched = events.loc[events["group"].isna()].groupby("org_code")["events"].sum()
    matched, heads = _split(matched, counted), _split(heads, counted)
    for org in counted:
        out[org] = assemble(m, period, events=matched[org], heads=heads[org],
                            unmatched=int(unmatched.get(org, 0)), outside=int(outside.get(org, 0)))
    return out


def _orgs_with_rows(src: Sources, table: str) -> set[str]:
    t = src.table(table)
    return {str(o) for o in t.select("org_code").distinct().to_pandas()["org_code"].dropna()}


def _split(frame: pd.DataFrame, orgs) -> dict[str, pd.DataFrame]:
    """Each organisation's rows without ``org_code`` (an empty frame with the same columns when it has none)."""
    frame = frame.astype({"org_code": str})
    parts = {str(o): g for o, g in frame.groupby("org_code", sort=False)}
    empty = frame.iloc[0:0]
    return {o: parts.get(o, empty).drop(columns="org_code").reset_index(drop=True) for o in orgs}


def _staff_counts(src: Sources, m: Measure, by: str, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`series._staff_counts` grouped by organisation: (events per organisation × period × group, the
    unmatched ones with a null group; headcount per organisation × year × group)."""
    staff, ev = staff_and_events(src, m, by, period)
    # years without a snapshot of the event's own organisation have no denominator: reported
    ev = ev.semi_join(staff.select("org_code", "year").distinct(), ["org_code", "year"])
    people = staff.select("org_code", "year", "person_id", "group")
    joined = ev.left_join(people, ["org_code", "year", "person_id"])
    counts = joined.group_by(["org_code", "period", "group"]).aggregate(events=joined.count())
    heads = staff.group_by(["org_code", "year", "group"]).aggregate(denominator=staff.count())
    return counts.to_pandas(), heads.to_pandas()


def _outside_years(src: Sources, m: Measure) -> pd.Series:
    """Per organisation, its events in a reporting year with no snapshot of its own staff."""
    t = src.table(m.table)
    if m.flag:
        t = t.filter(t[m.flag].fill_null(False))
    staff_years = src.staff.select("org_code", year=src.staff.year + m.shift).distinct()
    t = t.filter(t[m.date].notnull())
    t = t.mutate(year=financial_year_of(t[m.date]).cast("int64")).select("org_code", "year")
    outside = t.anti_join(staff_years, ["org_code", "year"])
    frame = outside.group_by("org_code").aggregate(n=outside.count()).to_pandas()
    return pd.Series(frame["n"].to_numpy(), index=frame["org_code"].astype(str))


def _appointment_counts(src: Sources, by: str, period: str) -> pd.DataFrame:
    apps = shortlisted_applications(src, by, period)
    return apps.group_by(["org_code", "period", "group"]).aggregate(events=apps.hit.sum(),
                                                                     denominator=apps.count()).to_pandas()
