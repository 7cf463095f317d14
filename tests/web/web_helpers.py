"""Helpers shared by the web tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402

from parity.web import Settings  # noqa: E402
from parity.web.models import Membership, User  # noqa: E402
from parity.web.security import hash_password  # noqa: E402

ORG, OTHER_ORG = "R0A", "R0B"
PASSWORD = "correct horse battery staple"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
DEMO_FILES = ("applications", "disciplinary", "capability", "training", "survey_responses", "pay", "leavers")


def import_demo(workspace: Path, data: Path) -> None:
    from parity.ingest import import_file
    from parity.workspace import Workspace

    ws = Workspace.open(workspace, create=True)
    import_file(ws, data / "esr" / "staff_in_post.csv", "workforce", preset="esr-staff-in-post")
    for table in DEMO_FILES:
        if (data / f"{table}.csv").exists():
            import_file(ws, data / f"{table}.csv", table)
    shutil.copy(data / "survey_question_map.csv", workspace / "survey_question_map.csv")


def settings(**overrides) -> Settings:
    # jobs at nice 10, not idle-class: on the shared, busy machines tests run on, an idle-class job
    # could wait minutes for a free core (tests/web/test_load_priorities.py checks both)
    # refused sign-ins answered almost at once (test_sign_in_throttle.py checks the delay itself)
    return Settings(**{"secure_cookies": False, "report_resamples": 20, "jobs_when_idle": False,
                       "login_blocked_delay_seconds": 0.01, **overrides})


def add_user(app, email: str, *, role: str | None = None, org: str = ORG, site_admin: bool = False) -> None:
    with app.state.db.session() as db:
        user = User(email=email, name=email.split("@")[0], password_hash=hash_password(PASSWORD),
                    is_site_admin=site_admin)
        db.add(user)
        db.flush()
        if role:
            db.add(Membership(user_id=user.id, org_code=org, role=role))


def csrf(client: TestClient, path: str = "/sign-in") -> str:
    return CSRF_RE.search(client.get(path).text).group(1)


def sign_in(app, email: str, password: str = PASSWORD) -> TestClient:
    client = TestClient(app)
    response = client.post("/sign-in", data={"email": email, "password": password, "csrf_token": csrf(client)},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


REFRESH = 'http-equiv="refresh"'


def finished(client: TestClient, response, timeout: float = 120.0):
    """Follow an upload's page (which refreshes itself while its job runs) until the job has ended."""
    import time

    deadline = time.monotonic() + timeout
    while REFRESH in response.text:
        assert time.monotonic() < deadline, "the upload job did not finish in time"
        time.sleep(0.2)
        response = client.get(str(response.url))
    return response
