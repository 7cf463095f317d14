"""Numerators and denominators as Ibis expressions, per organisation, year and group in one pass.

Shared by WRES and WDES: each function takes a ``group`` function that turns a table into the
equality group expression (`groups.ethnicity_group` over ``ethnic_category`` or
`groups.disability_group` over ``disability``). Results are small aggregate tables with columns
``org_code, year, group, numerator, denominator`` (plus breakdown columns where named).
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.types as ir

from parity.indicators.periods import financial_year_of
from parity.indicators.populations import person_attributes

GroupFn = Callable[[ir.Table], ir.StringValue]
KEYS = ["org_code", "year", "group"]


def band_distribution(staff: ir.Table) -> ir.Table:
    """People in post by band, clinical flag and group (WRES indicator 1, WDES metric 1); ``staff``
    carries its ``group`` (`populations.counted_staff`)."""
    return staff.group_by(["org_code", "year", "pay_band", "clinical", "group"]).aggregate(count=staff.count())


def headcount_from(distribution: ir.Table) -> ir.Table:
    """`headcount` read from `band_distribution`'s counts (the same people, summed over band and
    clinical flag): a few thousand rows instead of the people in post again (issue 19)."""
    return distribution.group_by(KEYS).aggregate(denominator=distribution["count"].sum().cast("int64"))


def shortlisted(con: ibis.BaseBackend, *, exclude_declined: bool = True,
                applications: ir.Table | None = None) -> ir.Table:
    """The shortlisted applications WRES 2 / WDES 2 count: declined offers excluded (WRES technical
    guidance) unless ``exclude_declined`` is False. ``applications``: the rows to start from (default
    the whole table)."""
    apps = con.table("applications") if applications is None else applications
    apps = apps.filter(apps.shortlisted.fill_null(False))
    if exclude_declined:
        apps = apps.filter(~apps.offer_declined.fill_null(False))
    return apps


def appointed_from_shortlisting(con: ibis.BaseBackend, group: GroupFn, *, exclude_declined: bool = True,
                                applications: ir.Table | None = None) -> ir.Table:
    """Shortlisted applications (`shortlisted`) in the financial year and how many led to appointment.

    Unknown-ethnicity applications are kept here as their own group (reported, never in the ratio).
    """
    apps = shortlisted(con, exclude_declined=exclude_declined, applications=applications)
    apps = apps.mutate(year=financial_year_of(apps.application_date).cast("int64"), group=group(apps))
    return apps.group_by(KEYS).aggregate(
        numerator=apps.appointed.fill_null(False).cast("int64").sum(),
        denominator=apps.count(),
    )


def people_with_events(events: ir.Table, con: ibis.BaseBackend, group: GroupFn) -> ir.Table:
    """Distinct people with at least one event per financial year, classified by their attributes.

    ``events`` has ``org_code, person_id`` and a ``event_date``; people we hold no workforce
    record for fall in the Unknown group (reported, never in the ratio). Their attributes
    (`populations.person_attributes`) are looked up for these people only, not for every person in
    the workforce (issue 19: nationally tens of thousands of people with a case, not two million).
    """
    ev = events.mutate(year=financial_year_of(events.event_date).cast("int64"))
    ev = ev.select("org_code", "year", "person_id").distinct()
    attributes = person_attributes(con, people=ev)
    joined = ev.left_join(attributes, ["org_code", "person_id"]).select(
        "org_code", "year", "person_id", *[c for c in attributes.columns if c not in ("org_code", "person_id")]
    )
    joined = joined.mutate(group=group(joined))
    return joined.group_by(KEYS).aggregate(numerator=joined.count())


def staff_with_events(events: ir.Table, staff: ir.Table, headcount: ir.Table) -> ir.Table:
    """People in post at 31 March who had at least one event in that financial year, with the headcount.

    ``staff`` carries its ``group`` (`populations.counted_staff`); ``headcount`` is its headcount per
    organisation, year and group. Each person in post with any event that year counts once: a semi
    join, which neither makes the events distinct first nor joins the people who had none (issue 19).
    """
    ev = events.mutate(year=financial_year_of(events.event_date).cast("int64"))
    had = staff.semi_join(ev, ["org_code", "year", "person_id"])
    numerators = had.group_by(KEYS).aggregate(numerator=had.count())
    joined = headcount.left_join(numerators, KEYS)
    return joined.select(*KEYS, numerator=joined.numerator.fill_null(0).cast("int64"),
                         denominator=joined.denominator)


def board_and_workforce(board: ir.Table, group: GroupFn, headcount: ir.Table) -> ir.Table:
    """Board membership by breakdown (all, voting, executive, non-executive) with the workforce.

    Returns ``org_code, year, group, breakdown, count``; breakdown "workforce" is the overall
    workforce (the comparison for every board breakdown), read from ``headcount`` (`headcount_from`).
    """
    b = board.mutate(group=group(board))
    parts = [b.mutate(breakdown=ibis.literal("all"))]
    for name in ("voting", "executive", "non_executive"):
        parts.append(b.filter(b[name]).mutate(breakdown=ibis.literal(name)))
    cols = ["org_code", "year", "group", "breakdown"]
    union = ibis.union(*[p.select(*cols) for p in parts])
    board_counts = union.group_by(cols).aggregate(count=union.count())
    workforce_counts = headcount.select(*KEYS, breakdown=ibis.literal("workforce"), count=headcount.denominator)
    return ibis.union(board_counts, workforce_counts)
