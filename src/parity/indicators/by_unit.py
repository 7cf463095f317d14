"""The standards and pay gaps broken down by a level of the organisation (``--by-unit``, issue 17).

For internal use: "BME staff are 1.3 times as likely to enter a disciplinary process" becomes "…and
in Surgery 2.4". Each unit's figures are computed by the same code as an organisation's: the
canonical tables are read once, every row is given its unit in place of its organisation code, and
the standard runs over that. Which unit a row belongs to:

- staff tables (workforce, casework, training, leavers, pay): the person's unit at the reporting
  year's 31 March (their primary assignment's), else at the latest snapshot holding them, else the
  row's own unit column; the same unit for last year's comparison figures;
- applications: the hiring department's unit (the row's own column);
- survey responses carry no unit (anonymous): survey indicators are not broken down.

**Small units roll up** rather than vanish: a unit with fewer than ``min_unit`` people in post is
merged into "Other units in <parent>" (the level above, or the organisation; bank staff count, as
they are in pay gaps), and people with no
unit recorded are a unit of their own ("Unit not recorded"), so the units always add up to the
organisation. The published view (``--protected``) protects the organisation and its units as one
release with the unit as a linked margin (`parity.disclosure.release`: organisation = sum of units),
so no subtraction between the organisation's figure and the units' recovers a withheld count
(docs/disclosure-control.md, "Units").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from parity.contract.codes import ORG_LEVELS
from parity.contract.units import level_names, parent_column, unit_column
from parity.indicators.source import open_source

OTHER = "Other units in {parent}"
NOT_RECORDED = "Unit not recorded"
#: ``--within``: the characteristics a standard can be broken down within (issue 17), their column and
#: how a stored code reads (the explorer's groups; not stated and not known are "Unknown")
WITHIN = ("age_band", "sex", "religion", "sexual_orientation", "marital_status")
OTHER_WITHIN = "Other {name} groups"
UNKNOWN = "Unknown"
BAD_WITHIN = "--within {name}: choose one of " + ", ".join(WITHIN)
#: the organisation code of a unit in the relabelled tables
SEP = " / "
MIN_UNIT = 30
#: tables broken down (survey tables carry no unit)
TABLES = ("workforce", "applications", "disciplinary", "capability", "training", "leavers", "pay")
NO_COLUMN = ("--by-unit {level}: the workforce table has no {column} values; import a staff file with the "
             "hierarchy (ESR 'Org L3' … 'Org L7', docs/data-contract.md)")


@dataclass
class UnitPlan:
    """How rows were given units: the level, its column and which units were rolled up into which."""

    level: str
    column: str
    year: int
    min_unit: int
    #: (org, unit as recorded) → unit label shown
    labels: dict[tuple[str, str], str] = field(default_factory=dict)
    #: (org, unit label) → people in post at the year's 31 March
    sizes: dict[tuple[str, str], int] = field(default_factory=dict)
    #: a characteristic's groups (``--within``), not units of the hierarchy
    within: bool = False

    def label_of(self, org: str, value) -> str | None:
        """The label of a row's own recorded value (applications: the hiring unit, the applicant's group)."""
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return None
        if self.within:
            value = within_labels(self.level).get(value, value)
        return self.labels.get((org, value), self._other(org))

    def _other(self, org: str) -> str:
        return OTHER_WITHIN.format(name=self.level.replace("_", " ")) if self.within else OTHER.format(parent=org)

    def rolled_up(self) -> dict[tuple[str, str], list[str]]:
        """(org, roll-up label) → the units merged into it."""
        out: dict[tuple[str, str], list[str]] = {}
        for (org, raw), label in self.labels.items():
            if label != raw:
                out.setdefault((org, label), []).append(raw)
        return out

    def to_dict(self) -> dict:
        return {("within" if self.within else "level"): self.level, "column": self.column, "year": self.year,
                "min_unit": self.min_unit,
                "rolled_up": {f"{o}{SEP}{label}": sorted(v) for (o, label), v in self.rolled_up().items()}}


def _people(con, column: str, year: int) -> pd.DataFrame:
    """Each person's unit (and parent unit): at 31 March `year`, else their latest snapshot."""
    from parity.indicators.populations import staff_in_post

    parent = parent_column(column)
    cols = ["org_code", "year", "person_id", column, *([parent] if parent else [])]
    staff = staff_in_post(con, include_bank=True, optional=True).select(*cols).to_pandas()  # bank: pay gaps
    staff = staff[staff["year"] <= year].sort_values("year")
    latest = staff.groupby(["org_code", "person_id"], sort=False).last().reset_index()
    latest["in_post"] = latest["year"] == year
    return latest.rename(columns={column: "unit", **({parent: "parent"} if parent else {})})


def within_labels(name: str) -> dict[str, str]:
    """Stored code → the group a ``--within`` breakdown shows (empty: shown as recorded)."""
    from parity.contract.codes import CHARACTERISTICS

    if name in CHARACTERISTICS:
        return {code: (UNKNOWN if group == "Unknown" else group) for code, (_, group) in CHARACTERISTICS[name][0].items()}
    if name == "sex":
        return {"female": "female", "male": "male", "other": "other", "unknown": UNKNOWN}
    return {}


def plan_units(con, *, level: str, year: int, min_unit: int = MIN_UNIT, workspace_dir: Path | None = None,
               within: bool = False) -> tuple[UnitPlan, pd.DataFrame]:
    """The unit (or, `within`, the characteristic's group) of every person, small ones rolled up;
    (plan, people: org_code, person_id, label)."""
    if within and level not in WITHIN:
        raise ValueError(BAD_WITHIN.format(name=level))
    column = level if within else unit_column(level, workspace_dir)
    people = _people(con, column, year)
    if within:
        labels = within_labels(level)
        people["unit"] = people["unit"].map(lambda v: labels.get(v, v) if isinstance(v, str) and v.strip() else None)
    elif people["unit"].isna().all():
        raise ValueError(NO_COLUMN.format(level=level, column=column))
    people["unit"] = people["unit"].fillna(UNKNOWN if within else NOT_RECORDED)
    plan = UnitPlan(level if within else level_names(workspace_dir).get(column, level), column, year, min_unit,
                    within=within)
    now = people[people["in_post"]]
    sizes = now.groupby(["org_code", "unit"]).size()
    parents = (people.dropna(subset=["parent"]).groupby(["org_code", "unit"])["parent"].agg(lambda s: s.mode().iat[0])
               if "parent" in people else pd.Series(dtype=object))
    for (org, unit) in people.groupby(["org_code", "unit"]).size().index:
        small = int(sizes.get((org, unit), 0)) < min_unit
        parent = parents.get((org, unit), org) if column != ORG_LEVELS[0] else org
        other = OTHER_WITHIN.format(name=level.replace("_", " ")) if within else OTHER.format(parent=parent)
        plan.labels[(org, unit)] = other if small else unit
    people["label"] = [plan.labels[(o, u)] for o, u in zip(people["org_code"], people["unit"], strict=True)]
    now = people[people["in_post"]]
    plan.sizes = {k: int(v) for k, v in now.groupby(["org_code", "label"]).size().items()}
    return plan, people[["org_code", "person_id", "label"]]


def unit_tables(con, plan: UnitPlan, people: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The canonical tables with ``org_code`` = "<org> / <unit>" (survey tables left out)."""
    present = set(con.list_tables())
    out = {}
    for name in TABLES:
        if name not in present:
            continue
        df = con.table(name).to_pandas()
        own = df[plan.column] if plan.column in df else pd.Series(None, index=df.index, dtype=object)
        own_label = [plan.label_of(o, u) for o, u in zip(df["org_code"], own, strict=True)]
        label = pd.Series(own_label, index=df.index, dtype=object)
        if "person_id" in df and name != "applications":
            by_person = df[["org_code", "person_id"]].merge(people, on=["org_code", "person_id"], how="left")
            label = pd.Series(by_person["label"].to_numpy(), index=df.index).where(lambda s: s.notna(), label)
        missing = label.isna()
        blank = UNKNOWN if plan.within else NOT_RECORDED
        label[missing] = [plan.labels.get((o, blank), plan._other(o)) for o in df["org_code"][missing]]
        df["org_code"] = df["org_code"] + SEP + label
        out[name] = df
    return out


def unit_results(name: str, source, *, level: str, year: int, config=None, min_unit: int = MIN_UNIT,
                 protected: bool = False, rule=None, within: bool = False) -> tuple[UnitPlan, dict[tuple[str, str], object]]:
    """``name`` ("wres"/"wdes") for every unit of `level` in `year`: {(org, unit label): result}.

    With `protected`, the published view: each unit's result dict, protected in one release with its
    organisation's result (the organisation = the sum of its units, a linked margin) and with the
    other standard's units and organisations (the same staff by ethnicity and by disability: issue
    10 leak 12), `unit_release`."""
    from parity.backends import connect
    from parity.report.release import standard_results

    con, workspace_dir = open_source(source)
    plan, people = plan_units(con, level=level, year=year, min_unit=min_unit, workspace_dir=workspace_dir,
                              within=within)
    ucon = connect("duckdb", tables=unit_tables(con, plan, people))

    def of(standard: str, settings) -> dict[tuple[str, str], object]:
        results, _ = standard_results(standard, ucon, years=[year], config=settings)
        return {tuple(u[0].split(SEP, 1)): r for (u, y), r in results.items() if y == year and u}

    units = of(name, config)
    if not protected:
        return plan, units
    other = "wdes" if name == "wres" else "wres"
    try:
        others = of(other, None)
    except (ValueError, KeyError):  # no data for the other standard: this one alone
        others = None
    released = unit_release(name, source, units, year=year, config=config, rule=rule, others=others)
    return plan, {u: doc for u, doc in released.items() if len(u) == 2}


def unit_release(name: str, source, units: dict[tuple[str, str], object], *, year: int, config=None,
                 rule=None, others: dict[tuple[str, str], object] | None = None,
                 others_config=None) -> dict[tuple[str, ...], dict]:
    """The organisation level (``()`` for all organisations, ``(org,)`` each) and its units
    (``(org, unit)``) protected as one release: {release unit: protected result dict} of `name`.
    ``others``: the other standard's units (same plan), protected in the same release with its
    organisations, WRES and WDES linked where they count the same people
    (`parity.report.release.protect_standards`)."""
    from parity.disclosure import DisclosureRule
    from parity.report.release import protect_standards, standard_results

    other = "wdes" if name == "wres" else "wres"
    release = {}
    for standard, mine, settings in ((name, units, config), (other, others, others_config)):
        if mine is None:
            continue
        org_results, _ = standard_results(standard, source, years=[year], config=settings)
        release[standard] = {**org_results, **{((org, label), year): r for (org, label), r in mine.items()}}
    protected = protect_standards(release, rule or DisclosureRule())[name]
    return {u: doc for (u, _), doc in protected.items()}


def paygap_units(source, *, level: str, year: int, by: str, within: bool = False, min_unit: int = MIN_UNIT,
                 protected: bool = False, rule=None, min_group_size: int = 10, n_resamples: int = 2000,
                 seed: int = 0) -> tuple[UnitPlan, dict[tuple[str, str], object]]:
    """Pay gaps `by` sex / ethnicity / disability for every unit (or group, `within`) of `level`:
    {(org, label): PayGapReport}, or with `protected` the published dicts — each unit's comparisons
    protected together with its organisation's (`protect_paygap_report` with the units as levels)."""
    from parity.backends import connect
    from parity.paygap.api import paygap

    con, workspace_dir = open_source(source)
    plan, people = plan_units(con, level=level, year=year, min_unit=min_unit, workspace_dir=workspace_dir,
                              within=within)
    ucon = connect("duckdb", tables=unit_tables(con, plan, people))
    labels = sorted({(o, label) for (o, _), label in plan.labels.items()})
    reports = {}
    for org, label in labels:
        try:
            reports[(org, label)] = paygap(ucon, year=year, by=by, org=f"{org}{SEP}{label}", min_group_size=min_group_size,
                                           n_resamples=n_resamples, seed=seed)
        except ValueError:  # no pay rows (or a group missing) in that unit
            continue
    if not protected:
        return plan, reports
    from parity.disclosure import DisclosureRule, protect_paygap
    from parity.report.build import protect_paygap_report

    rule = rule or DisclosureRule()
    out = {}
    for org in sorted({o for o, _ in reports}):
        levels = {(org,): paygap(source, year=year, by=by, org=org, min_group_size=min_group_size,
                                 n_resamples=1).to_dict()}
        levels |= {(o, label): r.to_dict() for (o, label), r in reports.items() if o == org}
        for unit in [u for u in levels if len(u) == 2]:
            out[unit] = protect_paygap_report(levels[unit], rule, protect_paygap, levels=levels, unit=unit)
    return plan, out
