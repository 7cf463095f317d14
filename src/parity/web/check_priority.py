"""The CPU priority of password checks (issue 11): idle class first, raised if a check waits too long.

Argon2 is deliberately slow (about 0.2 s of CPU a check, on 4 lane threads), and during a sign-in flood
it runs back to back. Its threads therefore run in Linux's idle scheduling class (`SCHED_IDLE`, a CFS
weight of 3 against a page thread's 1,024, and preempted as soon as a page thread wants the core), so
a flood takes only CPU that pages leave idle. An idle-class thread has no guaranteed share, though: on
a machine whose cores are always busy a check could wait indefinitely, and nobody could sign in. So a
check still running after `IDLE_GRACE` seconds is raised to the normal class at nice `NICE` (a weight
of 110: about a tenth of a contested core), and finishes.

Leaving the idle class needs the right to run at nice `NICE` (root, `CAP_SYS_NICE`, or an
``RLIMIT_NICE`` of at least 20 − `NICE`, e.g. systemd's ``LimitNICE=+10``). Where the server lacks
it, or where there is no `SCHED_IDLE`, checks run at nice `NICE` from the start, as before.

Linux applies both the policy and the nice value per thread, and the lane threads libargon2 starts
for each segment of a check inherit them from the thread that starts them.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager

#: niceness of the password-check threads (normal class): pages (nice 0) win the CPU when both want it
NICE = 10
#: seconds a check may run in the idle class before it is raised to nice `NICE`
IDLE_GRACE = 1.0

_can_raise: bool | None = None


def lower_thread_priority(niceness: int = NICE) -> None:
    """Lower the calling thread's CPU priority (Linux: per thread; elsewhere it may be the process's)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
    except (AttributeError, OSError):  # no per-thread priority here: run at the normal one
        pass


def idle_available() -> bool:
    """Whether a thread of this process may enter the idle class and be raised out of it (checked once,
    on a throwaway thread: a thread that could not leave the idle class would be stuck in it)."""
    global _can_raise
    if _can_raise is None:
        result = []

        def probe():
            try:
                lower_thread_priority()
                os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
                os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
                result.append(True)
            except (AttributeError, OSError):
                result.append(False)

        thread = threading.Thread(target=probe, name="argon2-probe")
        thread.start()
        thread.join()
        _can_raise = bool(result and result[0])
    return _can_raise


class CheckPriority:
    """Runs each check on the calling thread in the idle class, raising it after `grace` seconds."""

    def __init__(self, grace: float | None = None, idle: bool | None = None):
        self.grace = IDLE_GRACE if grace is None else grace
        self.idle = idle_available() if idle is None else idle
        self._lock = threading.Lock()
        self._running: dict[int, int] = {}  # thread id → the check it is running (its number)
        self._numbers = iter(range(1, 2**62))
        self.raised = 0  # checks raised out of the idle class (for tests and the curious)

    @contextmanager
    def check(self):
        if not self.idle:
            yield
            return
        tid = threading.get_native_id()
        number = next(self._numbers)
        timer = threading.Timer(self.grace, self._raise, (tid, number))
        timer.daemon = True
        with self._lock:  # the timer acts only after this thread is idle and registered
            timer.start()  # first: its thread must not inherit the idle class it raises us from
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            self._running[tid] = number
        try:
            yield
        finally:
            # back to nice 10 before anything else: an idle-class thread holding Python's GIL (as it
            # does between checks) could keep every page thread waiting while it waits for a core
            with self._lock:
                del self._running[tid]
                os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
            timer.cancel()

    def _raise(self, tid: int, number: int) -> None:
        with self._lock:  # only the check that started the timer, if it is still running
            if self._running.get(tid) != number:
                return
            try:
                os.sched_setscheduler(tid, os.SCHED_OTHER, os.sched_param(0))
                self.raised += 1
            except OSError:  # the thread ended meanwhile
                pass
