"""Pulse surveys, single-use codes and anonymous responses in the workspace (``pulse.sqlite``).

Anonymous by construction (issue 16; docs/pulse.md, "What is stored"):

- codes are stored only as keyed hashes (HMAC-SHA256 with a per-survey random salt) and a
  ``used`` flag; a response row has no link to the code that admitted it;
- a response row holds the answers, the "about you" answers and the ISO week — no time, address,
  agent or sequence number. Tables are ``WITHOUT ROWID`` with a random 16-byte key, so the rows
  sit in random order on disk and every read is ordered by that key: insertion order is not kept;
- free-text answers are in their own table, with no key to the response or its "about you" answers;
- new responses wait in a pool (``released = 0``) until ``threshold`` of them have arrived, then
  are released together (stepped refresh: one new answer never changes the results page); the
  pool is rewritten in random order at every answer and the write-ahead log emptied, so neither
  the file nor its log shows the order answers came in (`parity.pulse.pool`).

Claiming a code and inserting the response happen in one ``BEGIN IMMEDIATE`` transaction with a
conditional ``UPDATE ... WHERE used = 0``: of several concurrent submits with one code exactly one
succeeds. SQLite in WAL mode, as for ``actions.sqlite`` (`parity.actions.store`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from parity.pulse import pool
from parity.pulse.bank import ABOUT_YOU, MAX_TEXT, OPTIONS
from parity.pulse.survey import Survey, survey_from_dict

FILE = "pulse.sqlite"
#: code alphabet without look-alikes (no 0/O, 1/I/L): 32 symbols, 5 bits each
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MAX_CODES = 100_000
#: WAL with synchronous=NORMAL: a commit survives the process crashing, and is fsynced at checkpoints
#: rather than on every answer (a power cut may lose the last moments' answers, never corrupt the file)
SYNCHRONOUS = "NORMAL"
JOURNAL = "WAL"
#: per thread, one open connection per pulse.sqlite (`PulseStore._db`)
_LOCAL = threading.local()

MSG_NO_SURVEY = "No pulse survey {id} in this workspace"
MSG_CODE = "This code cannot be used: it is not a code for this survey, or it has already been used."
MSG_CODE_NEEDED = "This survey needs a code: enter the code you were given."
MSG_CLOSED = "This survey closed on {closes}; it no longer takes answers."
MSG_NOT_OPEN = "This survey opens on {opens}; it does not take answers yet."
MSG_NO_WORKSPACE = "{path} is not a folder: give the workspace folder (parity workspace init)"

SCHEMA = """
CREATE TABLE IF NOT EXISTS surveys (
  id TEXT PRIMARY KEY, org_code TEXT NOT NULL, definition TEXT NOT NULL, salt BLOB NOT NULL,
  closed INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS codes (
  survey_id TEXT NOT NULL, hash BLOB NOT NULL, used INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (survey_id, hash)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS responses (
  key BLOB PRIMARY KEY, survey_id TEXT NOT NULL, week TEXT NOT NULL, released INTEGER NOT NULL,
  answers TEXT NOT NULL, about TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS comments (
  key BLOB PRIMARY KEY, survey_id TEXT NOT NULL, question_id TEXT NOT NULL, released INTEGER NOT NULL,
  text TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS responses_survey ON responses(survey_id, released);
CREATE INDEX IF NOT EXISTS comments_survey ON comments(survey_id, released);
"""


class PulseError(ValueError):
    """A refused submission; the message is safe to show to the respondent."""


class CodeRefused(PulseError):
    """Unknown or already used code (one wording for both: the page need not say which)."""


class SurveyClosed(PulseError):
    """The survey is closed or not open yet."""


class InvalidAnswer(PulseError):
    """An answer that is missing or not one of the options; names the question."""


class SurveyNotFound(KeyError):
    pass


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def normalise_code(code: str) -> str:
    """Upper case, letters and digits only: "abcde-fghjk " and "ABCDEFGHJK" are the same code."""
    return "".join(ch for ch in str(code).upper() if ch.isalnum())


def _code_hash(salt: bytes, code: str) -> bytes:
    # Codes carry 50 random bits, so a fast keyed hash is enough: a slow password hash (Argon2)
    # protects low-entropy secrets, and would only slow every submit. The per-survey salt stops a
    # hash being matched across surveys or against a precomputed table.
    return hmac.new(salt, normalise_code(code).encode("ascii", "ignore"), hashlib.sha256).digest()


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return None


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


class PulseStore:
    def __init__(self, workspace, *, today: Callable[[], date] = date.today) -> None:
        root = Path(getattr(workspace, "path", workspace))
        if not root.is_dir():
            raise FileNotFoundError(MSG_NO_WORKSPACE.format(path=root))
        self.path = root / FILE
        self.today = today

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """This thread's open connection to the file (kept open: closing the last connection to a
        WAL database checkpoints and deletes the log, which made each answer ten times slower)."""
        cache = _LOCAL.__dict__.setdefault("connections", {})
        con, inode = cache.get(self.path, (None, None))
        if con is not None and _inode(self.path) != inode:  # the file was replaced (a rebuilt workspace)
            con.close()
            con = None
        if con is None:
            new = not self.path.exists()
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            if new:
                os.chmod(self.path, 0o600)  # special-category data: owner only, like the workspace
            con.execute("PRAGMA busy_timeout=30000")
            con.execute("PRAGMA secure_delete=ON")  # freed pages are zeroed, not left readable
            con.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
            con.execute(f"PRAGMA journal_mode={JOURNAL}")
            con.executescript(SCHEMA)
            con.row_factory = sqlite3.Row
            cache[self.path] = (con, _inode(self.path))
        try:
            yield con
        finally:
            if con.in_transaction:  # an error between BEGIN and COMMIT: never leave the lock held
                con.execute("ROLLBACK")

    # surveys ---------------------------------------------------------------------------------
    def create(self, survey: Survey) -> str:
        """Store `survey` (checked again) and return its random, URL-safe, unguessable id."""
        checked = survey_from_dict(survey.to_dict(), survey.title)
        survey_id = secrets.token_urlsafe(12)
        with self._db() as con:
            con.execute("INSERT INTO surveys (id, org_code, definition, salt) VALUES (?,?,?,?)",
                        (survey_id, checked.org, json.dumps(checked.to_dict()), secrets.token_bytes(32)))
        return survey_id

    def _state(self, survey: Survey, closed: bool) -> str:
        today = self.today()
        if closed or today > survey.closes:
            return "closed"
        return "scheduled" if today < survey.opens else "open"

    def _survey(self, row: sqlite3.Row) -> Survey:
        survey = survey_from_dict(json.loads(row["definition"]), row["id"])
        survey.id = row["id"]
        survey.state = self._state(survey, bool(row["closed"]))
        return survey

    def _row(self, con: sqlite3.Connection, survey_id: str) -> sqlite3.Row:
        row = con.execute("SELECT * FROM surveys WHERE id = ?", (str(survey_id),)).fetchone()
        if row is None:
            raise SurveyNotFound(MSG_NO_SURVEY.format(id=survey_id))
        return row

    def get(self, survey_id: str) -> Survey:
        with self._db() as con:
            return self._survey(self._row(con, survey_id))

    def list(self, org: str | None = None) -> list[Survey]:
        """Surveys, newest opening date first (then by title)."""
        with self._db() as con:
            rows = con.execute("SELECT * FROM surveys").fetchall()
        surveys = [self._survey(r) for r in rows if org is None or r["org_code"] == org]
        return sorted(surveys, key=lambda s: (-s.opens.toordinal(), s.title, s.id))

    def close(self, survey_id: str) -> None:
        with self._db() as con:
            self._row(con, survey_id)
            con.execute("UPDATE surveys SET closed = 1 WHERE id = ?", (survey_id,))
        pool.CHECKPOINTS.request(self.path)

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until the write-ahead log has been emptied after the last answer (tests, shutdown)."""
        return pool.CHECKPOINTS.wait(self.path, timeout)

    # codes -----------------------------------------------------------------------------------
    def issue_codes(self, survey_id: str, n: int) -> list[str]:
        """`n` new single-use codes. The plain codes are returned here once and never stored."""
        if not 1 <= int(n) <= MAX_CODES:
            raise ValueError(f"Ask for between 1 and {MAX_CODES} codes (asked for {n})")
        codes: list[str] = []
        with self._db() as con:
            row = self._row(con, survey_id)
            con.execute("BEGIN IMMEDIATE")
            while len(codes) < n:
                code = _new_code()
                cur = con.execute("INSERT OR IGNORE INTO codes (survey_id, hash) VALUES (?,?)",
                                  (survey_id, _code_hash(row["salt"], code)))
                if cur.rowcount == 1:  # a clash with an earlier code (about 1 in 10^15) is drawn again
                    codes.append(code)
            con.execute("COMMIT")
        return codes

    def code_counts(self, survey_id: str) -> dict[str, int]:
        with self._db() as con:
            self._row(con, survey_id)
            issued, used = con.execute("SELECT COUNT(*), COALESCE(SUM(used), 0) FROM codes WHERE survey_id = ?",
                                       (survey_id,)).fetchone()
        return {"issued": issued, "used": used}

    # answering -------------------------------------------------------------------------------
    @staticmethod
    def _checked(survey: Survey, answers: dict, about_you: dict) -> tuple[dict, dict, list[tuple[str, str]]]:
        """Answers as stored: every yes/no and agreement question answered with one of its options,
        free text apart (optional, at most MAX_TEXT characters); every "about you" question answered
        (each offers "Prefer not to say"). Required answers keep every group's n the same across
        questions, so comparing questions cannot single anyone out."""
        answers, about_you = dict(answers or {}), dict(about_you or {})
        known = {q.id for q in survey.questions}
        extra = sorted(set(map(str, answers)) - known)
        if extra:
            raise InvalidAnswer(f"There is no question {extra[0]!r} in this survey.")
        stored, comments = {}, []
        for q in survey.questions:
            value = answers.get(q.id)
            if q.type == "text":
                if value is not None and not isinstance(value, str):
                    raise InvalidAnswer(f"Your answer to \"{q.text}\" should be text.")
                text = "" if value is None else value.strip()
                if len(text) > MAX_TEXT:
                    raise InvalidAnswer(f"Your answer to \"{q.text}\" is longer than {MAX_TEXT} characters.")
                if text:
                    comments.append((q.id, text))
            elif not isinstance(value, str) or value not in dict(OPTIONS[q.type]):
                raise InvalidAnswer(f"Answer the question \"{q.text}\".")
            else:
                stored[q.id] = value
        extra = sorted(set(map(str, about_you)) - set(survey.about_you))
        if extra:
            raise InvalidAnswer(f"This survey does not ask {extra[0]!r}.")
        about = {}
        for attr in survey.about_you:
            value = about_you.get(attr)
            if not isinstance(value, str) or value not in dict(ABOUT_YOU[attr].options):
                raise InvalidAnswer(f"Answer the question \"{ABOUT_YOU[attr].question}\" "
                                    "(\"Prefer not to say\" is an answer).")
            about[attr] = value
        return stored, about, comments

    def submit(self, survey_id: str, answers: dict, about_you: dict | None = None, code: str | None = None) -> None:
        """Record one response; claim `code` (code surveys) in the same transaction.

        Raises `SurveyClosed`, `InvalidAnswer` (before any code is used), `CodeRefused`, or
        `SurveyNotFound`.
        """
        survey = self.get(survey_id)
        stored, about, comments = self._checked(survey, answers, about_you or {})
        week = iso_week(self.today())
        with self._db() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                survey = self._survey(self._row(con, survey_id))  # closed since? read under the lock
                if survey.state == "closed":
                    raise SurveyClosed(MSG_CLOSED.format(closes=survey.closes.isoformat()))
                if survey.state == "scheduled":
                    raise SurveyClosed(MSG_NOT_OPEN.format(opens=survey.opens.isoformat()))
                if survey.access == "codes":
                    if not code or not normalise_code(code):
                        raise CodeRefused(MSG_CODE_NEEDED)
                    salt = con.execute("SELECT salt FROM surveys WHERE id = ?", (survey_id,)).fetchone()[0]
                    cur = con.execute("UPDATE codes SET used = 1 WHERE survey_id = ? AND hash = ? AND used = 0",
                                      (survey_id, _code_hash(salt, code)))
                    if cur.rowcount != 1:
                        raise CodeRefused(MSG_CODE)
                pool.add(con, survey_id, week, stored, about, comments, survey.threshold)
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        pool.CHECKPOINTS.request(self.path)  # the log's frames would show the order of answers

    # reading responses -----------------------------------------------------------------------
    def response_count(self, survey_id: str) -> int:
        """All responses received (released or waiting for the next step)."""
        with self._db() as con:
            self._row(con, survey_id)
            return con.execute("SELECT COUNT(*) FROM responses WHERE survey_id = ?", (survey_id,)).fetchone()[0]

    def responses(self, survey_id: str) -> list[tuple[dict, dict]]:
        """(answers, about you) of the responses results may use, in stored (random) order: released
        steps only, also after the close. The fewer than ``threshold`` answers still waiting at the
        close stay counted but out of the figures: published with the rest, they would be the
        difference between the last step's figures and the final ones — a few people's answers,
        perhaps one person's."""
        with self._db() as con:
            self._row(con, survey_id)  # unknown survey: the same error as elsewhere
            rows = con.execute("SELECT answers, about FROM responses WHERE survey_id = ? AND released = 1 ORDER BY key",
                               (survey_id,)).fetchall()
        return [(json.loads(r["answers"]), json.loads(r["about"])) for r in rows]

    def comments(self, survey_id: str) -> list[tuple[str, str]]:
        """(question id, text) of free-text answers results may use, in stored (random) order; not
        linked to any response. Access control and redaction: `parity.pulse.results.free_text`."""
        with self._db() as con:
            self._row(con, survey_id)
            rows = con.execute("SELECT question_id, text FROM comments WHERE survey_id = ? AND released = 1 ORDER BY key",
                               (survey_id,)).fetchall()
        return [(r["question_id"], r["text"]) for r in rows]
