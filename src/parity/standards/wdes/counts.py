"""The counts behind the WDES metrics (see `parity.indicators.standard_counts`)."""

from __future__ import annotations

from pathlib import Path

import ibis

from parity.indicators.groups import disability_group
from parity.indicators.runner import Runner
from parity.indicators.standard_counts import EventSpec, StandardCounts, count_standard

SURVEY_IDS = ["wdes.4a.i", "wdes.4a.ii", "wdes.4a.iii", "wdes.4b", "wdes.5", "wdes.6", "wdes.7", "wdes.8", "wdes.9a"]


def by_disability(t):
    return disability_group(t.disability)


def _formal_capability(t):
    """Entry into the formal capability procedure, on any grounds (WDES metric 3, ill health included)."""
    return t.filter(t.formal.fill_null(False)).select("org_code", "person_id", event_date=t.case_start_date)


def _formal_capability_performance(t):
    """Entry into the formal capability procedure on performance grounds only (ill health excluded)."""
    keep = t.formal.fill_null(False) & ~t.ill_health.fill_null(False)
    return t.filter(keep).select("org_code", "person_id", event_date=t.case_start_date)


EVENTS = (
    EventSpec("capability", "capability", _formal_capability),
    EventSpec("capability_performance", "capability", _formal_capability_performance),
)


def count_wdes(con: ibis.BaseBackend, *, workspace_dir: Path | None = None,
               exclude_declined: bool = True, runner: Runner | None = None,
               years: list[int] | None = None) -> StandardCounts:
    """Every WDES count (of the reporting ``years`` only, when given: `count_standard`)."""
    return count_standard(con, group=by_disability, events=EVENTS, survey_ids=SURVEY_IDS,
                          workspace_dir=workspace_dir, exclude_declined=exclude_declined, runner=runner,
                          years=years)
