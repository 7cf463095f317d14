"""The populations indicators count: people in post at 31 March, board members, people's groups.

Every function returns an Ibis table expression over the canonical tables, covering every
organisation and every year at once, so indicators group by (org_code, year) in one pass.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from parity.indicators.periods import is_year_end

PERSON = ("org_code", "year", "person_id")


def _year_end_workforce(con: ibis.BaseBackend) -> ir.Table:
    wf = con.table("workforce")
    wf = wf.filter(is_year_end(wf.snapshot_date))
    return wf.mutate(year=wf.snapshot_date.year().cast("int64"))


def _person_disability(rows: ir.Table) -> ir.Table:
    """A person is Disabled if any of their records says so; non-disabled if all known records say no."""
    per = rows.group_by(list(PERSON)).aggregate(
        any_yes=(rows.disability == "yes").any(),
        any_no=(rows.disability == "no").any(),
    )
    return per.mutate(
        person_disability=ibis.cases((per.any_yes, "yes"), (per.any_no, "no"), else_="unknown")
    ).drop("any_yes", "any_no")


def staff_in_post(con: ibis.BaseBackend, *, include_bank: bool = False) -> ir.Table:
    """People in post at each 31 March, bank staff excluded, one row per person.

    WRES technical guidance: count people, not assignments; bank staff are excluded. A person with
    several assignments is placed by their primary assignment (then the largest FTE, then the
    highest band as a stable tie-break).
    """
    wf = _year_end_workforce(con)
    if not include_bank:  # pay gap populations keep bank staff: they are relevant employees
        wf = wf.filter(wf.assignment_category != "bank")
    primary_rank = ibis.cases((wf.primary_assignment, 2), (wf.primary_assignment.isnull(), 1), else_=0)
    window = ibis.window(
        group_by=[wf[c] for c in PERSON],
        order_by=[ibis.desc(primary_rank), ibis.desc(wf.fte), ibis.desc(wf.pay_band), wf.staff_group],
    )
    ranked = wf.mutate(_rank=ibis.row_number().over(window))
    people = ranked.filter(ranked._rank == 0).drop("_rank", "disability")
    disability = _person_disability(wf)
    joined = people.join(disability, list(PERSON))
    return joined.select(
        *PERSON, "ethnic_category", "sex", "pay_band", "staff_group", "clinical", "age_band",
        disability=joined.person_disability,
    )


def board_members(con: ibis.BaseBackend) -> ir.Table:
    """Board members at each 31 March (any assignment, bank included), one row per person."""
    wf = _year_end_workforce(con)
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


def person_attributes(con: ibis.BaseBackend) -> ir.Table:
    """Each person's latest recorded attributes (any snapshot), to classify people in event tables.

    Event tables (disciplinary, capability, training, leavers) carry only ``person_id``; a person
    may have left before 31 March, so we use the most recent workforce record we hold for them.
    Disability: Disabled if any record in that snapshot says so.
    """
    wf = con.table("workforce")
    latest = wf.group_by(["org_code", "person_id"]).aggregate(last_snapshot=wf.snapshot_date.max())
    rows = wf.join(latest, ["org_code", "person_id"])
    rows = rows.filter(rows.snapshot_date == rows.last_snapshot)
    return rows.group_by(["org_code", "person_id"]).aggregate(
        ethnic_category=rows.ethnic_category.max(),
        disability=ibis.cases(
            ((rows.disability == "yes").any(), "yes"),
            ((rows.disability == "no").any(), "no"),
            else_="unknown",
        ),
    )
