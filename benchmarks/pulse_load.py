"""Load test of pulse survey answers (issue 16): 1,000 submissions from 50 concurrent clients against a
real `parity serve` on loopback.

Creates a workspace in a temporary directory with one survey (three agreement questions, one free
text, two "about you") and 1,000 single-use codes, starts ``parity serve`` in a child process on
127.0.0.1 only, then 50 clients each play respondents one after another: a fresh browser (no
cookies) opens ``/pulse/<id>``, spends ``--think`` seconds on the form (default 1; a person takes far
longer, and 50 clients with no pause at all are a closed loop whose latency is just 50 / throughput)
and submits its answers with the next code. Every submit is one short SQLite transaction (claim the
code, insert the response) in ``pulse.sqlite``.

Prints p50/p95 of the answer page and of the submit, errors (anything but 200 / 303), the responses
the store counted against the submissions made, and the load average. Exits 1 on any error, a
count mismatch, or a submit p95 of 300 ms or more. Run by hand (`python benchmarks/pulse_load.py`) on a
quiet machine; the machine is shared, so quote the load average with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

HOST = "127.0.0.1"  # loopback only
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
#: the submit p95 target of issue 16
SUBMIT_P95_MS = 300
LEVELS = ("strongly_agree", "agree", "neither", "disagree", "strongly_disagree")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def make_survey(ws: Path, codes: int) -> tuple[str, list[str]]:
    from parity.pulse.store import PulseStore
    from parity.pulse.survey import survey_from_dict

    today = date.today()
    store = PulseStore(ws)
    survey_id = store.create(survey_from_dict({
        "title": "Load pulse", "org": "R0A", "opens": (today - timedelta(days=1)).isoformat(),
        "closes": (today + timedelta(days=13)).isoformat(), "access": "codes",
        "questions": [{"id": "q1", "bank": "valued"}, {"id": "q2", "text": "I feel able to speak up", "type": "agree5"},
                      {"id": "q3", "bank": "equal_opportunities"}, {"id": "q4", "text": "Anything else?", "type": "text"}],
        "about_you": ["disability", "age_band"]}))
    return survey_id, store.issue_codes(survey_id, codes)


def start_server(ws: Path, port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-c", "import sys; from parity.cli import main; sys.exit(main())", "serve",
               "--workspace", str(ws), "--host", HOST, "--port", str(port), "--insecure-cookies"]
    server = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(f"http://{HOST}:{port}/sign-in", timeout=2)
            return server
        except httpx.TransportError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"parity serve did not start; see {log}") from None
            time.sleep(0.3)


def answers(rng: random.Random) -> dict:
    return {"q-q1": rng.choice(LEVELS), "q-q2": rng.choice(LEVELS), "q-q3": rng.choice(("yes", "no")),
            "q-q4": "More time for training " * rng.randint(0, 5),
            "about-disability": rng.choice(("yes", "no", "prefer_not_to_say")),
            "about-age_band": rng.choice(("21-30", "31-40", "41-50", "prefer_not_to_say"))}


async def respondent(client: httpx.AsyncClient, survey_id: str, codes: list[str], seed: int, out: dict,
                     think: float) -> None:
    """One client: respondents one after another until the codes run out.

    Each respondent is a fresh browser as far as the server can tell (no cookies); the client keeps
    its connection open between them, as a browser does, so the figures are the server's time and
    not this script's TCP set-up (50 clients share one event loop on the same 2 cores)."""
    rng = random.Random(seed)
    async with client:
        while codes:
            code = codes.pop()
            client.cookies.clear()
            start = time.perf_counter()
            try:
                page = await client.get(f"/pulse/{survey_id}")
                out["page"].append(time.perf_counter() - start)
                if page.status_code != 200:
                    out["errors"].append(f"page {page.status_code}")
                    continue
                token = CSRF_RE.search(page.text).group(1)
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))  # filling in the form
                start = time.perf_counter()
                sent = await client.post(f"/pulse/{survey_id}", data={"csrf_token": token, "code": code,
                                                                     **answers(rng)})
                out["submit"].append(time.perf_counter() - start)
            except httpx.HTTPError as exc:
                out["errors"].append(repr(exc))
                continue
            if sent.status_code == 303:
                out["submitted"] += 1
            else:
                out["errors"].append(f"submit {sent.status_code}: {sent.text[:200]}")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return (values[0] * 1000, values[0] * 1000) if values else (0.0, 0.0)
    q = statistics.quantiles(values, n=100, method="inclusive")
    return q[49] * 1000, q[94] * 1000


async def drive(base: str, survey_id: str, codes: list[str], clients: int, think: float) -> dict:
    out = {"page": [], "submit": [], "errors": [], "submitted": 0}
    pool = list(codes)
    # made before the clock starts: each client builds an SSL context (tens of ms, blocking the event
    # loop), which inside the run would be counted against the first requests of every other client
    made = [httpx.AsyncClient(base_url=base, timeout=60) for _ in range(clients)]
    started = time.perf_counter()
    await asyncio.gather(*(respondent(c, survey_id, pool, seed, out, think) for seed, c in enumerate(made)))
    out["seconds"] = time.perf_counter() - started
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between opening the page and submitting")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pulse-load-") as tmp:
        ws = Path(tmp) / "ws"
        ws.mkdir()
        survey_id, codes = make_survey(ws, args.submissions)
        port = free_port()
        server = start_server(ws, port, Path(tmp) / "serve.log")
        load_before = os.getloadavg()
        cpu_before = cpu_seconds(server.pid)
        try:
            out = asyncio.run(drive(f"http://{HOST}:{port}", survey_id, codes, args.clients, args.think))
            cpu_after = cpu_seconds(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
        load_after = os.getloadavg()
        server_log = (Path(tmp) / "serve.log").read_text(encoding="utf-8", errors="replace").splitlines()
        from parity.pulse.store import PulseStore

        counted = PulseStore(ws).response_count(survey_id)
    page50, page95 = percentiles(out["page"])
    sub50, sub95 = percentiles(out["submit"])
    print(f"pulse_load: {args.submissions:,} submissions, {args.clients} concurrent clients, "
          f"think {args.think:g} s, {out['seconds']:.1f} s ({out['submitted'] / out['seconds']:.1f} submits/s)")
    print(f"  answer page  p50 {page50:6.0f} ms   p95 {page95:6.0f} ms   ({len(out['page']):,} requests)")
    print(f"  submit       p50 {sub50:6.0f} ms   p95 {sub95:6.0f} ms   ({len(out['submit']):,} requests)")
    print(f"  errors {len(out['errors'])}; submitted {out['submitted']:,}; responses counted {counted:,}")
    if cpu_before is not None and cpu_after is not None:
        used = cpu_after - cpu_before
        print(f"  server CPU {used:.1f} s: {1000 * used / max(1, out['submitted']):.1f} ms per respondent "
              f"(page + submit), {used / out['seconds']:.2f} of a core on average")
    print(f"  load average before {load_before[0]:.2f} / after {load_after[0]:.2f} (1 min), {os.cpu_count()} CPUs")
    for error in out["errors"][:10]:
        print(f"  error: {error}")
    if out["errors"]:
        print("  server log (last lines):\n" + "\n".join(server_log[-15:]))
    failed = bool(out["errors"]) or counted != out["submitted"] or sub95 >= SUBMIT_P95_MS
    if failed:
        print(f"FAILED: target 0 errors, counted = submitted, submit p95 < {SUBMIT_P95_MS} ms")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
