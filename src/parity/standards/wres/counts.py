"""The counts behind the nine WRES indicators (see `parity.indicators.standard_counts`)."""

from __future__ import annotations

from pathlib import Path

import ibis

from parity.indicators.groups import ethnicity_group
from parity.indicators.runner import Runner
from parity.indicators.standard_counts import EventSpec, StandardCounts, count_standard
from parity.standards.wres.definitions import SURVEY_IDS


def by_ethnicity(t):
    return ethnicity_group(t.ethnic_category)


def _formal_disciplinary(t):
    """Entry into a formal disciplinary investigation (WRES indicator 3)."""
    return t.filter(t.formal.fill_null(False)).select("org_code", "person_id", event_date=t.case_start_date)


def _non_mandatory_training(t):
    """Non-mandatory training and CPD (WRES indicator 4)."""
    return t.filter(t.non_mandatory.fill_null(False)).select("org_code", "person_id", event_date=t.course_date)


EVENTS = (
    EventSpec("disciplinary", "disciplinary", _formal_disciplinary),
    EventSpec("training", "training", _non_mandatory_training, among_staff=True),
)


def count_wres(con: ibis.BaseBackend, *, workspace_dir: Path | None = None,
               exclude_declined: bool = True, runner: Runner | None = None,
               years: list[int] | None = None) -> StandardCounts:
    """Every WRES count (of the reporting ``years`` only, when given: `count_standard`)."""
    return count_standard(con, group=by_ethnicity, events=EVENTS, survey_ids=SURVEY_IDS,
                          workspace_dir=workspace_dir, exclude_declined=exclude_declined, runner=runner,
                          years=years)
