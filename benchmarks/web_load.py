"""Bounded load test of `parity serve` on loopback: viewers alone, or the mixed scenario of issue 11.

Builds a demo workspace in a temporary directory, starts the server in a child process on
127.0.0.1 only, signs the users in and warms the cache, then runs until the time is up:

- default: 20 viewers requesting the overview and indicator pages in turn;
- ``--mixed``: 50 viewers reading (each reads a page for ``--think`` seconds, default 1, before
  the next: 50 clients with no pause at all are a closed loop whose latency is 50 / throughput),
  5 analysts each uploading a 36k-row staff-in-post file (generated with `parity.synth`), waiting for its check on the upload's page, cancelling it
  (deleting the file) and generating a report, and an anonymous sign-in flood (wrong passwords,
  ``--flood`` connections), all at once for 60 seconds.

Prints p50/p95 per page kind, errors, the load average and the server's own CPU time (``--cache DIR``:
build the workspace once and copy it for each run); exits 1 on any error, or in the mixed
scenario when the viewers' p95 is 300 ms or more. Not a timed test: run by hand
(`python benchmarks/web_load.py --mixed`) on a quiet machine.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import re
import socket
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

HOST = "127.0.0.1"  # loopback only, whatever the arguments
PASSWORD = "load test password 123"
PAGES = ["/o/{org}/overview"] + [f"/o/{{org}}/indicator/wres.{i}" for i in range(1, 10)] + [
    "/o/{org}/indicator/wdes.1", "/o/{org}/indicator/wdes.2", "/o/{org}/indicator/wdes.4a.i"]
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
#: the viewers' p95 target of the mixed scenario (issue 11)
VIEWER_P95_MS = 300
UPLOAD_ROWS = 36_000
REFRESH = 'http-equiv="refresh"'


def build_workspace(root: Path, *, upload_rows: int = 0) -> tuple[Path, str, Path | None]:
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
    upload = None
    if upload_rows:
        # the same trust, larger: about 1.05 staff-in-post rows per person per year over 3 years
        big = generate(root / "upload", staff=round(upload_rows / 3.15), years=3, seed=11, fmt="csv")
        upload = big.paths.get("esr") or root / "upload" / "esr" / "staff_in_post.csv"
    return ws_dir, org, upload


def prepared_workspace(tmp: Path, cache: Path | None, *, upload_rows: int) -> tuple[Path, str, Path | None]:
    """A fresh copy of the demo workspace: built in `tmp`, or (``--cache DIR``) built once into DIR and
    copied from there, so runs compared A/B start from the same files and skip the build."""
    import shutil

    if cache is None:
        print("Building the demo workspace …", flush=True)
        return build_workspace(tmp, upload_rows=upload_rows)
    built = cache / f"rows-{upload_rows}"
    if not (built / "done").exists():
        print(f"Building the demo workspace into {built} …", flush=True)
        shutil.rmtree(built, ignore_errors=True)
        built.mkdir(parents=True)
        ws_dir, org, upload = build_workspace(built, upload_rows=upload_rows)
        (built / "done").write_text(f"{ws_dir.name}\n{org}\n{upload.relative_to(built) if upload else ''}\n")
    name, org, upload = (built / "done").read_text().split("\n")[:3]
    shutil.copytree(built / name, tmp / name)
    return tmp / name, org, (built / upload) if upload else None


def run_server(ws_dir: str, port: int, viewers: int, analysts: int, org: str) -> None:
    import uvicorn

    from parity.web import Settings, create_app
    from parity.web.models import Membership, User
    from parity.web.security import hash_password

    app = create_app(ws_dir, Settings(secure_cookies=False))
    digest = hash_password(PASSWORD)
    with app.state.db.session() as db:
        for role, n in (("viewer", viewers), ("analyst", analysts)):
            for i in range(n):
                user = User(email=f"{role}{i}@example.org", name=f"{role} {i}", password_hash=digest)
                db.add(user)
                db.flush()
                db.add(Membership(user_id=user.id, org_code=org, role=role))
    uvicorn.run(app, host=HOST, port=port, log_level="warning", access_log=False)


class Record:
    """Latencies by page kind, and errors (anything but the expected status)."""

    def __init__(self):
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.until = 0.0
        self.cpu_start = 0.0

    async def call(self, kind: str, client: httpx.AsyncClient, method: str, path: str, *, ok=(200,), **kwargs):
        start = time.perf_counter()
        try:
            r = await client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            self.errors.append(f"{kind} {path}: {exc!r}")
            return None
        finally:
            self.latencies[kind].append(time.perf_counter() - start)
        if r.status_code not in ok:
            self.errors.append(f"{kind} {path}: {r.status_code}")
        return r


async def sign_in(client: httpx.AsyncClient, email: str) -> None:
    for _ in range(30):  # the server caps concurrent sign-ins (429 with Retry-After): wait and retry
        page = await client.get("/sign-in")
        token = CSRF_RE.search(page.text).group(1)
        r = await client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token})
        if r.status_code == 303:
            return
        if r.status_code != 429:
            break
        await asyncio.sleep(float(r.headers.get("retry-after") or 1))
    raise RuntimeError(f"{email} could not sign in: {r.status_code}")


async def viewer(rec: Record, client: httpx.AsyncClient, pages: list[str], think: float) -> None:
    n = 0
    while time.monotonic() < rec.until:
        path = pages[n % len(pages)]
        n += 1
        await rec.call("viewer overview" if path.endswith("overview") else "viewer indicator", client, "GET", path)
        if think:
            await asyncio.sleep(think)  # a person reads the page before the next click


async def analyst(rec: Record, client: httpx.AsyncClient, org: str, upload: Path, year: int) -> None:
    content = upload.read_bytes()
    while time.monotonic() < rec.until:
        form = await rec.call("analyst pages", client, "GET", f"/o/{org}/data")
        if form is None:
            return
        r = await rec.call("analyst upload", client, "POST", f"/o/{org}/data/upload", ok=(303,),
                           data={"csrf_token": CSRF_RE.search(form.text).group(1), "table": "workforce",
                                 "preset": "esr-staff-in-post"},
                           files={"file": (upload.name, content, "text/csv")})
        if r is None or r.status_code != 303:
            return
        page = await rec.call("analyst upload page", client, "GET", r.headers["location"])
        while page is not None and REFRESH in page.text:
            await asyncio.sleep(2)  # as the page's own refresh does
            page = await rec.call("analyst upload page", client, "GET", r.headers["location"])
        if page is None or "Rows read" not in page.text:
            rec.errors.append(f"analyst upload: the check did not finish with a validation table: {page and page.text[:300]}")
            return
        await rec.call("analyst cancel", client, "POST", r.headers["location"] + "/cancel",
                       data={"csrf_token": CSRF_RE.search(page.text).group(1)})
        reports = await rec.call("analyst pages", client, "GET", f"/o/{org}/reports")
        if reports is None:
            return
        await rec.call("analyst report", client, "POST", f"/o/{org}/reports", ok=(303,),
                       data={"csrf_token": CSRF_RE.search(reports.text).group(1), "year": str(year)})


async def flooder(rec: Record, client: httpx.AsyncClient, i: int) -> None:
    n = 0
    while time.monotonic() < rec.until:
        page = await rec.call("anonymous sign-in form", client, "GET", "/sign-in")
        if page is None:
            continue
        n += 1
        await rec.call("anonymous sign-in (wrong password)", client, "POST", "/sign-in", ok=(200, 400, 401, 429),
                       data={"email": f"viewer{(i + n) % 50}@example.org", "password": f"wrong guess {n}",
                             "csrf_token": CSRF_RE.search(page.text).group(1)})


async def load(base: str, org: str, args, upload: Path | None, server_pid: int) -> Record:
    pages = [p.format(org=org) for p in PAGES]
    rec = Record()
    clients = [httpx.AsyncClient(base_url=base, timeout=120) for _ in range(args.viewers + args.analysts)]
    flood = [httpx.AsyncClient(base_url=base, timeout=120) for _ in range(args.flood)]
    viewers, analysts = clients[:args.viewers], clients[args.viewers:]
    try:
        for i, c in enumerate(viewers):  # one at a time: not part of the measurement
            await sign_in(c, f"viewer{i}@example.org")
        for i, c in enumerate(analysts):
            await sign_in(c, f"analyst{i}@example.org")
        for path in pages:  # warm the cache: the first view of each page computes the results
            (await viewers[0].get(path)).raise_for_status()
        year = int(re.search(r'<option value="(\d{4})"', (await analysts[0].get(f"/o/{org}/reports")).text).group(1)) \
            if analysts else 0
        print("Signed in and warmed up: measuring …", flush=True)
        rec.until = time.monotonic() + args.seconds
        rec.cpu_start = cpu_seconds(server_pid)
        await asyncio.gather(
            *(viewer(rec, c, pages[i % len(pages):] + pages[:i % len(pages)], args.think) for i, c in enumerate(viewers)),
            *(analyst(rec, c, org, upload, year) for c in analysts),
            *(flooder(rec, c, i) for i, c in enumerate(flood)))
        return rec
    finally:
        await asyncio.gather(*(c.aclose() for c in clients + flood))


def cpu_seconds(pid: int) -> float:
    """User + system CPU of process `pid` and all its threads so far (Linux; 0 elsewhere): the server's
    own work, which on a shared machine says more than latency does (job children not included)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ms(values: list[float], q: float) -> float:
    values = sorted(values)
    return (statistics.median(values) if q == 0.5 else values[int(q * (len(values) - 1))]) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mixed", action="store_true", help="the mixed scenario (50 viewers, 5 analysts, flood)")
    parser.add_argument("--viewers", type=int)
    parser.add_argument("--analysts", type=int)
    parser.add_argument("--flood", type=int, help="anonymous sign-in connections")
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--think", type=float, help="seconds a viewer reads each page (mixed default 1; 0: none)")
    parser.add_argument("--cache", type=Path, help="build the demo workspace once into this folder and copy it "
                        "for each run (A/B runs start from the same files)")
    args = parser.parse_args()
    defaults = (50, 5, 20, 60.0, 1.0) if args.mixed else (20, 0, 0, 30.0, 0.0)
    for name, default in zip(("viewers", "analysts", "flood", "seconds", "think"), defaults, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, default)
    # bounded whatever is asked
    args.viewers, args.analysts, args.flood = min(args.viewers, 50), min(args.analysts, 5), min(args.flood, 60)
    args.seconds = min(args.seconds, 120.0)
    with tempfile.TemporaryDirectory() as tmp:
        ws_dir, org, upload = prepared_workspace(Path(tmp), args.cache, upload_rows=UPLOAD_ROWS if args.analysts else 0)
        if upload is not None:
            print(f"Upload file: {upload.name}, {sum(1 for _ in upload.open()) - 1:,} rows, "
                  f"{upload.stat().st_size / 1e6:.1f} MB", flush=True)
        with socket.socket() as s:
            s.bind((HOST, 0))
            port = s.getsockname()[1]
        # not a daemon: the server starts child processes of its own (the upload jobs)
        server = multiprocessing.get_context("spawn").Process(
            target=run_server, args=(str(ws_dir), port, args.viewers, args.analysts, org))
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
            print(f"Load: {args.viewers} viewers (reading each page {args.think:g} s), {args.analysts} analysts, "
                  f"{args.flood} anonymous sign-in connections × {args.seconds:.0f} s on {base} (organisation "
                  f"{org}); load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores …", flush=True)
            rec = asyncio.run(load(base, org, args, upload, server.pid))
            after = os.getloadavg()
            cpu = cpu_seconds(server.pid) - rec.cpu_start
        finally:
            server.terminate()
            server.join(10)
            if server.is_alive():
                server.kill()
    print(f"{'page kind':<38} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for kind, values in sorted(rec.latencies.items()):
        print(f"{kind:<38} {len(values):>8} {ms(values, 0.5):>8.0f} {ms(values, 0.95):>8.0f}")
    viewer_values = [v for k, vs in rec.latencies.items() if k.startswith("viewer") for v in vs]
    p95 = ms(viewer_values, 0.95)
    total = sum(len(v) for v in rec.latencies.values())
    print(f"all viewers: p50 {ms(viewer_values, 0.5):.0f} ms, p95 {p95:.0f} ms; requests: {total}, "
          f"errors: {len(rec.errors)}; load average after (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in after)}")
    print(f"server CPU during the load: {cpu:.1f} s ({cpu / args.seconds:.2f} cores; "
          f"{1000 * cpu / max(total, 1):.1f} ms per request)")
    for e in rec.errors[:10]:
        print("  error:", e)
    missed = args.mixed and p95 >= VIEWER_P95_MS
    if missed:
        print(f"viewers' p95 {p95:.0f} ms is over the {VIEWER_P95_MS} ms target")
    return 1 if rec.errors or missed else 0


if __name__ == "__main__":
    sys.exit(main())
