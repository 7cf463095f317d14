"""Issue 11 (load): background work yields the CPU to pages, and a page view writes nothing.

Password checks run on their own threads at a lower CPU priority; a page view does not write its
session row (the sliding expiry is stored at most once a minute), so pages never queue behind
SQLite's write lock while sign-ins and jobs write.
"""

from __future__ import annotations

import os
import threading
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from web_helpers import PASSWORD, add_user, csrf, settings, sign_in

from parity.web import check_priority, create_app, security, throttle
from parity.web.models import WebSession, now


class PriorityProbe:
    """Stands in for Argon2: records the CPU priority (niceness) of the thread that checks the password."""

    def __init__(self, real):
        self.real, self.seen, self.policies = real, [], []

    def verify(self, stored, password):
        self.seen.append((threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
        self.policies.append(os.sched_getscheduler(0))
        return self.real.verify(stored, password)

    def hash(self, password):
        return self.real.hash(password)


def test_password_checks_run_at_lower_priority_and_pages_do_not(tmp_path, monkeypatch):
    probe = PriorityProbe(security._hasher)
    monkeypatch.setattr(security, "_hasher", probe)
    app = create_app(tmp_path / "ws", settings())
    add_user(app, "analyst@example.org", role="analyst")
    client = TestClient(app)
    base = os.getpriority(os.PRIO_PROCESS, 0)
    seen_by_page = []

    @app.get("/probe-priority")
    def probe_priority():
        seen_by_page.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return {}

    r = client.post("/sign-in", data={"email": "analyst@example.org", "password": PASSWORD, "csrf_token": csrf(client)},
                    follow_redirects=False)
    assert r.status_code == 303
    client.get("/probe-priority")
    assert [nice for _, nice in probe.seen] == [min(base + throttle.ARGON2_NICE, 19)]
    # in the idle class, where the server may raise a check out of it again (check_priority)
    assert probe.policies == [os.SCHED_IDLE if check_priority.idle_available() else os.SCHED_OTHER]
    assert probe.seen[0][0] != threading.get_native_id()
    assert seen_by_page == [base]  # the server's page threads keep the normal priority
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == base
    assert os.sched_getscheduler(0) == os.SCHED_OTHER


def _in_thread(func):
    """Run `func` on a new thread at nice 10, as the password-check pool's threads are; its result."""
    out = []

    def run():
        check_priority.lower_thread_priority()
        out.append(func())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    return out[0]


def _policy_and_nice():
    return os.sched_getscheduler(0), os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_a_check_that_runs_past_its_grace_is_raised_out_of_the_idle_class_and_one_that_does_not_is_not():
    """An idle-class thread has no guaranteed share of a busy machine: a check still running after the
    grace is raised to nice 10 (the sign-in finishes); a quick one stays in the idle class throughout."""
    base = os.getpriority(os.PRIO_PROCESS, 0)
    nice = min(base + check_priority.NICE, 19)
    if not check_priority.idle_available():  # may not leave SCHED_IDLE (no CAP_SYS_NICE or RLIMIT_NICE)
        fallback = check_priority.CheckPriority(grace=0.0)
        assert fallback.idle is False

        def plain():
            with fallback.check():
                return _policy_and_nice()

        assert _in_thread(plain) == (os.SCHED_OTHER, nice)  # nice 10 from the start, as before
        return
    slow = check_priority.CheckPriority(grace=0.0)

    def long_check():
        with slow.check():
            for _ in range(6000):  # the timer raises this thread within moments (a minute at most)
                if slow.raised:
                    break
                threading.Event().wait(0.01)
            return _policy_and_nice()

    assert _in_thread(long_check) == (os.SCHED_OTHER, nice)
    assert slow.raised == 1

    quick = check_priority.CheckPriority(grace=600.0)

    def two_checks():
        seen = []
        for _ in range(2):
            with quick.check():
                seen.append(_policy_and_nice())
            seen.append(_policy_and_nice())  # between checks: nice 10, never idle while holding the GIL
        return seen

    assert _in_thread(two_checks) == [(os.SCHED_IDLE, nice), (os.SCHED_OTHER, nice)] * 2
    assert quick.raised == 0


def _expiry(app):
    with app.state.db.session() as db:
        return db.scalar(select(WebSession.expires_at))


def test_a_page_view_does_not_write_the_session_until_its_expiry_has_slid_a_minute(tmp_path):
    app = create_app(tmp_path / "ws", settings(session_hours=12, session_absolute_hours=24))
    add_user(app, "analyst@example.org", role="analyst")
    client = sign_in(app, "analyst@example.org")
    first = _expiry(app)
    assert client.get("/organisations", follow_redirects=False).status_code == 200
    assert _expiry(app) == first  # within the minute: no write
    with app.state.db.session() as db:  # last written 5 minutes ago
        db.execute(update(WebSession).values(expires_at=first - timedelta(minutes=5)))
    assert client.get("/organisations", follow_redirects=False).status_code == 200
    slid = _expiry(app)
    assert abs((slid - (now() + timedelta(hours=12))).total_seconds()) < 60


def test_an_idle_session_still_ends_at_its_stored_expiry(tmp_path):
    app = create_app(tmp_path / "ws", settings(session_hours=12))
    add_user(app, "analyst@example.org", role="analyst")
    client = sign_in(app, "analyst@example.org")
    with app.state.db.session() as db:
        db.execute(update(WebSession).values(expires_at=now() - timedelta(seconds=1)))
    r = client.get("/organisations", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/sign-in")


def test_the_running_server_freezes_its_start_up_objects_and_unfreezes_at_shutdown(tmp_path):
    """A full garbage collection (run before every report and import job) skips what start-up made."""
    import gc

    from parity.web.app import PAGE_MODULES

    app = create_app(tmp_path / "ws", settings())
    assert gc.get_freeze_count() == 0
    with TestClient(app) as client:  # runs the lifespan, as uvicorn does
        frozen = gc.get_freeze_count()
        assert frozen > 10_000
        assert client.get("/sign-in").status_code == 200
        import sys

        assert all(name in sys.modules for name in PAGE_MODULES)
    assert gc.get_freeze_count() == 0


def test_background_jobs_run_under_sched_idle_and_the_server_does_not(tmp_path):
    """Upload checks, imports and reports (all `runner.run`) take a core only when pages leave it idle;
    with ``jobs_when_idle`` off they run at nice 10 instead."""
    import functools

    from parity.web import runner

    def policy(idle: bool) -> list:
        probe = functools.partial(os.sched_getscheduler, 0)
        idle_class = runner.run(probe, {}, result_path=tmp_path / "r.json", wall_seconds=60, memory_bytes=None, idle=idle)
        nice = runner.run(functools.partial(os.getpriority, os.PRIO_PROCESS, 0), {}, result_path=tmp_path / "n.json",
                          wall_seconds=60, memory_bytes=None, idle=idle)
        return [idle_class.value, nice.value]

    base = os.getpriority(os.PRIO_PROCESS, 0)
    assert policy(True) == [os.SCHED_IDLE, base]
    assert policy(False) == [os.SCHED_OTHER, min(base + runner.CHILD_NICE, 19)]
    assert os.sched_getscheduler(0) == os.SCHED_OTHER  # the server itself keeps the normal policy


def test_the_web_setting_reaches_the_jobs(tmp_path):
    from parity.web import Settings

    app = create_app(tmp_path / "ws", Settings(secure_cookies=False))
    assert app.state.settings.jobs_when_idle is True  # the default: idle-class jobs
    from parity.web.upload_jobs import UploadJobs

    assert UploadJobs(app).job_limits()["idle"] is True
