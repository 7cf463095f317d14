"""Sign-in throttling (issue 11): atomic, per account, per address and global, with Argon2 queued.

Every attempt first *reserves* a place: under one lock (a process lock, and on PostgreSQL a
transaction-scoped advisory lock, so several server processes agree), the failures of the window are
counted per account, per address and in total, and if all are under their limits the attempt is
recorded as a failure before the password is checked. A burst of simultaneous guesses therefore
evaluates at most the limit; a correct password removes its own record (and the account's failures).

Rows in ``login_failures`` are keyed ``a:<digest of the e-mail>`` or ``n:<digest of the address>``;
the global count is the number of address rows.

Argon2 verification is deliberately slow, so it runs on at most ``login_concurrency`` threads of its
own; other attempts wait without holding a worker thread (pages keep their threads), and beyond
``login_queue_limit`` waiting attempts the server answers 503 at once. Waiting attempts are served
fairly by network address: each check's place is the number of checks from its address already
waiting or running, so a flood from one address queues behind itself and someone signing in from
elsewhere waits for the check in progress (and any other address's first), not for the whole flood.
Those threads run in the idle scheduling class, raised to nice 10 if a check takes too long
(`check_priority`), so a sign-in flood takes the CPU only when pages leave it idle.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, text

from parity.web.check_priority import NICE, CheckPriority, lower_thread_priority
from parity.web.models import LoginFailure, now
from parity.web.security import digest, verify_password

#: a constant advisory-lock id for the reservation step (PostgreSQL)
_PG_LOCK = 0x5041524954  # "PARIT"
MESSAGES = {
    "account": "Too many failed sign-in attempts for this account. Try again in {minutes} minutes.",
    "address": "Too many failed sign-in attempts from your network address. Try again in {minutes} minutes.",
    "global": "The service is receiving too many failed sign-in attempts. Try again in {minutes} minutes.",
}
BUSY = "The service is busy signing people in. Wait a few seconds and try again."
ARGON2_NICE = NICE


def account_key(email: str) -> str:
    return "a:" + digest(email.strip().lower())[:62]


def address_key(address: str) -> str:
    return "n:" + digest(address)[:62]


@dataclass(frozen=True)
class Blocked:
    scope: str  # account, address or global
    seconds: int

    @property
    def message(self) -> str:
        return MESSAGES[self.scope].format(minutes=max(1, math.ceil(self.seconds / 60)))


@dataclass(frozen=True)
class Reservation:
    email: str
    ids: tuple[int, ...]


class SignInThrottle:
    def __init__(self, settings):
        self.window = int(settings.login_window_seconds)
        self.limits = {"account": int(settings.login_max_failures),
                       "address": int(settings.login_max_failures_per_address),
                       "global": int(settings.login_max_failures_global)}
        self.queue_limit = int(settings.login_queue_limit)
        self._pool = ThreadPoolExecutor(int(settings.login_concurrency), thread_name_prefix="argon2",
                                        initializer=lower_thread_priority)
        self._lock = threading.Lock()
        self._waiting = 0
        #: waiting checks as (place, arrival, address, future, func, args); the lowest place goes first
        self._heap: list[tuple] = []
        self._arrival = itertools.count()
        self._per_address: Counter[str] = Counter()  # checks waiting or running, by address
        self._queue_lock = threading.Lock()
        self.priority = CheckPriority()

    def reserve(self, database, email: str, address: str) -> Reservation | Blocked:
        """Count the window's failures and, if under every limit, record this attempt as one (atomically)."""
        keys = {"account": account_key(email), "address": address_key(address)}
        with self._lock, database.session() as db:
            if db.bind.dialect.name == "postgresql":
                db.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK})
            at = now()
            since = at - timedelta(seconds=self.window)
            db.execute(delete(LoginFailure).where(LoginFailure.at < since))
            where = {"account": LoginFailure.key == keys["account"], "address": LoginFailure.key == keys["address"],
                     "global": LoginFailure.key.like("n:%")}
            for scope, condition in where.items():
                times = list(db.scalars(select(LoginFailure.at).where(condition, LoginFailure.at >= since)
                                        .order_by(LoginFailure.at.desc()).limit(self.limits[scope])))
                if len(times) >= self.limits[scope]:
                    # allowed again when the limit-th newest failure leaves the window
                    free_at = times[-1] + timedelta(seconds=self.window)
                    return Blocked(scope, max(1, math.ceil((free_at - at).total_seconds())))
            rows = [LoginFailure(key=keys["account"], at=at), LoginFailure(key=keys["address"], at=at)]
            db.add_all(rows)
            db.flush()
            return Reservation(email, tuple(r.id for r in rows))

    def succeeded(self, db, reservation: Reservation) -> None:
        """A correct password: this attempt was no failure, and the account's failures are forgiven."""
        db.execute(delete(LoginFailure).where(LoginFailure.id.in_(reservation.ids)))
        db.execute(delete(LoginFailure).where(LoginFailure.key == account_key(reservation.email)))

    async def verify(self, stored: str, password: str, address: str = "") -> bool | None:
        """Argon2 on its own low-priority threads, fairly by address; None when too many attempts are already waiting."""
        if self._waiting >= self.queue_limit:
            return None
        self._waiting += 1
        try:
            return await asyncio.wrap_future(self._submit(address, verify_password, stored, password))
        finally:
            self._waiting -= 1

    def _submit(self, address: str, func, *args) -> Future:
        future: Future = Future()
        with self._queue_lock:
            place = self._per_address[address]
            self._per_address[address] += 1
            heapq.heappush(self._heap, (place, next(self._arrival), address, future, func, args))
        self._pool.submit(self._run_next)  # one pool task per check: each runs whichever check is due
        return future

    def _run_next(self) -> None:
        with self._queue_lock:
            _, _, address, future, func, args = heapq.heappop(self._heap)
        try:
            if not future.set_running_or_notify_cancel():  # the request went away meanwhile
                return
            try:
                with self.priority.check():
                    result = func(*args)
                future.set_result(result)
            except BaseException as exc:  # noqa: BLE001 — handed to the waiting request, as the pool would
                future.set_exception(exc)
        finally:
            with self._queue_lock:
                self._per_address[address] -= 1
                if not self._per_address[address]:
                    del self._per_address[address]
