"""The pool of answers waiting for the next step, kept so that no file shows the order they came in.

New answers wait in a pool (``released = 0``) until ``threshold`` of them have arrived, then are
released together (stepped refresh, docs/pulse.md). SQLite writes each new cell below the last one
in its page, whatever its key, so rows inserted one by one sit in the file in the order they came
(found by tests/web/test_pulse_anonymity.py). So at every answer the whole pool — at most
``threshold - 1`` earlier answers and the new one — is deleted (``secure_delete`` zeroes the
space) and written again under fresh random keys in a random order; a released step keeps the
random placement of its last rewrite. The write-ahead log would still hold each version of a page
in commit order, so it is emptied after every answer (`CHECKPOINTS`, in the background).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from pathlib import Path

_RNG = secrets.SystemRandom()
#: seconds between checkpoints: the log holds at most the answers of about this long
CHECKPOINT_GAP = 0.2


def add(con: sqlite3.Connection, survey_id: str, week: str, answers: dict, about: dict,
        comments: list[tuple[str, str]], threshold: int) -> bool:
    """Put one response (and its free text) in the pool, inside the caller's transaction; True when
    it completed a step and the pool was released."""
    responses = [(week, r["answers"], r["about"]) for r in con.execute(
        "SELECT week, answers, about FROM responses WHERE survey_id = ? AND released = 0", (survey_id,))]
    responses.append((week, json.dumps(answers, sort_keys=True), json.dumps(about, sort_keys=True)))
    texts = [(r["question_id"], r["text"]) for r in con.execute(
        "SELECT question_id, text FROM comments WHERE survey_id = ? AND released = 0", (survey_id,))]
    texts += comments
    released = int(len(responses) >= threshold)
    con.execute("DELETE FROM responses WHERE survey_id = ? AND released = 0", (survey_id,))
    con.execute("DELETE FROM comments WHERE survey_id = ? AND released = 0", (survey_id,))
    _RNG.shuffle(responses)
    _RNG.shuffle(texts)
    con.executemany("INSERT INTO responses (key, survey_id, week, released, answers, about) VALUES (?,?,?,?,?,?)",
                    [(secrets.token_bytes(16), survey_id, w, released, a, b) for w, a, b in responses])
    con.executemany("INSERT INTO comments (key, survey_id, question_id, released, text) VALUES (?,?,?,?,?)",
                    [(secrets.token_bytes(16), survey_id, q, released, t) for q, t in texts])
    return bool(released)


class _Checkpointer:
    """Empties write-ahead logs off the answer's path: one daemon thread runs
    ``wal_checkpoint(TRUNCATE)`` (copy the log into the database, fsync, truncate the log) for every
    file written to since its last run, at most every ``CHECKPOINT_GAP`` seconds. A checkpoint costs
    three fsyncs (about 25 ms on a small VM) and holds up writers while it runs; on each submit it
    capped answers at about 40 a second. The log then holds at most the answers of the last
    ``CHECKPOINT_GAP`` seconds and the checkpoint's own run."""

    def __init__(self) -> None:
        self._cv = threading.Condition()
        self._waiting: set[Path] = set()
        self._running: set[Path] = set()
        self._thread: threading.Thread | None = None

    def request(self, path: Path) -> None:
        with self._cv:
            self._waiting.add(path)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="pulse-checkpoint", daemon=True)
                self._thread.start()
            self._cv.notify_all()

    def wait(self, path: Path, timeout: float = 30.0) -> bool:
        """Block until no checkpoint of `path` is waiting or running; False on timeout."""
        with self._cv:
            return self._cv.wait_for(lambda: path not in self._waiting and path not in self._running, timeout)

    def _run(self) -> None:
        while True:
            with self._cv:
                self._cv.wait_for(lambda: self._waiting)
                self._running, self._waiting = self._waiting, set()
            for path in self._running:
                try:
                    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=30, isolation_level=None)
                    try:
                        con.execute("PRAGMA busy_timeout=30000")
                        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    finally:
                        con.close()
                except sqlite3.Error:  # the file went away (a rebuilt workspace): nothing to empty
                    pass
            with self._cv:
                self._running = set()
                self._cv.notify_all()
            time.sleep(CHECKPOINT_GAP)  # a checkpoint holds up writers: leave them most of the time


CHECKPOINTS = _Checkpointer()
