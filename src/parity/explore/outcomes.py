"""The outcomes the explorer scans: for each, a person-level population with a 0/1 ``outcome``.

Every population is one Ibis expression over all organisations and years at once, with columns
``org_code, year`` (the reporting year: financial year ending 31 March ``year``), the canonical
attribute columns it carries (``ethnic_category, sex, disability`` and, for staff, ``age_band,
staff_group, pay_band``) and ``outcome`` (1 = the event happened). Choices, documented in
``docs/explore.md``:

- appointment: shortlisted applications in the year, declined offers excluded (WRES 2); one row
  per application.
- disciplinary / capability / training: people in post (bank excluded) at 31 March ``year`` with a
  formal case / non-mandatory course starting in that financial year (WRES 3 and 4, WDES 3; people
  who left before 31 March are not in the population, unlike the WRES 3 numerator).
- promotion: people in post at both 31 March ``year - 1`` and ``year`` in the same organisation, on
  the same ladder (see `progression`), attributes as at the start.
- leaving: people in post at 31 March ``year - 1`` with a ``leavers`` row in the financial year.
- survey items: respondents to the staff survey of calendar year ``year - 1`` (WRES/WDES timing),
  through the question map of `parity.indicators.survey`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from parity.contract.codes import BAND_ORDER
from parity.explore.sources import STAFF_COLUMNS, Sources  # noqa: F401  (re-exported)
from parity.indicators.periods import financial_year_of
from parity.indicators.populations import OPTIONAL
from parity.indicators.survey import _expand, classified, load_question_map  # the map's rules, shared

UNKNOWN_OUTCOME = "Unknown outcome {name!r}: choose from {valid}"
#: medical grade groups in career order; ``medical_other`` has no place on it
MEDICAL_ORDER = {"trainee": 0, "career_grade": 1, "consultant": 2}


@dataclass(frozen=True)
class Outcome:
    name: str
    #: the verb phrase of a narrative: "... times as likely as ... to {label}"
    label: str
    #: True when the event is bad for the person (RL = cell ÷ reference), False when good
    adverse: bool
    #: who the population is ("staff", "applicants", "respondents")
    noun: str
    tables: tuple[str, ...]
    population: Callable[[Sources], ir.Table]


def _events_among_staff(src: Sources, events: ir.Table, *, shift: int = 0) -> ir.Table:
    """Staff in post (at 31 March ``year - shift``) flagged when they had an event in the year."""
    staff = src.staff.mutate(year=src.staff.year + shift) if shift else src.staff
    ev = events.mutate(year=financial_year_of(events.event_date).cast("int64"))
    ev = ev.select("org_code", "year", "person_id").distinct().mutate(_hit=ibis.literal(1))
    joined = staff.left_join(ev, ["org_code", "year", "person_id"]).select(*staff.columns, "_hit")
    return joined.mutate(outcome=joined._hit.fill_null(0).cast("int64")).drop("_hit")


def _formal_cases(table: str) -> Callable[[Sources], ir.Table]:
    def population(src: Sources) -> ir.Table:
        t = src.table(table)
        t = t.filter(t.formal.fill_null(False))
        return _events_among_staff(src, t.select("org_code", "person_id", event_date=t.case_start_date))
    return population


def _training(src: Sources) -> ir.Table:
    t = src.table("training")
    t = t.filter(t.non_mandatory.fill_null(False))
    return _events_among_staff(src, t.select("org_code", "person_id", event_date=t.course_date))


def _leaving(src: Sources) -> ir.Table:
    t = src.table("leavers")
    return _events_among_staff(src, t.select("org_code", "person_id", event_date=t.leave_date), shift=1)


def _appointment(src: Sources) -> ir.Table:
    apps = src.table("applications")
    apps = apps.filter(apps.shortlisted.fill_null(False) & ~apps.offer_declined.fill_null(False))
    return apps.select("org_code", "ethnic_category", "sex", "disability",
                       *[c for c in OPTIONAL if c in apps.columns],  # the hiring unit, further characteristics
                       year=financial_year_of(apps.application_date).cast("int64"),
                       outcome=apps.appointed.fill_null(False).cast("int64"))


def ladder(band: ir.StringValue) -> tuple[ir.StringValue, ir.IntegerValue]:
    """(ladder, rank): AfC bands and VSM on one ladder (`codes.BAND_ORDER`), medical grades on another."""
    rank = ibis.cases(*[(band == b, i) for b, i in {**BAND_ORDER, **MEDICAL_ORDER}.items()], else_=None)
    which = ibis.cases((band.isin(list(BAND_ORDER)), "afc"), (band.isin(list(MEDICAL_ORDER)), "medical"),
                       else_=None)
    return which, rank


def moves(src: Sources) -> ir.Table:
    """People in post at consecutive 31 Marches in the same organisation, on the same ladder.

    ``year`` is the later snapshot; attributes are the earlier ones; ``start_band`` and ``end_band``
    the bands; ``outcome`` 1 when the end rank is higher (promotion), ``demoted`` 1 when lower.
    """
    start = src.staff.mutate(year=src.staff.year + 1)
    end = src.staff.select("org_code", "year", "person_id", end_band=src.staff.pay_band)
    j = start.join(end, ["org_code", "year", "person_id"])
    s_ladder, s_rank = ladder(j.pay_band)
    e_ladder, e_rank = ladder(j.end_band)
    j = j.mutate(start_band=j.pay_band, _sl=s_ladder, _el=e_ladder, _sr=s_rank, _er=e_rank)
    j = j.filter(j._sl.notnull() & (j._sl == j._el))
    return j.mutate(outcome=(j._er > j._sr).cast("int64"), demoted=(j._er < j._sr).cast("int64")).drop(
        "_sl", "_el", "_sr", "_er")


#: the staff survey indicators the explorer scans, one outcome each
SURVEY_INDICATORS = ("wres.5", "wres.6", "wres.7", "wres.8")


def _survey_items(src: Sources) -> ir.Table:
    """Respondents of survey year ``year - 1`` with, per indicator of `SURVEY_INDICATORS`, ``outcome``
    1 when positive on any of its questions: every indicator in one pass over the responses (grouped
    by indicator, so each indicator's rows are what a pass of its own would give)."""
    resp = src.table("survey_responses")
    years = [int(y) for y in resp.select("survey_year").distinct().to_pandas().survey_year]
    questions, answers = _expand(load_question_map(src.workspace_dir), years, list(SURVEY_INDICATORS))
    r = classified(resp, questions, answers)
    keys = ["org_code", "survey_year", "response_id", "ethnic_category", "sex", "disability", "indicator"]
    per = r.group_by(keys).aggregate(positive=(r.positive & r.valid).any(), valid=r.valid.any())
    per = per.filter(per.valid)
    return per.select("org_code", "ethnic_category", "sex", "disability", "indicator",
                      year=(per.survey_year + 1).cast("int64"), outcome=per.positive.cast("int64"))


def _survey_item(indicator: str) -> Callable[[Sources], ir.Table]:
    """Respondents of survey year ``year - 1``: 1 when positive on any of the indicator's questions."""
    def population(src: Sources) -> ir.Table:
        items = src.cached("survey_items", lambda: _survey_items(src))
        return items.filter(items.indicator == indicator).drop("indicator")
    return population


OUTCOMES: dict[str, Outcome] = {o.name: o for o in (
    Outcome("appointment", "be appointed from shortlisting", False, "applicants", ("applications",), _appointment),
    Outcome("disciplinary", "enter the formal disciplinary process", True, "staff",
            ("workforce", "disciplinary"), _formal_cases("disciplinary")),
    Outcome("capability", "enter the formal capability process", True, "staff",
            ("workforce", "capability"), _formal_cases("capability")),
    Outcome("training", "access non-mandatory training or CPD", False, "staff", ("workforce", "training"), _training),
    Outcome("promotion", "move up at least one band", False, "staff", ("workforce",), lambda src: moves(src)),
    Outcome("leaving", "leave the organisation", True, "staff", ("workforce", "leavers"), _leaving),
    Outcome("harassment_public", "report harassment, bullying or abuse from patients or the public", True,
            "respondents", ("survey_responses",), _survey_item("wres.5")),
    Outcome("harassment_staff", "report harassment, bullying or abuse from staff", True,
            "respondents", ("survey_responses",), _survey_item("wres.6")),
    Outcome("equal_opportunities", "believe the organisation offers equal opportunities for progression",
            False, "respondents", ("survey_responses",), _survey_item("wres.7")),
    Outcome("discrimination", "report discrimination at work from a manager or colleague", True,
            "respondents", ("survey_responses",), _survey_item("wres.8")),
)}


def outcome(name: str) -> Outcome:
    try:
        return OUTCOMES[name]
    except KeyError:
        raise ValueError(UNKNOWN_OUTCOME.format(name=name, valid=", ".join(OUTCOMES))) from None
