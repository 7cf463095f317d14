"""Pay gaps for a workspace: relevant employees at 31 March from `pay`, attributes from `workforce`.

`paygap(source, year=Y, by="sex")` reads the pay rows at the snapshot date (31 March Y, the public
sector snapshot), takes sex, ethnicity and disability from the pay extract where it carries them
and otherwise from the workforce snapshot through the pseudonymised ``person_id`` (as is the pay
band, for within-band gaps), then computes the statutory measures, the within-band gaps, the
band-mix decomposition and bootstrap intervals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ibis
import pandas as pd

from parity.indicators.populations import staff_in_post
from parity.indicators.source import open_source
from parity.paygap.bands import decompose_gap, within_band_gaps
from parity.paygap.bootstrap import bootstrap_gap_cis
from parity.paygap.disability import disability_pay_gap
from parity.paygap.ethnicity import ethnicity_pay_gap
from parity.paygap.sex import gender_pay_gap

ATTRIBUTES = {"sex": "sex", "ethnicity": "ethnic_category", "disability": "disability"}
NO_PAY = "No pay rows at the snapshot date {d} (import the pay extract with `parity import FILE --table pay`)"


@dataclass
class PayGapReport:
    by: str
    year: int
    organisation: str
    snapshot_date: str
    results: list[Any]
    within_band: pd.DataFrame
    decomposition: Any
    intervals: dict[str, dict[str, float | None]]
    employees: int
    notes: list[str] = field(default_factory=list)

    def gov_uk_row(self) -> dict[str, Any]:
        if self.by != "sex":
            raise ValueError("the GOV.UK CSV is for the gender pay gap: use --by sex")
        return self.results[0].gov_uk_row()

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per comparison x measure x group (x quarter); see `parity.paygap.frame`."""
        from parity.paygap.frame import paygap_frame

        return paygap_frame(self)

    def to_dict(self) -> dict[str, Any]:
        band = self.within_band.astype(object).where(self.within_band.notna(), None)
        return {
            "standard": "PAYGAP", "by": self.by, "year": self.year, "organisation": self.organisation,
            "snapshot_date": self.snapshot_date, "relevant_employees": self.employees,
            "results": [r.to_dict() for r in self.results],
            "bootstrap_intervals": self.intervals,
            "within_band": band.to_dict(orient="records"),
            "decomposition": self.decomposition.to_dict() if hasattr(self.decomposition, "to_dict") else None,
            "notes": self.notes,
        }


def relevant_employees(con: ibis.BaseBackend, *, year: int, org: str | None = None) -> pd.DataFrame:
    """One row per relevant employee at 31 March `year`, with sex, ethnicity, disability and band."""
    snap = date(year, 3, 31)
    pay = con.table("pay")
    pay = pay.filter(pay.snapshot_date == snap)
    if org is not None:
        pay = pay.filter(pay.org_code == org)
    if "workforce" in con.list_tables():
        staff = staff_in_post(con, include_bank=True)
        staff = staff.filter(staff.year == year).select(
            "org_code", "person_id", "pay_band", "staff_group", wf_sex="sex", wf_eth="ethnic_category", wf_dis="disability")
        pay = pay.left_join(staff, ["org_code", "person_id"]).select(
            *[c for c in pay.columns if c not in ("sex", "ethnic_category", "disability")], "pay_band", "staff_group",
            sex=ibis.coalesce(pay.sex, staff.wf_sex),
            ethnic_category=ibis.coalesce(pay.ethnic_category, staff.wf_eth),
            disability=ibis.coalesce(pay.disability, staff.wf_dis))
    df = pay.to_pandas()
    for col in ("pay_band", "staff_group"):
        if col not in df:
            df[col] = None
    df["full_pay"] = df["full_pay"].astype(bool)
    # one order whatever order DuckDB's join returns (the bootstrap draws people by position), and
    # the same rows in the same order whether read for one organisation or sliced from all (issue 19)
    return df.sort_values(["org_code", "person_id"], kind="stable", ignore_index=True)


def employees_of(con: ibis.BaseBackend, *, year: int, org: str | None, cache: dict | None) -> pd.DataFrame:
    """`relevant_employees`; with ``cache`` (a dict shared by calls on the same source), every
    organisation's are read once per year and each call takes its organisation's rows (issue 19: a
    report's three pay gaps, and every organisation's report, read the pay data once)."""
    if cache is None:
        return relevant_employees(con, year=year, org=org)
    every = cache.get(year)
    if every is None:
        every = cache[year] = relevant_employees(con, year=year)
    if org is None:
        return every.copy()
    by_org = cache.get((year, "by organisation"))
    if by_org is None:  # split once: a boolean mask over every organisation's rows per call cost more
        by_org = cache[(year, "by organisation")] = {str(o): g for o, g in every.groupby("org_code", sort=False)}
    part = by_org.get(org)
    return every.iloc[0:0].reset_index(drop=True) if part is None else part.reset_index(drop=True)


def paygap(source, *, year: int, by: str = "sex", org: str | None = None, min_group_size: int = 10,
           n_resamples: int = 2000, seed: int = 0, backend: str = "duckdb",
           employees: dict | None = None) -> PayGapReport:
    """Pay gaps by `by` at 31 March `year` for `org` (None: all organisations together).

    ``employees``: a dict shared by calls on the same source and data (`employees_of`), so the
    relevant employees are read once for every organisation rather than once per call."""
    if by not in ATTRIBUTES:
        raise ValueError(f"--by must be one of {', '.join(ATTRIBUTES)}")
    if employees is not None and year in employees:
        con = None  # every organisation's relevant employees are read already: no connection needed
    else:
        con, _ = open_source(source, backend=backend)
        if "pay" not in con.list_tables():
            raise ValueError(NO_PAY.format(d=date(year, 3, 31).isoformat()))
    df = employees_of(con, year=year, org=org, cache=employees)
    if df.empty:
        raise ValueError(NO_PAY.format(d=date(year, 3, 31).isoformat()))
    if df["person_id"].duplicated().any():
        # several organisations together: a pseudonym identifies a person within one organisation
        df["person_id"] = df["org_code"].astype(str) + ":" + df["person_id"].astype(str)
    snapshot = date(year, 3, 31).isoformat()
    if by == "sex":
        results = [gender_pay_gap(df, snapshot_date=snapshot)]
    elif by == "ethnicity":
        by_group = ethnicity_pay_gap(df, min_group_size=min_group_size)
        # issue 13: the headline is all ethnic minority staff together against White staff (the
        # comparison the bootstrap interval and decomposition are computed for); groups follow
        results = [by_group[-1], *by_group[:-1]]
    else:
        results = [disability_pay_gap(df, min_group_size=min_group_size)]
    intervals = {measure: {"ci_low": low, "ci_high": high, "confidence": 0.95, "resamples": n_resamples, "seed": seed}
                 for measure, (low, high) in bootstrap_gap_cis(df, attribute=by, n_resamples=n_resamples,
                                                               seed=seed).items()}
    notes = [f"Bootstrap: stratified percentile, {n_resamples} resamples, seed {seed}."]
    banded = df[df["pay_band"].notna()]
    if len(banded) < len(df):
        notes.append(f"{len(df) - len(banded):,} relevant employees have no pay band in the workforce snapshot "
                     "and are left out of the within-band gaps.")
    organisation = org or (df["org_code"].iloc[0] if df["org_code"].nunique() == 1 else "All organisations")
    return PayGapReport(by, year, organisation, snapshot, results, within_band_gaps(banded, attribute=by),
                        decompose_gap(banded, attribute=by), intervals, len(df), notes)
