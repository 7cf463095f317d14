"""Draw a report's charts in a second process while the report is still being computed (issue 19).

vl-convert holds the GIL while it draws, so a thread cannot overlap it with the report's own work;
a worker process can. `background_charts` starts one (``python -I -c WORKER``: it imports only
vl-convert, and starts its JavaScript engine at once); `prefetch` sends it the Vega-Lite specs of the
charts the report can already draw — the standards' charts as soon as WRES and WDES are protected, the
pay gap charts once they are — and `parity.report.charts.render` then takes each drawn SVG instead of
drawing it again. The specs are the same dictionaries `render` would draw in process (built by the
same code from the same protected report), and the worker draws them with the same vl-convert, so the
SVG is the same string; a spec the worker has not drawn, or any failure of the worker, is drawn in
process as before. On 2 cores this takes the charts (about 1.8 s of CPU) off the report's path.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any

#: the worker: one JSON spec per line in, one JSON object per line out ({"svg": ...} or {"error": ...})
WORKER = """
import json, sys
import vl_convert as vlc
vlc.vegalite_to_svg({"mark": "point", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x"}}})
for line in sys.stdin:
    try:
        reply = {"svg": vlc.vegalite_to_svg(json.loads(line))}
    except Exception as exc:  # the parent draws this chart itself
        reply = {"error": repr(exc)}
    sys.stdout.write(json.dumps(reply) + "\\n")
    sys.stdout.flush()
"""
#: seconds to wait for one chart before drawing it in process (the worker is stuck or very slow)
WAIT = 60.0

_active: ChartWorker | None = None


class ChartWorker:
    """One worker process; `submit` a spec, later `svg` it (None: draw it yourself)."""

    def __init__(self) -> None:
        self._proc = subprocess.Popen([sys.executable, "-I", "-c", WORKER], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                      encoding="utf-8", bufsize=1)
        self._futures: dict[str, Future] = {}
        self._queue: deque[Future] = deque()  # answers come back in the order the specs went
        self._lock = threading.Lock()
        # a writer thread, so a full pipe to a busy worker never holds up the report
        self._outbox: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write, name="parity-chart-specs", daemon=True)
        self._writer.start()
        # the reader drains the worker's output as it comes, so neither pipe can fill and block both sides
        self._reader = threading.Thread(target=self._read, name="parity-chart-worker", daemon=True)
        self._reader.start()

    @staticmethod
    def key(spec: dict[str, Any]) -> str:
        return json.dumps(spec, ensure_ascii=False, allow_nan=False)

    def submit(self, spec: dict[str, Any]) -> None:
        try:
            text = self.key(spec)
        except (TypeError, ValueError):  # not plain JSON (never expected): drawn in process
            return
        with self._lock:
            if text in self._futures:
                return
            future: Future = Future()
            self._futures[text] = future
            self._queue.append(future)
        self._outbox.put(text)

    def svg(self, spec: dict[str, Any]) -> str | None:
        """The worker's SVG of `spec`, or None if it was not sent or could not be drawn there."""
        try:
            future = self._futures.get(self.key(spec))
        except (TypeError, ValueError):
            return None
        if future is None:
            return None
        try:
            return future.result(timeout=WAIT)
        except Exception:  # noqa: BLE001 - any failure: the caller draws the chart in process
            return None

    def forget(self) -> None:
        """Drop the charts already drawn (``parity report --all-orgs``: one report's ~28 SVGs are of no use
        to the next, and 220 reports' would all be kept)."""
        with self._lock:
            self._futures = {key: future for key, future in self._futures.items() if not future.done()}

    def _write(self) -> None:
        try:
            while (text := self._outbox.get()) is not None:
                self._proc.stdin.write(text + "\n")
            self._proc.stdin.close()
        except (OSError, ValueError):  # the worker has gone: the reader fails what is pending
            pass

    def _read(self) -> None:
        for line in self._proc.stdout:
            with self._lock:
                future = self._queue.popleft() if self._queue else None
            if future is not None:
                reply = json.loads(line)
                if "svg" in reply:
                    future.set_result(reply["svg"])
                else:
                    future.set_exception(RuntimeError(reply.get("error")))
        with self._lock:  # the worker ended: nothing more will come
            pending, self._queue = list(self._queue), deque()
        for future in pending:
            future.set_exception(RuntimeError("the chart worker stopped"))

    def close(self) -> None:
        self._outbox.put(None)  # the writer closes the worker's input once every spec is sent
        self._writer.join(timeout=5)
        if any(not future.done() for future in self._futures.values()):  # left unused (the report failed)
            self._proc.kill()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._reader.join(timeout=5)


@contextmanager
def background_charts() -> Iterator[ChartWorker | None]:
    """Within this block, reports draw their charts in a worker process as soon as they can.

    Yields the worker, or None when it cannot be started (charts are then drawn in process)."""
    global _active
    try:
        worker: ChartWorker | None = ChartWorker()
    except OSError:
        worker = None
    previous, _active = _active, worker
    try:
        yield worker
    finally:
        _active = previous
        if worker is not None:
            worker.close()


def active() -> ChartWorker | None:
    return _active


def prefetch(report) -> None:
    """Send the worker the specs of every chart `report` can draw so far (none without a worker)."""
    if _active is None:
        return
    from parity.report.pages import chart_specs

    for spec in chart_specs(report):
        _active.submit(spec)
