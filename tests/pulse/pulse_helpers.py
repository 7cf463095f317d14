"""Shared pulse test data: a survey definition and a store with a controllable date."""

from __future__ import annotations

from datetime import date

from parity.pulse.store import PulseStore
from parity.pulse.survey import survey_from_dict

OPEN_DAY = date(2026, 1, 7)

SURVEY = {
    "title": "Speaking up pulse", "org": "R0A", "opens": "2026-01-05", "closes": "2026-01-19",
    "access": "codes",
    "questions": [
        {"id": "q1", "text": "I feel able to speak up about things that concern me", "type": "agree5"},
        {"id": "q2", "bank": "equal_opportunities"},
        {"id": "q3", "text": "Anything else?", "type": "text"},
    ],
    "about_you": ["ethnicity", "disability"],
}


def survey(**changes):
    return survey_from_dict({**SURVEY, **changes})


class Clock:
    def __init__(self, day: date = OPEN_DAY) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


def store(tmp_path, day: date = OPEN_DAY) -> PulseStore:
    return PulseStore(tmp_path, today=Clock(day))
