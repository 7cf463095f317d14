"""What an action is: the fields, the statuses, and a target such as ``<=1.25`` by 2027."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

STATUSES = ("planned", "in_progress", "done", "stopped")
BAD_STATUS = "Unknown status {value!r}: choose from planned, in_progress, done, stopped"
BAD_TARGET = "A target looks like '<=1.25', '>= 80' or '< 0.8' (a comparison and a number), got {value!r}"
BAD_DATES = "The due date ({due}) is before the start date ({start})"
BAD_INDICATOR = "Unknown indicator {value!r}: use a catalogue id such as wres.2 or wdes.4a.ii{cells}"
BAD_CELL = ("An explorer cell looks like 'explore:OUTCOME:attribute=value[,attribute=value]', e.g. "
            "explore:disciplinary:ethnicity=Black,sex=female; got {value!r}")
NO_TITLE = "An action needs a title"

_TARGET = re.compile(r"^\s*(<=|>=|<|>|=)\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Target:
    op: str
    value: float

    @classmethod
    def parse(cls, text: str | None) -> Target | None:
        if text is None or str(text).strip() == "":
            return None
        m = _TARGET.match(str(text))
        if not m:
            raise ValueError(BAD_TARGET.format(value=text))
        return cls(m.group(1), float(m.group(2)))

    def met_by(self, value: float) -> bool:
        return {"<=": value <= self.value, ">=": value >= self.value, "<": value < self.value,
                ">": value > self.value, "=": value == self.value}[self.op]

    def __str__(self) -> str:
        return f"{self.op}{self.value:g}"


@dataclass
class Update:
    """A dated progress note (and the status it set, if any)."""

    date: date
    note: str
    author: str
    status: str | None = None

    def to_dict(self) -> dict:
        return {"date": self.date.isoformat(), "note": self.note, "author": self.author, "status": self.status}


@dataclass
class Action:
    org: str
    title: str
    indicators: list[str]
    owner: str
    start: date
    due: date
    status: str = "planned"
    description: str = ""
    target: Target | None = None
    target_year: int | None = None
    id: int | None = None
    version: int = 0
    updated_at: str | None = None
    updated_by: str | None = None
    updates: list[Update] = field(default_factory=list)

    def check(self) -> Action:
        if not self.title or not self.title.strip():
            raise ValueError(NO_TITLE)
        if self.status not in STATUSES:
            raise ValueError(BAD_STATUS.format(value=self.status))
        if self.due < self.start:
            raise ValueError(BAD_DATES.format(due=self.due, start=self.start))
        for ref in self.indicators:
            check_reference(ref)
        return self

    def to_dict(self) -> dict:
        return {"id": self.id, "org": self.org, "title": self.title, "description": self.description,
                "indicators": list(self.indicators), "owner": self.owner, "start": self.start.isoformat(),
                "due": self.due.isoformat(), "status": self.status,
                "target": str(self.target) if self.target else None, "target_year": self.target_year,
                "version": self.version, "updated_at": self.updated_at, "updated_by": self.updated_by,
                "updates": [u.to_dict() for u in self.updates]}


def check_reference(ref: str) -> str:
    """A catalogue indicator id (``wres.2``) or an explorer cell (``explore:disciplinary:ethnicity=Black``)."""
    if ref.startswith("explore:"):
        parse_cell(ref)
        return ref
    from parity.indicators.catalogue import CATALOGUE, indicators

    indicators("WRES")  # loads the catalogue
    if ref not in CATALOGUE:
        raise ValueError(BAD_INDICATOR.format(value=ref, cells=", or an explorer cell explore:OUTCOME:attr=value"))
    return ref


def parse_cell(ref: str) -> tuple[str, dict[str, str]]:
    """``explore:disciplinary:ethnicity=Black,sex=female`` → ("disciplinary", {...})."""
    parts = ref.split(":", 2)
    if len(parts) != 3 or not parts[1] or not parts[2]:
        raise ValueError(BAD_CELL.format(value=ref))
    group = {}
    for item in parts[2].split(","):
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ValueError(BAD_CELL.format(value=ref))
        group[name.strip()] = value.strip()
    return parts[1].strip(), group
