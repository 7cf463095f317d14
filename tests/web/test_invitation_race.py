"""Issue 11: a set-up or invitation link is single-use even when many browsers post it at once."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import httpx
from live import live_server
from sqlalchemy import func, select
from web_helpers import CSRF_RE, PASSWORD, add_user, settings, sign_in

from parity.web import create_app
from parity.web.models import Membership, User
from parity.web.views.auth import first_run_link

RACERS = 8


def _race(base: str, path: str, forms: list[dict]) -> list[int]:
    """POST each form to `path` from its own browser, all released at the same instant."""
    clients = [httpx.Client(base_url=base, timeout=60) for _ in forms]
    for client, form in zip(clients, forms, strict=True):
        form["csrf_token"] = CSRF_RE.search(client.get(path).text).group(1)
    barrier = threading.Barrier(len(forms))

    def post(i: int) -> int:
        barrier.wait()
        return clients[i].post(path, data=forms[i]).status_code

    with ThreadPoolExecutor(len(forms)) as pool:
        codes = list(pool.map(post, range(len(forms))))
    for client in clients:
        client.close()
    return codes


def test_first_run_link_creates_one_admin_under_concurrency(tmp_path):
    app = create_app(tmp_path / "ws", settings())
    path = urlparse(first_run_link(app, "http://testserver")).path
    forms = [{"email": f"admin{i}@example.org", "name": f"Admin {i}", "password": PASSWORD, "confirm": PASSWORD}
             for i in range(RACERS)]
    with live_server(app) as base:
        codes = _race(base, path, forms)
    with app.state.db.session() as db:
        admins = db.scalar(select(func.count()).select_from(User).where(User.is_site_admin.is_(True)))
    assert admins == 1
    assert codes.count(303) == 1 and codes.count(404) == RACERS - 1, codes


def test_invitation_adds_one_membership_under_concurrency(tmp_path):
    app = create_app(tmp_path / "ws", settings())
    add_user(app, "boss@example.org", role="admin")
    boss = sign_in(app, "boss@example.org")
    users_page = boss.get("/o/R0A/users").text
    page = boss.post("/o/R0A/users/invite", data={"csrf_token": CSRF_RE.search(users_page).group(1),
                                                  "email": "new@example.org", "role": "admin"}).text
    path = urlparse(re.search(r'id="invitation-link">([^<]+)<', page).group(1)).path
    forms = [{"name": f"New {i}", "password": PASSWORD, "confirm": PASSWORD} for i in range(RACERS)]
    with live_server(app) as base:
        codes = _race(base, path, forms)
    with app.state.db.session() as db:
        members = db.scalar(select(func.count()).select_from(Membership).join(User)
                            .where(User.email == "new@example.org"))
    assert members == 1
    assert codes.count(303) == 1 and all(code in (303, 400, 404) for code in codes), codes  # 400: account exists
