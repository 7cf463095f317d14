"""Issue 16, the anonymity test: a real `parity serve` (logs to files, its own temp dir) takes 30 answers
from a known address, user agent, cookie and codes; then every byte under the workspace, the logs
and the temp dir is read. None may hold a code, the address, the user agent, the cookie or a time
finer than the ISO week, and the responses may not be stored in the order they came in."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import struct
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import numpy as np
import pytest
from live import free_port
from scipy.stats import spearmanr
from web_helpers import CSRF_RE

from parity.pulse.store import PulseStore
from parity.pulse.survey import survey_from_dict

ADDRESS = "127.45.67.89"  # a loopback address of its own, so any trace of it is ours
CONTROL = "127.9.8.7"  # the same server logs this one for an ordinary page: logging is on
FORWARDED = "203.0.113.77"
AGENT = "PulseProbe/9.9 (probe-agent-Q7X2)"
SESSION = "probe-session-V3WQ9.0123456789abcdef"
N = 30
LEVELS = ("strongly_agree", "agree", "neither", "disagree", "strongly_disagree")
TODAY = date.today()
#: a response's position in the submission order, written into its answers (base 5) and free text
MARKER = "zq-marker-{:02d}-kx"
#: |Spearman rho| of a random order of 30 exceeds this with probability about 1.6e-4
ORDER_RHO = 0.7


def answers(i: int) -> dict:
    return {"q1": LEVELS[i % 5], "q2": LEVELS[i // 5 % 5], "q3": LEVELS[i // 25 % 5], "q4": MARKER.format(i)}


def index_of(stored: dict) -> int:
    return sum(LEVELS.index(stored[q]) * 5 ** k for k, q in enumerate(("q1", "q2", "q3")))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Serve, answer N times, stop; returns (every file's bytes, codes, cookies, times, the store, survey id)."""
    root = tmp_path_factory.mktemp("anonymity")
    ws, tmp, logs = root / "ws", root / "tmp", root / "logs"
    for d in (ws, tmp, logs):
        d.mkdir()
    store = PulseStore(ws)
    survey_id = store.create(survey_from_dict({
        "title": "Anonymity pulse", "org": "R0A", "opens": (TODAY - timedelta(days=3)).isoformat(),
        "closes": (TODAY + timedelta(days=10)).isoformat(), "access": "codes",
        "questions": [{"id": f"q{k}", "text": f"Statement {k}", "type": "agree5"} for k in (1, 2, 3)]
        + [{"id": "q4", "text": "Anything else?", "type": "text"}], "about_you": ["disability"]}))
    codes = store.issue_codes(survey_id, N + 1)
    open_id = store.create(survey_from_dict({
        "title": "Open pulse", "org": "R0A", "opens": (TODAY - timedelta(days=3)).isoformat(),
        "closes": (TODAY + timedelta(days=10)).isoformat(), "access": "open",
        "questions": [{"id": "q1", "text": "Statement 1", "type": "agree5"}]}))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    out, err = (logs / "stdout.log").open("wb"), (logs / "stderr.log").open("wb")
    env = {**os.environ, "TMPDIR": str(tmp), "TMP": str(tmp), "TEMP": str(tmp)}
    server = subprocess.Popen([sys.executable, "-c", "import sys; from parity.cli import main; sys.exit(main())",
                               "serve", "--workspace", str(ws), "--port", str(port), "--insecure-cookies"],
                              stdout=out, stderr=err, env=env)
    try:
        _wait(base, server)
        before = snapshot(root)
        started = time.time()
        cookies = []
        client = httpx.Client(base_url=base, timeout=60, headers={"User-Agent": AGENT, "X-Forwarded-For": FORWARDED},
                              transport=httpx.HTTPTransport(local_address=ADDRESS))
        with client:
            for i in range(N):
                client.cookies.clear()  # each respondent a browser of their own
                client.cookies.set("parity_session", SESSION)  # a colleague signed in to the dashboard
                token = CSRF_RE.search(client.get(f"/pulse/{survey_id}").text).group(1)
                cookies.append(client.cookies.get("parity_pre"))
                sent = client.post(f"/pulse/{survey_id}", data={
                    "csrf_token": token, "code": codes[i], "about-disability": "no" if i % 2 else "yes",
                    **{f"q-{q}": v for q, v in answers(i).items()}})
                assert sent.status_code == 303, sent.text[:300]
                assert client.get(sent.headers["location"]).status_code == 200
            reused = client.post(f"/pulse/{survey_id}", data={"csrf_token": token, "code": codes[0],
                                                              **{f"q-{q}": v for q, v in answers(0).items()},
                                                              "about-disability": "yes"})
            assert reused.status_code == 400
            for _ in range(3):  # an open-link survey: the per-address limit holds the address in memory only
                token = CSRF_RE.search(client.get(f"/pulse/{open_id}").text).group(1)
                assert client.post(f"/pulse/{open_id}", data={"csrf_token": token, "q-q1": "agree"}).status_code == 303
        with httpx.Client(transport=httpx.HTTPTransport(local_address=CONTROL), timeout=60) as control:
            assert control.get(f"{base}/sign-in").status_code == 200
        finished = time.time()
        # The log keeps the answers of the last checkpoint gap (0.2 s, docs/pulse.md) and is emptied
        # once answers stop: give the server's checkpointer that long (10 s at most on a busy machine),
        # then read; a log that is never emptied still holds the order and fails the tests below.
        _wait_for_empty_log(root / "ws" / "pulse.sqlite-wal")
        running = snapshot(root)
    finally:
        server.terminate()
        server.wait(timeout=30)
        out.close()
        err.close()
    return {"root": root, "before": before, "files": _merge(running, snapshot(root)), "codes": codes[:N],
            "cookies": cookies, "times": (started, finished), "store": store, "survey": survey_id}


def _wait_for_empty_log(wal: Path, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while wal.exists() and wal.stat().st_size > 0 and time.monotonic() < deadline:
        time.sleep(0.1)


def _wait(base: str, server) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(f"{base}/sign-in", timeout=2)
            return
        except httpx.TransportError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("parity serve did not start") from None
            time.sleep(0.3)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (workspace, logs, temp dir), by path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _merge(*snapshots: dict[str, bytes]) -> dict[str, bytes]:
    merged: dict[str, bytes] = {}
    for snap in snapshots:
        for name, data in snap.items():
            merged[name] = merged.get(name, b"") + b"\0" + data
    return merged


def _needles(run) -> dict[str, list[bytes]]:
    codes = run["codes"]
    cookies = [c for c in run["cookies"] if c]
    assert len(cookies) == N
    return {
        "code": [c.encode() for c in codes] + [c.replace("-", "").encode() for c in codes],
        "address": [ADDRESS.encode(), FORWARDED.encode(), socket.inet_aton(ADDRESS), socket.inet_aton(FORWARDED)],
        "user agent": [AGENT.encode(), b"probe-agent-Q7X2"],
        "cookie": [c.encode() for c in cookies] + [c.rsplit(".", 1)[0].encode() for c in cookies]
        + [SESSION.encode(), b"probe-session-V3WQ9"],
    }


def test_logging_is_on_so_the_test_can_see_an_address(run):
    logs = b"".join(data for name, data in run["files"].items() if name.startswith("logs/"))
    assert CONTROL.encode() in logs and b"GET /sign-in" in logs
    assert b"/pulse/" not in logs


def test_no_code_address_agent_or_cookie_in_any_byte(run):
    found = [(what, name) for what, needles in _needles(run).items() for name, data in run["files"].items()
             for needle in needles if needle in data]
    assert not found, found
    assert any(name.startswith("ws/pulse.sqlite") for name in run["files"])  # the answers were stored there


#: times of day and dates, as text, finer than an ISO week
TEXT_TIMES = re.compile(rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}"
                        rb"|\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}")


def _text_times(data: bytes) -> set[bytes]:
    return set(TEXT_TIMES.findall(data))


def _epochs(data: bytes, low: float, high: float) -> tuple[list[str], set[float]]:
    """Clock readings of the period [low, high]: as decimal text, and as the distinct values of SQLite's
    or Python's binary numbers (seconds as 4-byte integers or 8-byte floats, milliseconds as 6- or
    8-byte integers, microseconds as 8-byte integers)."""
    text = [m.decode() for m in re.findall(rb"(?<!\d)1\d{9}(?:\d{3})?(?:\.\d+)?(?!\d)", data)
            if low <= float(m) / (1000 if len(m.split(b".")[0]) == 13 else 1) <= high]
    raw = np.frombuffer(data, dtype=np.uint8)
    binary: set[float] = set()
    for width, kind, scale in ((4, ">u4", 1), (4, "<u4", 1), (8, ">f8", 1), (8, "<f8", 1), (6, None, 1000),
                               (8, ">u8", 1000), (8, ">u8", 1_000_000)):
        if len(raw) < width:
            continue
        windows = np.lib.stride_tricks.sliding_window_view(raw, width)
        if kind is None:  # SQLite's 6-byte big-endian integers (milliseconds)
            values = sum(windows[:, k].astype(np.uint64) << np.uint64(8 * (5 - k)) for k in range(6)).astype(float)
        else:
            values = np.ascontiguousarray(windows).view(kind).ravel().astype(float)
        with np.errstate(invalid="ignore"):
            inside = (values / scale >= low) & (values / scale <= high)
        binary |= {float(v) / scale for v in values[inside]}
    return text, binary


#: distinct binary readings of the period tolerated in a file: random bytes (keys, code hashes, WAL
#: salts) land in a 40-second window about once in a thousand runs, twice in a million; a clock
#: stored per answer, or one updated at each answer, leaves up to 30
CHANCE_READINGS = 2


def test_epochs_finds_a_planted_clock_reading():
    now = time.time()
    planted = b"x" * 100 + struct.pack(">I", int(now)) + b"y" * 50 + struct.pack("<d", now + 1) \
        + struct.pack(">q", int(now * 1000) + 5) + f"at {now + 2:.3f}".encode()
    text, binary = _epochs(planted, now - 5, now + 5)
    assert len(text) == 1 and len(binary) >= 3
    assert _epochs(b"x" * 1000, now - 5, now + 5) == ([], set())


def test_no_time_finer_than_the_iso_week(run):
    """Nothing written during the answers carries a date or time of day: text, epoch text or binary."""
    low, high = run["times"][0] - 5, run["times"][1] + 5
    before = set().union(*(_text_times(d) for d in run["before"].values()))
    new_text = {name: sorted(_text_times(d) - before) for name, d in run["files"].items()}
    assert not {n: t for n, t in new_text.items() if t}, new_text
    # readings of the submission period (nothing written before it can hold one)
    for name, data in run["files"].items():
        text, binary = _epochs(data, low, high)
        assert not text, (name, text)
        assert len(binary) <= CHANCE_READINGS, (name, sorted(binary))
    # the week is what is kept
    year, week, _ = TODAY.isocalendar()
    assert any(f"{year}-W{week:02d}".encode() in data for name, data in run["files"].items()
               if name.startswith("ws/pulse.sqlite"))  # in the file or, until a checkpoint, its WAL


def test_responses_are_not_in_submission_order(run):
    store, survey_id = run["store"], run["survey"]
    store.close(survey_id)
    # every stored row in stored (key) order: results never use the answers after the last whole step
    with sqlite3.connect(store.path) as con:
        rows = con.execute("SELECT answers FROM responses WHERE survey_id = ? ORDER BY key", (survey_id,)).fetchall()
        texts = con.execute("SELECT text FROM comments WHERE survey_id = ? ORDER BY key", (survey_id,)).fetchall()
    order = [index_of(json.loads(a)) for (a,) in rows]
    assert sorted(order) == list(range(N))
    rho = spearmanr(range(N), order).statistic
    assert abs(rho) < ORDER_RHO, (rho, order)
    comments = [int(text.split("-")[2]) for (text,) in texts]
    assert sorted(comments) == list(range(N))
    assert abs(spearmanr(range(N), comments).statistic) < ORDER_RHO, comments


def _byte_order(data: bytes, needles: list[bytes]) -> list[int]:
    """Submission indices in the order their first copy appears in the file."""
    found = sorted((data.find(n), i) for i, n in enumerate(needles) if n in data)
    return [i for _, i in found]


def within_step_z(order: list[int], step: int = 11) -> float:
    """Kendall's S between byte order and submission order within each release step, as a z-score.

    Responses are released in steps of the threshold, so which step a row belongs to is public in
    the results anyway (the figures change once per step); the order *within* a step must not show.
    Under a random order S has mean 0 and variance n(n-1)(2n+5)/18 per step; in submission order
    (or reversed) |z| is about 7 here.
    """
    s, variance = 0, 0.0
    for b in range(max(order) // step + 1):
        members = [i for i in order if i // step == b]
        n = len(members)
        s += sum(1 if members[x] < members[y] else -1 for x in range(n) for y in range(x + 1, n))
        variance += n * (n - 1) * (2 * n + 5) / 18
    return s / variance ** 0.5 if variance else 0.0


def test_within_step_z_tells_an_order_from_a_shuffle():
    rng = np.random.default_rng(16)
    assert abs(within_step_z(list(range(N)))) > 6 and abs(within_step_z(list(range(N))[::-1])) > 6
    shuffled = [abs(within_step_z(list(rng.permutation(N)))) for _ in range(2000)]
    assert max(shuffled) < 4  # P(|z| > 4) is about 6e-5 per test run


def test_positions_in_the_files_do_not_give_the_order_away(run):
    """Someone holding a copy of the files must not read the order off the byte offsets either."""
    texts = [MARKER.format(i).encode() for i in range(N)]
    rows = [json.dumps({q: v for q, v in answers(i).items() if q != "q4"}, sort_keys=True).encode()
            for i in range(N)]
    checked = 0
    for name, data in run["files"].items():
        for needles in (texts, rows):
            order = _byte_order(data, needles)
            if len(order) < 10:
                continue
            checked += 1
            z = within_step_z(order)
            assert abs(z) < 4, (name, z, order)
    assert checked, "no file held the answers"
