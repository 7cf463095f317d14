"""Monthly or quarterly series per group, counted from the canonical tables (one Ibis query each).

Each measure says which rows are events, which date places them in a period, and who the
denominator is:

- disciplinary / capability: formal cases starting in the period, among staff in post (bank
  excluded) at 31 March of the period's reporting year (the explorer's population, WRES 3 / WDES 3);
  a person counts once per period;
- training: non-mandatory courses (WRES 4) in the period, among the same staff;
- leavers: leavers in the period among staff in post at the 31 March before the reporting year;
- appointment: shortlisted applications (declined offers excluded, WRES 2) by application date;
  the value is the share appointed.

Staff measures are rates per 1,000 staff in the period: the denominator is the group's headcount at
the snapshot, which changes once a year. Events whose person is not in that population are counted
and reported, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from parity.explore.attributes import UNKNOWN, attribute
from parity.explore.sources import Sources
from parity.indicators.periods import financial_year_of

PERIODS = {"month": "M", "quarter": "Q"}
UNKNOWN_MEASURE = "Unknown measure {name!r}: choose from {valid}"
UNKNOWN_PERIOD = "Unknown period {name!r}: month or quarter"
MISSING_TABLE = "The {measure} measure needs the {table} table: import it first (parity import FILE --table {table})"


@dataclass(frozen=True)
class Measure:
    name: str
    table: str
    date: str
    #: a boolean column that selects the events (None: every row)
    flag: str | None
    #: "higher" or "lower": which way is better for the people it counts
    better: str
    #: "staff": events per 1,000 staff in post; "appointment": appointed ÷ shortlisted
    kind: str = "staff"
    #: staff at 31 March of the reporting year minus `shift` are the population (leavers: 1)
    shift: int = 0
    label: str = ""


MEASURES: dict[str, Measure] = {m.name: m for m in (
    Measure("disciplinary", "disciplinary", "case_start_date", "formal", "lower",
            label="entering the formal disciplinary process"),
    Measure("capability", "capability", "case_start_date", "formal", "lower",
            label="entering the formal capability process"),
    Measure("training", "training", "course_date", "non_mandatory", "higher",
            label="accessing non-mandatory training or CPD"),
    Measure("leavers", "leavers", "leave_date", None, "lower", shift=1, label="leaving the organisation"),
    Measure("appointment", "applications", "application_date", None, "higher", kind="appointment",
            label="appointed from shortlisting"),
)}

#: `--by` names: "ethnicity" is the WRES comparison (BME, White); the explorer's broad groups are
#: "ethnicity_broad" (monthly counts per broad group are mostly too small to chart)
ATTRIBUTE_ALIASES = {"ethnicity": "ethnicity_wres", "ethnicity_broad": "ethnicity"}


def measure(name: str) -> Measure:
    try:
        return MEASURES[name]
    except KeyError:
        raise ValueError(UNKNOWN_MEASURE.format(name=name, valid=", ".join(MEASURES))) from None


@dataclass
class Counts:
    """Per period and group: ``events`` and ``denominator`` (a complete grid, zeros included)."""

    frame: pd.DataFrame
    #: events left out, by reason
    excluded: dict[str, int]
    #: events with an unknown group value (counted, not charted as a group)
    unknown_events: int


def _period_label(column, period: str):
    return column.truncate(PERIODS[period])


def staff_and_events(src: Sources, m: Measure, by: str, period: str):
    """(staff in post with ``group`` by `by`, in the measure's reporting year; each person's events
    of the measure, once per period): what one organisation's count (`_staff_counts`) and every
    organisation's (`parity.spc.every_org`) group and join."""
    attr = attribute(by)
    staff = src.staff
    staff = staff.mutate(year=staff.year + m.shift, group=attr.expr(staff))
    t = src.table(m.table)
    if m.flag:
        t = t.filter(t[m.flag].fill_null(False))
    ev = t.select("org_code", "person_id", event_date=t[m.date])
    ev = ev.filter(ev.event_date.notnull())
    ev = ev.mutate(year=financial_year_of(ev.event_date).cast("int64"),
                   period=_period_label(ev.event_date, period)).select("org_code", "person_id", "year", "period")
    return staff, ev.distinct()


def _staff_counts(src: Sources, m: Measure, by: str, period: str) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """(events per period × group, headcount per year × group, events outside the population)."""
    staff, ev = staff_and_events(src, m, by, period)
    years = staff.select("year").distinct()
    ev = ev.filter(ev.year.isin(years.year))  # years without a snapshot have no denominator: reported
    joined = ev.left_join(staff.select("org_code", "year", "person_id", "group"), ["org_code", "year", "person_id"])
    matched = joined.group_by(["period", "group"]).aggregate(events=joined.count())
    counts = matched.to_pandas()
    heads = staff.group_by(["year", "group"]).aggregate(denominator=staff.count()).to_pandas()
    unmatched = int(counts.loc[counts["group"].isna(), "events"].sum())
    return counts[counts["group"].notna()], heads, unmatched


def _outside_years(src: Sources, m: Measure) -> int:
    t = src.table(m.table)
    if m.flag:
        t = t.filter(t[m.flag].fill_null(False))
    staff_years = src.staff.select(year=src.staff.year + m.shift).distinct()
    t = t.filter(t[m.date].notnull())
    t = t.mutate(year=financial_year_of(t[m.date]).cast("int64"))
    return int(t.filter(~t.year.isin(staff_years.year)).count().to_pyarrow().as_py())


def shortlisted_applications(src: Sources, by: str, period: str):
    """Shortlisted applications (declined offers left out, as WRES 2) with ``group``, ``period`` and
    ``hit`` (1 when appointed): what one organisation's and every organisation's counts group."""
    attr = attribute(by)
    apps = src.table("applications")
    apps = apps.filter(apps.shortlisted.fill_null(False) & ~apps.offer_declined.fill_null(False)
                       & apps.application_date.notnull())
    return apps.mutate(group=attr.expr(apps), period=_period_label(apps.application_date, period),
                       hit=apps.appointed.fill_null(False).cast("int64"))


def _appointment_counts(src: Sources, by: str, period: str) -> tuple[pd.DataFrame, int]:
    apps = shortlisted_applications(src, by, period)
    frame = apps.group_by(["period", "group"]).aggregate(events=apps.hit.sum(), denominator=apps.count()).to_pandas()
    return frame, 0


def _grid(periods: pd.Series, groups: list[str], period: str) -> pd.DataFrame:
    """Every period, for every group, from the start of the first reporting year with an event (its
    1 April) to the last period with one (a year still being recorded ends at its latest event, so
    months not yet recorded never read as months without events)."""
    if periods.empty:
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "group": pd.Series(dtype=str)})
    first = periods.min()
    start = pd.Timestamp(first.year - (first.month < 4), 4, 1)
    freq = "MS" if period == "month" else "QS"
    span = pd.date_range(start, periods.max(), freq=freq)
    return pd.MultiIndex.from_product([span, groups], names=["period", "group"]).to_frame(index=False)


def check_tables(src: Sources, m: Measure) -> None:
    """A clear error when the measure's table (or, for a staff rate, the workforce) has no rows in scope."""
    for table in (m.table,) + (("workforce",) if m.kind == "staff" else ()):
        # a workspace shows a table it never imported as an empty one
        if not src.has(table) or int(src.table(table).count().to_pyarrow().as_py()) == 0:
            raise ValueError(MISSING_TABLE.format(measure=m.name, table=table))


def count(src: Sources, m: Measure, *, by: str, period: str) -> Counts:
    """The measure's events and denominators per period and group for the scope of `src`."""
    if period not in PERIODS:
        raise ValueError(UNKNOWN_PERIOD.format(name=period))
    check_tables(src, m)
    by = ATTRIBUTE_ALIASES.get(by, by)
    if m.kind == "appointment":
        return assemble(m, period, frame=_appointment_counts(src, by, period)[0])
    events, heads, unmatched = _staff_counts(src, m, by, period)
    return assemble(m, period, events=events, heads=heads, unmatched=unmatched, outside=_outside_years(src, m))


def assemble(m: Measure, period: str, *, frame: pd.DataFrame | None = None, events: pd.DataFrame | None = None,
             heads: pd.DataFrame | None = None, unmatched: int = 0, outside: int = 0) -> Counts:
    """`Counts` from one scope's query results: ``frame`` (appointment: events and denominator per
    period and group) or ``events`` and ``heads`` (staff rates), with the events left out. The same
    steps whether the rows were counted for one organisation or sliced from every organisation's
    counts (`parity.spc.every_org`)."""
    excluded: dict[str, int] = {}
    if m.kind == "appointment":
        frame = frame.copy()
        frame["period"] = pd.to_datetime(frame["period"]).astype("datetime64[ns]")
    else:
        if unmatched:
            excluded["not in post at the snapshot (outside the denominator)"] = unmatched
        if outside:
            excluded["in a reporting year with no staff snapshot"] = outside
        events = events.copy()
        events["period"] = pd.to_datetime(events["period"]).astype("datetime64[ns]")
        groups = sorted(set(heads["group"]) | set(events["group"]))
        frame = _grid(events["period"], groups, period).merge(events, on=["period", "group"], how="left")
        frame["events"] = frame["events"].fillna(0).astype("int64")
        frame["year"] = frame["period"].dt.year + (frame["period"].dt.month >= 4).astype(int)
        frame = frame.merge(heads, on=["year", "group"], how="left").drop(columns="year")
        frame["denominator"] = frame["denominator"].fillna(0).astype("int64")
    unknown = int(frame.loc[frame["group"] == UNKNOWN, "events"].sum())
    frame = frame[frame["group"] != UNKNOWN].sort_values(["group", "period"]).reset_index(drop=True)
    if m.kind == "appointment":  # months with no shortlisted applicants in a group: zero, not missing
        grid = _grid(frame["period"], sorted(frame["group"].unique()), period)
        frame = grid.merge(frame, on=["period", "group"], how="left").fillna({"events": 0, "denominator": 0})
        frame = frame.astype({"events": "int64", "denominator": "int64"})
    return Counts(frame, excluded, unknown)


def connect(workspace, *, org: str | None) -> Sources:
    """Sources scoped to one organisation (`parity.explore.sources`)."""
    from parity.explore.sources import open_sources

    return open_sources(workspace, org=org)

