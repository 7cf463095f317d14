"""What keeps the pulse respondent routes (``/pulse/...``) anonymous and hard to abuse (issue 16).

- `PulseAnonymity` (ASGI middleware): a respondent request arrives without the dashboard's session
  cookie, so a signed-in colleague answering in the same browser is never tied to the answer (the
  session's sliding expiry would otherwise be written at the moment of submission). CSRF then binds
  to the pre-session cookie, as on the sign-in form; nothing about it is stored.
- `DropPulseRequests` (logging filter): the access log has no line for ``/pulse/`` at all. An address,
  a user agent, or only the time and order of a request next to a survey's response count could
  identify a respondent, so scrubbing one field is not enough.
- `PulseThrottle`: failed codes limited per survey and per network address, open-link submissions
  per survey and per address, within a window — in memory only. An address is kept as a keyed hash
  (HMAC-SHA256 under a key made at start and never written), in a bounded map: nothing on disk, and
  after a restart nobody can test which addresses the map held.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import re
import secrets
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass

SESSION_COOKIE = "parity_session"
#: respondent routes; the dashboard's survey pages live under /o/<org>/pulse and are ordinary pages
RESPONDENT = re.compile(r"^/pulse(/|$)")
#: addresses (as keyed hashes) remembered at once; the oldest are forgotten first
MAX_ADDRESSES = 20_000
MAX_SURVEYS = 2_000

MESSAGES = {
    ("code", "address"): "Too many codes that did not work were entered from your network. "
                         "Try again in {minutes} minutes.",
    ("code", "survey"): "Too many codes that did not work have been entered for this survey. "
                        "Try again in {minutes} minutes.",
    ("open", "address"): "This survey has had as many answers from your network as it accepts in "
                         "{window} minutes. Try again in {minutes} minutes.",
    ("open", "survey"): "This survey has had as many answers as it accepts in {window} minutes. "
                        "Try again in {minutes} minutes.",
}


def is_respondent(path: str) -> bool:
    return bool(RESPONDENT.match(path))


class PulseAnonymity:
    """Pure ASGI middleware (outermost): the session cookie never reaches a respondent route."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and is_respondent(scope["path"]):
            scope = dict(scope, headers=[(k, _without_session(v) if k == b"cookie" else v)
                                         for k, v in scope["headers"]])
        await self.app(scope, receive, send)


def _without_session(header: bytes) -> bytes:
    kept = [c for c in header.split(b";") if c.strip().split(b"=", 1)[0] != SESSION_COOKIE.encode()]
    return b";".join(kept)


class DropPulseRequests(logging.Filter):
    """No access-log line for a respondent route (uvicorn's args: address, method, path, version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not any(isinstance(a, str) and is_respondent(a) for a in args[1:3])


def drop_pulse_requests(logger_name: str = "uvicorn.access") -> None:
    """Install `DropPulseRequests` on the server's access logger (once)."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, DropPulseRequests) for f in logger.filters):
        logger.addFilter(DropPulseRequests())


@dataclass(frozen=True)
class Blocked:
    kind: str  # code or open
    scope: str  # address or survey
    seconds: int
    window: int

    @property
    def message(self) -> str:
        return MESSAGES[(self.kind, self.scope)].format(minutes=max(1, math.ceil(self.seconds / 60)),
                                                        window=max(1, self.window // 60))


@dataclass(frozen=True)
class Attempt:
    kind: str
    keys: tuple[str, str]


class PulseThrottle:
    """Sliding-window limits kept in process memory (`settings`: ``pulse_*``).

    `attempt` refuses a request over a limit. An open-link answer is counted there, in the same
    step as the check (a burst gets no more than the limit). For codes only failures count, recorded
    by `failed` once the store has refused the code: a burst of honest answers from one address (a
    trust behind one NAT address, after an all-staff e-mail) is never held up by its own answers in
    flight. A burst of guesses can pass the limit by the requests in flight (the server's threads);
    with 50-bit codes that changes nothing.
    """

    def __init__(self, settings, clock=time.monotonic):
        self.window = int(settings.pulse_window_seconds)
        self.limits = {("code", "address"): int(settings.pulse_code_failures_per_address),
                       ("code", "survey"): int(settings.pulse_code_failures_per_survey),
                       ("open", "address"): int(settings.pulse_open_per_address),
                       ("open", "survey"): int(settings.pulse_open_per_survey)}
        self._clock = clock
        self._key = secrets.token_bytes(32)  # never written: the hashes mean nothing after a restart
        self._lock = threading.Lock()
        self._seen: dict[str, OrderedDict[str, deque[float]]] = {"address": OrderedDict(), "survey": OrderedDict()}

    def address_key(self, kind: str, survey: str, address: str) -> str:
        # guessing codes is limited per address across all surveys; open-link answers per survey
        message = f"{kind}\0{survey if kind == 'open' else ''}\0{address}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]

    def attempt(self, kind: str, survey: str, address: str) -> Attempt | Blocked:
        keys = {"address": self.address_key(kind, survey, address), "survey": f"{kind}:{survey}"}
        with self._lock:
            at = self._clock()
            for scope, key in keys.items():
                times = self._times(scope, key, at)
                limit = self.limits[(kind, scope)]
                if len(times) >= limit:
                    # allowed again when the limit-th newest leaves the window
                    free_at = times[-limit] + self.window
                    return Blocked(kind, scope, max(1, math.ceil(free_at - at)), self.window)
            if kind == "open":
                self._record(keys.values(), at)
            return Attempt(kind, (keys["address"], keys["survey"]))

    def failed(self, attempt: Attempt) -> None:
        """A code the store refused: one guess for its address and its survey."""
        if attempt.kind == "code":
            with self._lock:
                self._record(attempt.keys, self._clock())

    def _record(self, keys, at: float) -> None:
        for scope, key in zip(("address", "survey"), keys, strict=True):
            self._times(scope, key, at).append(at)

    def _times(self, scope: str, key: str, at: float) -> deque[float]:
        seen = self._seen[scope]
        times = seen.get(key)
        if times is None:
            times = seen[key] = deque()
            if len(seen) > (MAX_ADDRESSES if scope == "address" else MAX_SURVEYS):
                seen.popitem(last=False)  # forget the least recently used
        else:
            seen.move_to_end(key)
        while times and times[0] <= at - self.window:
            times.popleft()
        return times
