"""The populations indicators count: people in post at 31 March, board members, people's groups.

Every function returns an Ibis table expression over the canonical tables, covering every
organisation and every year at once, so indicators group by (org_code, year) in one pass.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir

from parity.indicators.periods import is_year_end

PERSON = ("org_code", "year", "person_id")


def _year_end_workforce(con: ibis.BaseBackend, workforce: ir.Table | None = None) -> ir.Table:
    wf = con.table("workforce") if workforce is None else workforce
    wf = wf.filter(is_year_end(wf.snapshot_date))
    return wf.mutate(year=wf.snapshot_date.year().cast("int64"))


def staff_in_post(con: ibis.BaseBackend, *, include_bank: bool = False,
                  workforce: ir.Table | None = None, optional: bool = False) -> ir.Table:
    """People in post at each 31 March, bank staff excluded, one row per person.

    WRES technical guidance: count people, not assignments; bank staff are excluded. A person with
    several assignments is placed by their primary assignment (then the largest FTE, then the
    highest band as a stable tie-break). ``workforce``: the workforce rows to start from (default
    the whole table; the explorer passes one organisation's rows so the window runs over them only).
    ``optional``: also carry the `OPTIONAL` columns (hierarchy, further characteristics; issue 17).
    """
    people = _primary(_in_post(con, include_bank, workforce), disability=True)
    return people.select(
        *PERSON, "ethnic_category", "sex", "pay_band", "staff_group", "clinical", "age_band", "disability",
        **(optional_columns(people) if optional else {}),
    )


def counted_staff(con: ibis.BaseBackend, group: Callable[[ir.Table], ir.StringValue],
                  workforce: ir.Table | None = None) -> ir.Table:
    """The people of `staff_in_post` as a standard's counts read them: ``org_code, year, person_id,
    pay_band, clinical, group`` (``group``: the standard's group of each person, e.g. WRES's
    ethnicity group of their primary assignment, WDES's Disabled if any record says so).

    Issue 19: nationally about 7 million people in post are written to a table once and read by
    several counts; only these six columns are carried, and the disability windows run only when the
    group reads disability. ``workforce``: the workforce rows to start from (default the whole table;
    `parity benchmark build` passes the reporting years it needs, `standard_counts.count_standard`).
    """
    wf = _in_post(con, False, workforce)
    # the columns the group reads, from the group over an unbound table of the same columns (over `wf`
    # itself every column of its query would be found)
    reads = {f.name for f in group(ibis.table(wf.schema(), name="people")).op().find(ops.Field)}
    people = _primary(wf, disability="disability" in reads)
    return people.select(*PERSON, "pay_band", "clinical", group=group(people))


def _in_post(con: ibis.BaseBackend, include_bank: bool, workforce: ir.Table | None) -> ir.Table:
    wf = _year_end_workforce(con, workforce)
    if not include_bank:  # pay gap populations keep bank staff: they are relevant employees
        wf = wf.filter(wf.assignment_category != "bank")
    return wf


def _primary(wf: ir.Table, *, disability: bool) -> ir.Table:
    """Each person's primary assignment (one window pass over their assignments) and, across all of
    them when ``disability``, whether any record says Disabled (WDES: Disabled if any record says so)."""
    primary_rank = ibis.cases((wf.primary_assignment, 2), (wf.primary_assignment.isnull(), 1), else_=0)
    person = [wf[c] for c in PERSON]
    ordered = ibis.window(
        group_by=person,
        order_by=[ibis.desc(primary_rank), ibis.desc(wf.fte), ibis.desc(wf.pay_band), wf.staff_group],
    )
    # one window over all of a person's records: 2 if any says Disabled, else 1 if any says not
    everyone = ibis.window(group_by=person)
    said = ibis.cases((wf.disability == "yes", 2), (wf.disability == "no", 1), else_=0)
    extra = {"_disabled": said.max().over(everyone)} if disability else {}
    ranked = wf.mutate(_rank=ibis.row_number().over(ordered), **extra)
    people = ranked.filter(ranked._rank == 0)
    if not disability:
        return people
    return people.mutate(disability=ibis.cases((people._disabled == 2, "yes"), (people._disabled == 1, "no"),
                                               else_="unknown"))


#: optional workforce columns carried by the primary assignment (issue 17): NULL when not stored
OPTIONAL = ("religion", "sexual_orientation", "marital_status", "org_l3", "org_l4", "org_l5", "org_l6",
            "org_l7", "site")


def optional_columns(t: ir.Table) -> dict[str, ir.Value]:
    """The `OPTIONAL` columns of `t`, typed NULL where a workspace stored before issue 17 lacks them."""
    return {c: t[c] if c in t.columns else ibis.null().cast("string") for c in OPTIONAL}


def staff_organisations(con: ibis.BaseBackend) -> ir.Table:
    """The organisations with anyone in post at any 31 March (``org_code``, distinct): those
    `counted_staff` over the whole table has (an organisation whose snapshots are all of other years
    than a count restricted to some is still one of the workspace's organisations)."""
    return _in_post(con, False, None).select("org_code").distinct()


def board_members(con: ibis.BaseBackend, workforce: ir.Table | None = None) -> ir.Table:
    """Board members at each 31 March (any assignment, bank included), one row per person;
    ``workforce`` as for `counted_staff`."""
    wf = _year_end_workforce(con, workforce)
    board = wf.filter(wf.board_member.fill_null(False))
    per = board.group_by(list(PERSON)).aggregate(
        ethnic_category=board.ethnic_category.max(),
        any_yes=(board.disability == "yes").any(),
        any_no=(board.disability == "no").any(),
        executive=(board.board_role == "executive").any(),
        non_executive=(board.board_role == "non_executive").any(),
        voting=board.board_voting.fill_null(False).any(),
    )
    return per.mutate(
        disability=ibis.cases((per.any_yes, "yes"), (per.any_no, "no"), else_="unknown")
    ).drop("any_yes", "any_no")


def person_attributes(con: ibis.BaseBackend, people: ir.Table | None = None) -> ir.Table:
    """Each person's latest recorded attributes (any snapshot), to classify people in event tables.

    Event tables (disciplinary, capability, training, leavers) carry only ``person_id``; a person
    may have left before 31 March, so we use the most recent workforce record we hold for them.
    Disability: Disabled if any record in that latest snapshot says so, else non-disabled if any
    says no. One grouped pass: each row is keyed by (snapshot date, disability rank) and the
    row with the largest key wins. ``people``: a table with ``org_code, person_id`` to look up only
    (its people's records are kept by a semi join before grouping).
    """
    wf = con.table("workforce")
    if people is not None:
        wf = wf.semi_join(people, ["org_code", "person_id"])
    d = wf.snapshot_date
    rank = ibis.cases((wf.disability == "yes", 2), (wf.disability == "no", 1), else_=0)
    key = (d.year() * 10000 + d.month() * 100 + d.day()) * 3 + rank
    return wf.group_by(["org_code", "person_id"]).aggregate(
        ethnic_category=wf.ethnic_category.argmax(key),
        disability=wf.disability.argmax(key),
    )
