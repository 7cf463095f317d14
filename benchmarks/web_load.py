"""Bounded load test of `parity serve` on loopback: 20 concurrent viewers for 30 seconds.

Builds a small demo workspace in a temporary directory, starts the server in a child process on
127.0.0.1 only, signs in 20 viewers, warms the cache, then has each viewer request the overview and
indicator pages in turn until the time is up. Prints requests, errors, p50 and p95 latency; exits 1
on any error. Not a timed test: run by hand (`python benchmarks/web_load.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import re
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

HOST = "127.0.0.1"  # loopback only, whatever the arguments
PASSWORD = "load test password 123"
PAGES = ["/o/{org}/overview"] + [f"/o/{{org}}/indicator/wres.{i}" for i in range(1, 10)] + [
    "/o/{org}/indicator/wdes.1", "/o/{org}/indicator/wdes.2", "/o/{org}/indicator/wdes.4a.i"]


def build_workspace(root: Path) -> tuple[Path, str]:
    from parity.ingest import import_file
    from parity.synth import generate
    from parity.workspace import Workspace

    data, ws_dir = root / "data", root / "ws"
    generate(data, staff=1500, years=3, seed=11)
    ws = Workspace.open(ws_dir)
    import_file(ws, data / "esr" / "staff_in_post.csv", "workforce", preset="esr-staff-in-post")
    for table in ("applications", "disciplinary", "capability", "training", "survey_responses", "leavers"):
        import_file(ws, data / f"{table}.csv", table)
    (ws_dir / "survey_question_map.csv").write_bytes((data / "survey_question_map.csv").read_bytes())
    with Workspace.open(ws_dir).connect() as con:  # closed: the server process opens the file next
        org = con.execute("SELECT min(org_code) FROM workforce").fetchone()[0]
    return ws_dir, org


def run_server(ws_dir: str, port: int, viewers: int, org: str) -> None:
    import uvicorn

    from parity.web import Settings, create_app
    from parity.web.models import Membership, User
    from parity.web.security import hash_password

    app = create_app(ws_dir, Settings(secure_cookies=False))
    digest = hash_password(PASSWORD)
    with app.state.db.session() as db:
        for i in range(viewers):
            user = User(email=f"viewer{i}@example.org", name=f"Viewer {i}", password_hash=digest)
            db.add(user)
            db.flush()
            db.add(Membership(user_id=user.id, org_code=org, role="viewer"))
    uvicorn.run(app, host=HOST, port=port, log_level="warning", access_log=False)


async def sign_in(client: httpx.AsyncClient, i: int) -> None:
    page = await client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = await client.post("/sign-in", data={"email": f"viewer{i}@example.org", "password": PASSWORD,
                                            "csrf_token": token})
    if r.status_code != 303:
        raise RuntimeError(f"viewer{i} could not sign in: {r.status_code}")


async def viewer(client: httpx.AsyncClient, pages: list[str], until: float, latencies: list, errors: list) -> None:
    n = 0
    while time.monotonic() < until:
        path = pages[n % len(pages)]
        n += 1
        start = time.perf_counter()
        try:
            r = await client.get(path)
            if r.status_code != 200:
                errors.append(f"{path}: {r.status_code}")
        except httpx.HTTPError as exc:
            errors.append(f"{path}: {exc!r}")
        latencies.append(time.perf_counter() - start)


async def load(base: str, org: str, viewers: int, seconds: float) -> tuple[list, list]:
    pages = [p.format(org=org) for p in PAGES]
    clients = [httpx.AsyncClient(base_url=base, timeout=60) for _ in range(viewers)]
    try:
        await asyncio.gather(*(sign_in(c, i) for i, c in enumerate(clients)))
        for path in pages:  # warm the cache: the first view of each page computes the results
            (await clients[0].get(path)).raise_for_status()
        latencies: list[float] = []
        errors: list[str] = []
        until = time.monotonic() + seconds
        await asyncio.gather(*(viewer(c, pages[i % len(pages):] + pages[:i % len(pages)], until, latencies, errors)
                               for i, c in enumerate(clients)))
        return latencies, errors
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    viewers, seconds = min(args.viewers, 50), min(args.seconds, 120.0)  # bounded whatever is asked
    with tempfile.TemporaryDirectory() as tmp:
        print("Building the demo workspace …", flush=True)
        ws_dir, org = build_workspace(Path(tmp))
        with socket.socket() as s:
            s.bind((HOST, 0))
            port = s.getsockname()[1]
        server = multiprocessing.get_context("spawn").Process(
            target=run_server, args=(str(ws_dir), port, viewers, org), daemon=True)
        server.start()
        base = f"http://{HOST}:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    httpx.get(f"{base}/sign-in", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            print(f"Load: {viewers} viewers × {seconds:.0f} s on {base} (organisation {org}) …", flush=True)
            latencies, errors = asyncio.run(load(base, org, viewers, seconds))
        finally:
            server.terminate()
            server.join(10)
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000
    print(f"requests: {len(latencies)}  errors: {len(errors)}  throughput: {len(latencies) / seconds:.1f}/s  "
          f"p50: {p50:.0f} ms  p95: {p95:.0f} ms")
    for e in errors[:10]:
        print("  error:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
