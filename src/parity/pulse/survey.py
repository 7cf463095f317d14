"""Pulse survey definitions and the survey file (issue 16; docs/pulse.md, "The survey file").

A survey file is YAML with the keys ``title, org, opens, closes, access, questions, about_you``
(public interface) and optionally ``threshold``. It is parsed with the same size and alias-expansion
limits as mapping files (`parity.ingest.mapping.parse_yaml`), and every error names the file, the
key and what to write instead.

>>> s = survey_from_dict({"title": "Pulse", "org": "R0A", "opens": "2026-01-05", "closes": "2026-01-19",
...                       "questions": [{"id": "q1", "bank": "equal_opportunities"}]})
>>> s.questions[0].type, s.access, s.threshold
('yes_no', 'codes', 11)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from parity.ingest.limits import DEFAULT, LimitExceeded, Limits, check
from parity.ingest.mapping import parse_yaml
from parity.pulse.bank import ABOUT_YOU, BANK, QUESTION_TYPES

#: the fewest responses any published figure may rest on (NHS Staff Survey practice: 11)
MIN_THRESHOLD = 11
ACCESS = ("codes", "open")
KEYS = ("title", "org", "opens", "closes", "access", "questions", "about_you", "threshold")
QUESTION_KEYS = ("id", "text", "type", "bank")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,39}$")
MAX_QUESTIONS = 60

MSG_THRESHOLD = ("{file}: threshold is {value}; it may be raised above {min} but never set lower, because "
                 "results for fewer than {min} people can identify them. Remove the key or use {min} or more.")


class SurveyFileError(ValueError):
    """A survey definition that cannot be used; the message names the file, key and fix."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: str
    bank: str | None = None


@dataclass
class Survey:
    """A survey as defined; ``id`` and ``state`` (scheduled/open/closed) are set by the store."""

    title: str
    org: str
    opens: date
    closes: date
    access: str
    questions: list[Question]
    about_you: list[str] = field(default_factory=list)
    threshold: int = MIN_THRESHOLD
    id: str | None = None
    state: str | None = None

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)

    def to_dict(self) -> dict:
        """The survey file's keys (round-trips through `survey_from_dict`)."""
        return {"title": self.title, "org": self.org, "opens": self.opens.isoformat(),
                "closes": self.closes.isoformat(), "access": self.access,
                "questions": [{"id": q.id, "text": q.text, "type": q.type, **({"bank": q.bank} if q.bank else {})}
                              for q in self.questions],
                "about_you": list(self.about_you), "threshold": self.threshold}


def _fail(file: str, key: str, problem: str, fix: str) -> SurveyFileError:
    return SurveyFileError(f"{file}: {key} {problem}. {fix}")


def _text(d: dict, key: str, file: str, where: str | None = None, limit: int = 300) -> str:
    value = d.get(key)
    name = where or key
    if not isinstance(value, str | int) or not str(value).strip():
        raise _fail(file, name, "is missing or empty", f"Write it as text, e.g. `{key}: ...`")
    if len(str(value)) > limit:
        raise _fail(file, name, f"is longer than {limit} characters", "Shorten it")
    return str(value).strip()


def _date(d: dict, key: str, file: str) -> date:
    value = d.get(key)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _fail(file, key, f"is {value!r}, not a date", f"Write it as YYYY-MM-DD, e.g. `{key}: 2026-01-05`") \
            from None


def _question(item: object, i: int, file: str) -> Question:
    where = f"questions[{i}]"
    if not isinstance(item, dict):
        raise _fail(file, where, "is not a mapping", "Give each question `id`, `text` and `type`")
    unknown = sorted(set(map(str, item)) - set(QUESTION_KEYS))
    if unknown:
        raise _fail(file, f"{where}.{unknown[0]}", "is not a question key", f"Use {', '.join(QUESTION_KEYS)}")
    bank_id = item.get("bank")
    if bank_id is not None and bank_id not in BANK:
        raise _fail(file, f"{where}.bank", f"is {bank_id!r}, not in the question bank",
                    f"Use one of {', '.join(BANK)} (docs/pulse.md), or give your own text and type")
    base = BANK.get(bank_id) if bank_id else None
    qid = str(item.get("id", "")).strip()
    if not _ID.match(qid):
        raise _fail(file, f"{where}.id", f"is {qid!r}", "Use a short id of letters, digits, _ . - (e.g. q1)")
    merged = {"text": base.text if base else None, "type": base.type if base else None,
              **{k: v for k, v in item.items() if v is not None}}
    text = _text(merged, "text", file, f"{where}.text", 500)
    qtype = merged.get("type")
    if qtype not in QUESTION_TYPES:
        raise _fail(file, f"{where}.type", f"is {qtype!r}", f"Use one of {' | '.join(QUESTION_TYPES)}")
    return Question(qid, text, qtype, bank_id)


def survey_from_dict(d: object, file: str = "survey") -> Survey:
    """Check a parsed survey definition and build the `Survey`; errors name `file` and the key."""
    if not isinstance(d, dict):
        raise SurveyFileError(f"{file}: a survey file is a YAML mapping with keys {', '.join(KEYS)} (docs/pulse.md)")
    unknown = sorted(set(map(str, d)) - set(KEYS))
    if unknown:
        raise _fail(file, unknown[0], "is not a survey key", f"Use {', '.join(KEYS)} (docs/pulse.md)")
    opens, closes = _date(d, "opens", file), _date(d, "closes", file)
    if closes < opens:
        raise _fail(file, "closes", f"({closes}) is before opens ({opens})", "Give a closing date on or after it")
    access = d.get("access", "codes")
    if access not in ACCESS:
        raise _fail(file, "access", f"is {access!r}", "Use `codes` (single-use codes) or `open` (anyone with the link)")
    items = d.get("questions")
    if not isinstance(items, list) or not items:
        raise _fail(file, "questions", "is missing or empty", "List at least one question with id, text and type")
    if len(items) > MAX_QUESTIONS:
        raise _fail(file, "questions", f"has {len(items)} questions", f"A pulse has at most {MAX_QUESTIONS}")
    questions = [_question(item, i, file) for i, item in enumerate(items)]
    seen: set[str] = set()
    for i, q in enumerate(questions):
        if q.id in seen:
            raise _fail(file, f"questions[{i}].id", f"repeats {q.id!r}", "Give every question its own id")
        seen.add(q.id)
    about = d.get("about_you") or []
    if not isinstance(about, list) or any(a not in ABOUT_YOU for a in about) or len(set(about)) != len(about):
        raise _fail(file, "about_you", f"is {about!r}", f"List some of {', '.join(ABOUT_YOU)}, each once")
    threshold = d.get("threshold", MIN_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise _fail(file, "threshold", f"is {threshold!r}", f"Give a whole number, {MIN_THRESHOLD} or more")
    if threshold < MIN_THRESHOLD:
        raise SurveyFileError(MSG_THRESHOLD.format(file=file, value=threshold, min=MIN_THRESHOLD))
    return Survey(title=_text(d, "title", file), org=_text(d, "org", file, limit=20), opens=opens, closes=closes,
                  access=access, questions=questions, about_you=list(about), threshold=threshold)


def load_survey_file(path: str | Path, limits: Limits = DEFAULT, *, org: str | None = None) -> Survey:
    """Read and check a survey YAML file (size and alias limits as for mapping files).

    `org` (the CLI's ``--org``) fills in a missing ``org`` key; a file naming another one is an error.
    """
    path = Path(path)
    try:
        check(limits, "max_yaml_bytes", path.stat().st_size, path.name)
        data = parse_yaml(path.read_text(encoding="utf-8-sig"), path.name, limits)
    except LimitExceeded as exc:
        raise SurveyFileError(str(exc)) from exc
    except (OSError, yaml.YAMLError, UnicodeDecodeError, RecursionError) as exc:
        raise SurveyFileError(f"{path.name}: could not read the survey file: {exc}") from exc
    if org and isinstance(data, dict):
        if data.get("org") not in (None, "", org):
            raise _fail(path.name, "org", f"is {data['org']!r} but --org is {org!r}",
                        "Make them the same, or leave `org` out of the file")
        data = {**data, "org": org}
    return survey_from_dict(data, path.name)
