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

GroupFn = Callable[[ir.Table], ir.StringValue]
KEYS = ["org_code", "year", "group"]


def band_distribution(staff: ir.Table, group: GroupFn) -> ir.Table:
    """People in post by band, clinical flag and group (WRES indicator 1, WDES metric 1)."""
    t = staff.mutate(group=group(staff))
    return t.group_by(["org_code", "year", "pay_band", "clinical", "group"]).aggregate(count=t.count())


def headcount(staff: ir.Table, group: GroupFn) -> ir.Table:
    t = staff.mutate(group=group(staff))
    return t.group_by(KEYS).aggregate(denominator=t.count())


def appointed_from_shortlisting(con: ibis.BaseBackend, group: GroupFn, *, exclude_declined: bool = True) -> ir.Table:
    """Shortlisted applications in the financial year and how many led to appointment.

    Declined offers are excluded (WRES technical guidance) unless ``exclude_declined`` is False.
    Unknown-ethnicity applications are kept here as their own group (reported, never in the ratio).
    """
    apps = con.table("applications")
    apps = apps.filter(apps.shortlisted.fill_null(False))
    if exclude_declined:
        apps = apps.filter(~apps.offer_declined.fill_null(False))
    apps = apps.mutate(year=financial_year_of(apps.application_date).cast("int64"), group=group(apps))
    return apps.group_by(KEYS).aggregate(
        numerator=apps.appointed.fill_null(False).cast("int64").sum(),
        denominator=apps.count(),
    )


def people_with_events(events: ir.Table, attributes: ir.Table, group: GroupFn) -> ir.Table:
    """Distinct people with at least one event per financial year, classified by their attributes.

    ``events`` has ``org_code, person_id`` and a ``event_date``; people we hold no workforce
    record for fall in the Unknown group (reported, never in the ratio).
    """
    ev = events.mutate(year=financial_year_of(events.event_date).cast("int64"))
    ev = ev.select("org_code", "year", "person_id").distinct()
    joined = ev.left_join(attributes, ["org_code", "person_id"]).select(
        "org_code", "year", "person_id", *[c for c in attributes.columns if c not in ("org_code", "person_id")]
    )
    joined = joined.mutate(group=group(joined))
    return joined.group_by(KEYS).aggregate(numerator=joined.count())


def staff_with_events(events: ir.Table, staff: ir.Table, group: GroupFn) -> ir.Table:
    """People in post at 31 March who had at least one event in that financial year, with the headcount."""
    ev = events.mutate(year=financial_year_of(events.event_date).cast("int64"))
    ev = ev.select("org_code", "year", "person_id").distinct().mutate(_event=ibis.literal(1))
    joined = staff.left_join(ev, ["org_code", "year", "person_id"]).select(*staff.columns, "_event")
    joined = joined.mutate(group=group(joined))
    return joined.group_by(KEYS).aggregate(
        numerator=joined._event.fill_null(0).sum().cast("int64"),
        denominator=joined.count(),
    )


def board_and_workforce(board: ir.Table, staff: ir.Table, group: GroupFn) -> ir.Table:
    """Board membership by breakdown (all, voting, executive, non-executive) with the workforce.

    Returns ``org_code, year, group, breakdown, count``; breakdown "workforce" is the overall
    workforce (the comparison for every board breakdown).
    """
    b = board.mutate(group=group(board))
    parts = [b.mutate(breakdown=ibis.literal("all"))]
    for name in ("voting", "executive", "non_executive"):
        parts.append(b.filter(b[name]).mutate(breakdown=ibis.literal(name)))
    cols = ["org_code", "year", "group", "breakdown"]
    union = ibis.union(*[p.select(*cols) for p in parts])
    board_counts = union.group_by(cols).aggregate(count=union.count())
    w = staff.mutate(group=group(staff), breakdown=ibis.literal("workforce"))
    workforce_counts = w.group_by(cols).aggregate(count=w.count())
    return ibis.union(board_counts, workforce_counts)
