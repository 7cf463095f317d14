"""The recruitment funnel: application → shortlisted → interviewed → offered → appointed.

For each step between consecutive stages *present in the data* (an optional column that is NULL in
every application of the year is absent) the conversion rate by group and its relative likelihood
against the reference (a favourable outcome: RL = reference rate ÷ group rate, above 1 = the group
converts less often), so a reader sees at which step a gap opens. A step counts the applications
that reached the earlier stage and how many of them reached the later one (NULL = not reached).
Declined offers are not a failure of the applicant: they are reported per group (``declined``) and
left out of the step into ``appointed`` (numerator and denominator), as WRES indicator 2 does.
"""

from __future__ import annotations

import ibis
import pandas as pd

from parity.explore.attributes import available, with_attributes
from parity.explore.compare import Settings, combos, compare
from parity.explore.scan import DEFAULT_BY, empty_frame, finish
from parity.explore.sources import open_sources
from parity.indicators.periods import financial_year_of

STAGES = ("applied", "shortlisted", "interviewed", "offered", "appointed")
OPTIONAL = ("interviewed", "offered")
LABELS = {"shortlisted": "be shortlisted", "interviewed": "be interviewed", "offered": "be offered the post",
          "appointed": "be appointed"}
NO_APPLICATIONS = "No applications in {year} (financial year {start}–{end})"


def _flag(t, stage: str):
    return t[stage].fill_null(False)


def present_stages(apps) -> list[str]:
    """The stages recorded: optional columns that are NULL throughout count as absent."""
    known = apps.aggregate(**{s: apps[s].notnull().any() for s in OPTIONAL if s in apps.columns}).to_pandas()
    return [s for s in STAGES if s not in OPTIONAL or (s in known and bool(known[s].iloc[0]))]


def stage_counts(apps, combo: list[str], steps: list[tuple[str, str]]) -> pd.DataFrame:
    """One grouped query: applications at each stage, declined offers, and each step's n and events."""
    t = with_attributes(apps, combo).mutate(applied=ibis.literal(True))  # a column, so it can be summed
    declined = t.offer_declined.fill_null(False)
    aggs = {"applications": t.count(), "declined": declined.cast("int64").sum()}
    for i, (prev, nxt) in enumerate(steps):
        base = _flag(t, prev) & ~declined if nxt == "appointed" else _flag(t, prev)
        aggs[f"n_{i}"] = base.cast("int64").sum()
        aggs[f"e_{i}"] = (base & _flag(t, nxt)).cast("int64").sum()
        aggs[nxt] = _flag(t, nxt).cast("int64").sum()
    return t.group_by(combo).aggregate(**aggs).to_pandas()


def funnel(source, *, year: int, by=DEFAULT_BY, reference=None, fdr: float = 0.05, min_cell: int = 30,
           min_expected: float = 1.0, org: str | None = None):
    """Conversion at each recruitment step by group, with RLs, for reporting year `year`."""

    settings = Settings.make(reference, fdr=fdr, min_cell=min_cell, min_expected=min_expected)
    src = open_sources(source, org=org, years=[year])
    frames, stages, notes = [], [], []
    present: list[str] = []
    if src.has("applications"):
        apps = src.table("applications")
        apps = apps.filter(financial_year_of(apps.application_date) == year)
        if org is not None:
            apps = apps.filter(apps.org_code == org)
        if apps.count().to_pyarrow().as_py() > 0:
            present = present_stages(apps)
            steps = list(zip(present, present[1:], strict=False))
            usable = [a for a in by if available(apps, a)]
            if len(usable) < len(by):
                notes.append(f"Applications do not record {', '.join(a for a in by if a not in usable)}: skipped.")
            for combo in combos(usable, settings):
                counts = stage_counts(apps, list(combo), steps)
                stages.append(counts.drop(columns=[c for c in counts if c[:2] in ("n_", "e_")])
                              .assign(attributes="+".join(combo)))
                for i, (prev, nxt) in enumerate(steps):
                    cells = counts[list(combo)].assign(step=f"{prev} → {nxt}", n=counts[f"n_{i}"],
                                                       events=counts[f"e_{i}"])
                    part = compare(cells, list(combo), strata=["step"], adverse=False, settings=settings)
                    frames.append(part.assign(outcome=f"funnel:{nxt}", label=LABELS[nxt], noun="applicants",
                                              attributes="+".join(combo), year=year))
    if not frames:
        notes.append(NO_APPLICATIONS.format(year=year, start=f"1 April {year - 1}", end=f"31 March {year}"))
    absent = [s for s in OPTIONAL if s not in present]
    if present and absent:
        notes.append(f"Stages not recorded (all NULL): {', '.join(absent)}; the funnel skips them.")
    frame = pd.concat(frames, ignore_index=True) if frames else empty_frame(by, ("year", "step"))
    tables = {"stages": pd.concat(stages, ignore_index=True)} if stages else {}
    return finish("funnel", frame, notes, settings, by=by, context=["year", "step"], tables=tables,
                  lead=["outcome", "step", "attributes", "year"],
                  extra_settings={"year": year, "org": org, "stages": present,
                                  "declined_offers": "reported separately; excluded from the step into appointed"})
