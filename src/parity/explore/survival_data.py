"""Spells for survival analysis, from successive 31 March workforce snapshots (issue 17).

A *spell* is a stretch of time a person is at risk of one event, with its length in years and
whether it ended in the event (``event`` 1) or was censored (0):

- **promotion** (`promotion_spells`): consecutive snapshots of a person in the same organisation in
  the same Agenda for Change band (bands and VSM on one ladder, `parity.contract.codes.BAND_ORDER`).
  The spell ends in promotion when the next snapshot (a year later) has a higher band; it is
  censored at the last snapshot in band when the person is not in post a year later (left, moved
  organisation, or the end of the data), moved down a band, or moved off the ladder (medical
  grades are on no AfC ladder and have no spells). A person who leaves is therefore counted as
  at risk until they were last seen, never as "not promoted".
- **leaving** (`leaving_spells`): consecutive snapshots of a person in post in one organisation.
  The spell ends in leaving when the organisation's ``leavers`` table has the person leaving in
  the financial year after the last snapshot (time = leave date − first snapshot, counted in whole
  months — the month of leaving — and given in years: monthly ties keep the Cox fit fast, since
  Efron's method works time by distinct time); it is censored at the last snapshot otherwise (still in
  post at the end of the data, or gone without a leaver record). Without a ``leavers`` table,
  absence from the next snapshot counts as leaving at that snapshot (noted).

Times are in years from the first snapshot of the spell. **Left truncation**: the contract has no
date of entry into a band (nor a start date), so a person already in band at the first snapshot
of the data has an unknown time in band before it; their clock starts when first seen (stated in
the result's notes with how many spells that is; `new_only=True` keeps only spells that start
within the data — promoted into the band or joined — for which the clock is right to within a
year). Delayed entry would need that unknown time, so it is not used.

Yearly snapshots make promotion times interval-censored (promoted some time in the year before
the snapshot) and heavily tied: the models use Efron's tie correction (`survival_fit`), which
approximates the grouped-time proportional hazards model well when yearly hazards are small.
Attributes and covariates are taken as at the start of the spell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parity.contract.codes import BAND_ORDER

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
SPELL_COLUMNS = ("org_code", "person_id", "start_year", "start_band", "time", "event", "left_truncated")


def _runs(panel: pd.DataFrame, same: list[str]) -> pd.Series:
    """Run number of each row: a new run when the person changes, a year is skipped or `same` changes."""
    prev = panel.shift(1)
    new = ((panel.org_code != prev.org_code) | (panel.person_id != prev.person_id)
           | (panel.year != prev.year + 1))
    for column in same:
        new |= panel[column] != prev[column]
    return new.cumsum()


def _sorted(panel: pd.DataFrame) -> pd.DataFrame:
    return panel.sort_values(["org_code", "person_id", "year"], kind="stable").reset_index(drop=True)


def _first_year(panel: pd.DataFrame) -> pd.Series:
    """The first snapshot of each organisation's data (spells starting then are left-truncated)."""
    return panel.groupby("org_code", observed=True).year.transform("min")


def promotion_spells(panel: pd.DataFrame, *, last_year: int | None = None) -> pd.DataFrame:
    """Spells in band until promotion or censoring, one row each, attributes as at the start.

    `panel`: one row per person in post per snapshot: ``org_code, person_id, year, pay_band`` and
    any attribute or covariate columns. `last_year`: the last snapshot used (default the panel's).
    """
    p = _sorted(panel if last_year is None else panel[panel.year <= last_year])
    p = p.assign(_rank=p.pay_band.map(BAND_ORDER), _first=_first_year(p))
    groups = p.groupby(_runs(p, ["pay_band"]), sort=True)  # runs are contiguous, numbered in order
    first, tail = groups.head(1).reset_index(drop=True), groups.tail(1)
    nxt, last = p.shift(-1).loc[tail.index].reset_index(drop=True), tail.reset_index(drop=True)
    continues = (nxt.org_code == last.org_code) & (nxt.person_id == last.person_id) & (nxt.year == last.year + 1)
    promoted = (continues & (nxt._rank > last._rank)).to_numpy()
    time = (last.year - first.year).to_numpy() + promoted
    spells = first.assign(start_year=first.year, start_band=first.pay_band, time=time.astype(float),
                          event=promoted.astype(int), left_truncated=(first.year == first._first).to_numpy())
    spells = spells[spells._rank.notna() & (spells.time > 0)]
    return spells.drop(columns=["_rank", "_first", "year"]).reset_index(drop=True)


def leaving_spells(panel: pd.DataFrame, leavers: pd.DataFrame | None, *,
                   last_year: int | None = None) -> pd.DataFrame:
    """Spells in post until leaving or censoring, one row each, attributes as at the start.

    `leavers`: ``org_code, person_id, leave_date`` (None when there is no leavers table: absence
    from the next snapshot is then leaving at that snapshot).
    """
    p = _sorted(panel if last_year is None else panel[panel.year <= last_year])
    end = int(p.year.max()) if last_year is None else last_year
    p = p.assign(_first=_first_year(p))
    groups = p.groupby(_runs(p, []), sort=True)
    first, last = groups.head(1).reset_index(drop=True), groups.tail(1).reset_index(drop=True)
    start = pd.to_datetime(first.year.astype(str) + "-03-31")
    censored = (last.year - first.year).astype(float)
    time, event = censored.to_numpy().copy(), np.zeros(len(first), int)
    gone = (last.year < end).to_numpy()
    if leavers is None:
        event[gone] = 1
        time[gone] += 1
    else:
        lv = leavers.assign(leave_date=pd.to_datetime(leavers.leave_date))
        lv = lv.assign(year=lv.leave_date.dt.year + (lv.leave_date.dt.month > 3))  # financial year ending
        lv = lv.sort_values("leave_date").drop_duplicates(["org_code", "person_id", "year"])
        key = last[["org_code", "person_id"]].assign(year=last.year + 1)
        hit = key.merge(lv, on=["org_code", "person_id", "year"], how="left").leave_date
        left = gone & hit.notna().to_numpy()
        event[left] = 1
        months = np.ceil((hit[left] - start[left]).dt.days.to_numpy() / DAYS_PER_MONTH)  # the month of leaving
        time[left] = np.maximum(months, 1) / 12
    spells = first.assign(start_year=first.year, start_band=first.pay_band, time=time, event=event,
                          left_truncated=(first.year == first._first).to_numpy())
    spells = spells[spells.time > 0]
    return spells.drop(columns=["_first", "year"]).reset_index(drop=True)
