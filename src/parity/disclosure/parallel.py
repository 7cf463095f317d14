"""Protection's independent pieces on a second core (issue 18, "Scale").

A year of many organisations is a few dozen components (`components`), the largest of them hundreds
of blocks solved alone before their margins are checked (`modular`). Each component, and each block's
first solve, is a pure function of its inputs: solved in another process it gives the same decisions,
bit for bit (the same code, NumPy with one BLAS thread). So a large release is solved by two processes
at once, this one and one *helper* (`share`): the pieces are queued for the helper heaviest first, and
this process runs those the helper has not started, lightest first, until they meet. Of the components,
this process takes the largest itself (the critical path) and queues its blocks for the helper ahead of
the components still waiting, so the helper does not idle while the largest is solved.

The helper is ``python -c 'from parity.disclosure.parallel import serve; serve()'``, fed pickles over
its pipes: not ``fork`` (HiGHS starts a thread in SciPy's linear programmes and DuckDB has its own; a
forked child of a threaded process can deadlock) and not ``multiprocessing``'s spawn (it re-imports the
caller's ``__main__``, which runs a user's unguarded script again). Pickles travel only between this
process and its own child, over pipes nobody else holds.

A release of fewer than `MIN_RESULTS` results, a machine with one core, or ``PARITY_PROTECT_PROCESSES=1`` solves
in one process, as before; if the helper fails to start or dies, what it held is solved here.
"""

from __future__ import annotations

import heapq
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: processes that protect a release: 1 (this one alone) or 2 (this one and a helper; a larger number
#: means 2: one helper is all a release's critical path, its largest component, can keep busy)
PROCESSES_ENV = "PARITY_PROTECT_PROCESSES"
#: the fewest results (unit x year x standard) of a release worth a helper: starting one costs about
#: half a second of CPU (Python, NumPy, SciPy), more than one organisation's five-year report takes
MIN_RESULTS = 40
#: a piece handed to the helper holds at least this share of the work (fewer, larger pickles)
CHUNK = 1 / 40
#: priorities: a component's blocks (on the critical path) go before whole components still waiting
URGENT, LATER = 0, 1
_HEADER = struct.Struct("<Q")

_IN_HELPER = False  # True in the helper process (`serve`)
_local = threading.local()  # each thread's helper: the dashboard protects in several threads at once


def wanted_processes() -> int:
    """Processes to protect with (1 or 2): ``PARITY_PROTECT_PROCESSES`` if set, else 2 when two cores are free."""
    setting = os.environ.get(PROCESSES_ENV, "").strip()
    if setting:
        try:
            return min(2, max(1, int(setting)))
        except ValueError:
            raise ValueError(f"{PROCESSES_ENV}={setting!r}: expected a whole number of processes (1 = no helper)") from None
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return 2 if cores >= 2 else 1


@contextmanager
def helping(results: int) -> Iterator[Helper | None]:
    """Within: `current()` is a helper process when a release of this many results is worth one (it
    starts now, so it loads while this process builds the release's system)."""
    held = getattr(_local, "helper", None)
    if held is not None or results < MIN_RESULTS or wanted_processes() < 2:
        yield held
        return
    helper = _local.helper = Helper.start()
    try:
        yield helper
    finally:
        _local.helper = None
        if helper is not None:
            helper.close()


def current() -> Helper | None:
    """This thread's helper for the release being protected, if any (and alive)."""
    helper = getattr(_local, "helper", None)
    return helper if helper is not None and helper.alive else None


class Job:
    __slots__ = ("fn", "args", "data", "state", "value", "failed")

    def __init__(self, fn: Callable, args: tuple, data: bytes | None) -> None:
        self.fn, self.args, self.data = fn, args, data
        self.state = "waiting"  # -> "sent" -> "done"; or "claimed" (this process runs it instead)
        self.value, self.failed = None, False


class Helper:
    """One helper process, fed by its reader thread: as soon as it answers a job, the most urgent job
    waiting is sent (so it keeps working whatever this process is doing); this process may `claim` a
    job not yet sent and run it itself."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self._proc = proc
        self._sent: dict[int, Job] = {}
        self._waiting: list[tuple[int, int, Job]] = []  # a heap: (priority, order, job)
        self._order = 0
        self.answered = 0  # jobs the helper ran
        self._cond = threading.Condition()
        self.alive = True
        self._out: queue.Queue[bytes | None] = queue.Queue()
        self._writer = threading.Thread(target=self._write, daemon=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._writer.start()
        self._reader.start()

    @classmethod
    def start(cls) -> Helper | None:
        root = str(Path(__file__).resolve().parents[2])  # the folder holding this `parity`, first on its path
        code = f"import sys; sys.path.insert(0, {root!r}); from parity.disclosure.parallel import serve; serve()"
        try:
            proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except (OSError, ValueError, TypeError):  # no interpreter to start (embedded Python): one process
            return None
        return cls(proc)

    # --- this process's side --------------------------------------------------------------------
    def submit(self, fn: Callable, args: tuple, priority: int = LATER) -> Job:
        """Queue ``fn(*args)`` (a module-level function) for the helper; pickled now, so later changes
        to ``args`` here do not reach it."""
        try:
            data = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - not picklable: this process runs it when asked
            data = None
        job = Job(fn, args, data)
        with self._cond:
            if data is None or not self.alive:
                job.state = "claimed"
            else:
                heapq.heappush(self._waiting, (priority, self._order, job))
                self._order += 1
                self._feed()
        return job

    def claim(self, job: Job) -> bool:
        """Take back a job the helper has not started: True if this process is to run it."""
        with self._cond:
            if job.state == "waiting":
                job.state, job.data = "claimed", None
            return job.state == "claimed"

    def result(self, job: Job) -> Any:
        """The job's value, raising what it raised: run here if the helper has not started it (or died
        before answering), else waited for."""
        with self._cond:
            if job.state == "waiting":
                job.state, job.data = "claimed", None
            while job.state == "sent" and self.alive:
                self._cond.wait()
            mine = job.state != "done"
            if mine:
                job.state = "claimed"
        if mine:
            job.failed, job.value = _call(job.fn, job.args)
            job.state = "done"
        if job.failed:
            raise job.value
        return job.value

    def close(self) -> None:
        """End the helper: it exits when its input closes (reaped in the background: its interpreter's
        teardown is no part of the release), or is killed if it still holds work (an error or an
        interrupt here left it behind)."""
        self._out.put(None)
        with self._cond:
            busy = bool(self._sent)
            self.alive = False
            self._cond.notify_all()
        if busy:
            self._proc.kill()
        threading.Thread(target=self._proc.wait, daemon=True).start()

    # --- the threads -----------------------------------------------------------------------------
    def _feed(self) -> None:
        """Send the most urgent waiting job if the helper holds none (called holding the lock)."""
        while not self._sent and self._waiting and self.alive:
            _, _, job = heapq.heappop(self._waiting)
            if job.state != "waiting":  # claimed meanwhile
                continue
            job.state = "sent"
            ident = id(job)
            self._sent[ident] = job
            self._out.put(_HEADER.pack(ident) + job.data)
            job.data = None  # the writer holds it now

    def _write(self) -> None:
        pipe = self._proc.stdin
        while True:
            data = self._out.get()
            try:
                if data is None:
                    pipe.close()
                    return
                pipe.write(_HEADER.pack(len(data)))
                pipe.write(data)
                pipe.flush()
            except OSError:  # the helper is gone: `_read` sees it too
                return

    def _read(self) -> None:
        pipe = self._proc.stdout
        try:
            while (message := _receive(pipe)) is not None:
                ident, failed, value = message
                with self._cond:
                    job = self._sent.pop(ident)
                    job.value, job.failed, job.state = value, failed, "done"
                    self.answered += 1
                    self._feed()
                    self._cond.notify_all()
        except Exception:  # noqa: BLE001 - a broken pipe or pickle: whatever it held is run here
            pass
        with self._cond:
            self.alive = False
            self._cond.notify_all()


def _call(fn: Callable, args: tuple) -> tuple[bool, Any]:
    """(failed, value or exception) of ``fn(*args)``; in the helper, the exception carries where it
    was raised as a note (a traceback does not pickle)."""
    try:
        return False, fn(*args)
    except Exception as exc:  # noqa: BLE001 - sent back and raised where it was asked for
        if _IN_HELPER:
            exc.add_note("raised in Parity's protection helper process:\n" + "".join(traceback.format_exc()))
        return True, exc


def _receive(pipe, ident: bool = False) -> Any:
    """One message (length, then the pickle; a job: its id before the pickle); None at the end."""
    head = pipe.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    data = pipe.read(_HEADER.unpack(head)[0])
    if ident:  # the job is unpickled by `_job`: one that cannot be read fails alone
        return _HEADER.unpack(data[:_HEADER.size])[0], data[_HEADER.size:]
    return pickle.loads(data)


def _job(data: bytes) -> Any:
    fn, args = pickle.loads(data)
    return fn(*args)


def serve() -> None:
    """The helper's loop: read a job, run it, send back (id, failed, value) until the pipe closes."""
    global _IN_HELPER
    _IN_HELPER = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it closes our input
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answers
    while (message := _receive(stdin, ident=True)) is not None:
        ident, data = message
        failed, value = _call(_job, (data,))
        try:
            data = pickle.dumps((ident, failed, value), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - an exception that does not pickle
            data = pickle.dumps((ident, True, RuntimeError(f"{type(value).__name__}: {value}; {exc}")))
        stdout.write(_HEADER.pack(len(data)))
        stdout.write(data)
        stdout.flush()


# --- what is sent --------------------------------------------------------------------------------
def spec_flags(specs: Sequence[Any]) -> list[tuple]:
    """Quantities as the solvers read them, without their coefficients (the solvers take the matrix
    instead; a release's coefficient mappings reach into its whole system and pickle as megabytes)."""
    return [(s.name, s.basis, s.shown, s.known, s.priority, s.primary) for s in specs]


def specs_of(flags: list[tuple]) -> list[Any]:
    from parity.disclosure.secondary import Published

    return [Published(name, None, basis, shown, known, priority, primary)
            for name, basis, shown, known, priority, primary in flags]


# --- sharing the pieces --------------------------------------------------------------------------
def _each(fn: Callable, items: list) -> list[tuple[bool, Any]]:
    """A chunk of pieces in the helper: each one's (failed, value), so one failure loses no other."""
    return [_call(fn, (item,)) for item in items]


def later(fn: Callable, *args: Any) -> Callable[[], Any]:
    """``fn(*args)`` started now on the helper, if there is one and it takes it, while this process
    goes on: the returned function gives its value (raising what it raised), run here if the helper
    has not started it. Without a helper, ``fn`` runs when its value is asked for."""
    helper = current()
    if helper is None:
        return lambda: fn(*args)
    job = helper.submit(fn, args, URGENT)
    return lambda: helper.result(job)


def _chunks(order: list[int], costs: Sequence[float]) -> list[list[int]]:
    """``order`` cut into runs of at least `CHUNK` of the whole cost each."""
    size = max(sum(costs) * CHUNK, 1e-12)
    out: list[list[int]] = []
    held = 0.0
    for i in order:
        if not out or held >= size:
            out.append([])
            held = 0.0
        out[-1].append(i)
        held += costs[i]
    return out


def _run(helper: Helper, fn, items, take: list[int], job: Job | None, out: list) -> None:
    """Fill ``out`` for the pieces ``take``: here if the job is ours, else from the helper."""
    if job is None or helper.claim(job):
        for i in take:
            out[i] = _call(fn, (items[i],))
        return
    try:
        got = helper.result(job)
    except Exception:  # noqa: BLE001 - the chunk itself failed to run there: run it here
        got = [_call(fn, (items[i],)) for i in take]
    for i, value in zip(take, got, strict=True):
        out[i] = value


def share(fn: Callable[[Any], Any], items: Sequence[Any], costs: Sequence[float],
          pack: Callable[[Any], Any] | None = None, unpacked: Callable[[Any], Any] | None = None,
          priority: int = URGENT, keep_heaviest: bool = False) -> list[tuple[bool, Any]]:
    """``[(failed, fn(item) or its exception) for item in items]``, the same as solving them in turn.

    With a helper, the pieces are cut into chunks from the heaviest, all queued for the helper; this
    process runs the chunks the helper has not started, lightest first, until it meets one the helper
    holds. ``keep_heaviest``: this process runs the heaviest piece first (it may lend its own sub-pieces
    to the helper, at a more urgent priority). ``pack``: what is sent of an item (smaller to pickle),
    and ``unpacked``: fn of what was sent."""
    helper = current()
    n = len(items)
    if helper is None or n < 2:
        return [_call(fn, (item,)) for item in items]
    out: list[tuple[bool, Any] | None] = [None] * n
    order = sorted(range(n), key=lambda i: (-costs[i], i))
    first = [order.pop(0)] if keep_heaviest else []
    chunks = _chunks(order, costs)
    jobs = [helper.submit(_each, (unpacked or fn, [pack(items[i]) if pack else items[i] for i in take]), priority)
            for take in chunks]
    if first:
        _run(helper, fn, items, first, None, out)
    for take, job in reversed(list(zip(chunks, jobs, strict=True))):
        _run(helper, fn, items, take, job, out)
    return out  # type: ignore[return-value]
