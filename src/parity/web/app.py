"""The web application: `create_app(workspace, settings)` returns a FastAPI app.

One module per concern, Datasette-style: settings as data (`settings`), app state
(`db`, `models`), `security`, `roles`, `audit`, results (`results`, `charts`), and `views/` with
one module per page type. Analytic data stays in the workspace's DuckDB.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
from contextlib import asynccontextmanager
from datetime import timedelta
from importlib import resources
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from parity.web import pages
from parity.web.body_limit import BodyLimit
from parity.web.db import Database
from parity.web.models import User, WebSession, now
from parity.web.pulse_guard import PulseAnonymity, PulseThrottle, drop_pulse_requests
from parity.web.results import Results
from parity.web.roles import Forbidden, NotSignedIn
from parity.web.security import (
    CSRF_FIELD,
    PRESESSION_COOKIE,
    SESSION_COOKIE,
    Keys,
    SecurityHeaders,
    cookie_args,
    digest,
    new_token,
)
from parity.web.settings import Settings
from parity.web.throttle import SignInThrottle

STATIC = Path(__file__).parent / "static"
CSRF_FAILED = "This form has expired or did not come from this site. Go back, reload the page and try again."
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
#: modules pages import on first use; the server imports them at start, before freezing (`_lifespan`)
PAGE_MODULES = ("parity.disclosure", "parity.report.release", "parity.web.charts", "parity.report.questions",
                "parity.indicators.catalogue")
#: a session's sliding expiry is written when it would move by at least this much (a write per page
#: view would queue every page behind SQLite's write lock)
SESSION_TOUCH = timedelta(seconds=60)


async def csrf_guard(request: Request) -> None:
    """Every state-changing request must carry the CSRF token bound to this browser's session."""
    if request.method not in UNSAFE:
        return
    form = await request.form()
    if not request.app.state.keys.csrf_ok(pages.csrf_binding(request), form.get(CSRF_FIELD)):
        raise HTTPException(403, CSRF_FAILED)


@asynccontextmanager
async def _lifespan(_app: FastAPI):
    """Freeze what exists once the server has started, so later garbage collections skip it.

    Jobs call ``gc.collect()`` before a child opens the workspace (to close any DuckDB connection
    left in a reference cycle). A full collection walks every tracked object — the ~250,000 made
    by importing FastAPI, SQLAlchemy, pandas and the report code — holding the interpreter lock for
    0.3–0.7 s on a busy 2-core machine, during which no page is served. Frozen objects are not
    walked (still freed by reference counting); this runs before any DuckDB connection exists, so
    none is frozen. Shutdown unfreezes (several apps in one process, as in tests, stay collectable).
    """
    for name in PAGE_MODULES:  # imported now (page code imports them lazily) so they are frozen too
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def create_app(workspace: str | Path, settings: Settings | None = None) -> FastAPI:
    """The dashboard for one workspace (created if absent)."""
    from parity.disclosure import DisclosureRule

    settings = settings or Settings()
    workspace = Path(workspace)
    app = FastAPI(title="Parity", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(csrf_guard)], lifespan=_lifespan)
    state = app.state
    state.settings = settings
    state.results = Results(workspace, DisclosureRule(k=int(settings.disclosure_k)))
    state.workspace = workspace
    state.db = Database.for_workspace(workspace, settings.database_url)
    state.keys = Keys.load(workspace)
    state.throttle = SignInThrottle(settings)
    state.pulse_throttle = PulseThrottle(settings)
    drop_pulse_requests()  # however the app is served by uvicorn, never an access-log line for /pulse/

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/static-report/nhsuk.css", include_in_schema=False)
    def nhsuk_css() -> Response:
        # the report's vendored NHS.UK stylesheet, served as is (one copy in the repository)
        css = resources.files("parity.report").joinpath("assets/nhsuk-frontend.min.css").read_bytes()
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    _middleware(app)
    _handlers(app)
    from parity.web.views import register_all

    register_all(app)
    return app


def _middleware(app: FastAPI) -> None:
    app.add_middleware(BodyLimit)  # innermost: knows the signed-in user, its 413 gets the security headers
    app.add_middleware(Sessions)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(PulseAnonymity)  # outermost: respondent routes never see the session cookie


class Sessions:
    """Pure ASGI middleware: the signed-in user (``request.state.user``) and the pre-session cookie.

    Pure ASGI rather than ``@app.middleware("http")``: Starlette's BaseHTTPMiddleware runs the rest
    of the app in a task with memory streams, a cost paid by every page.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        keys, settings = request.app.state.keys, request.app.state.settings
        static = scope["path"].startswith("/static")
        user = token = None
        if not static and request.cookies.get(SESSION_COOKIE):
            # in a worker thread: a database step must never hold the event loop (a write waits for
            # SQLite's lock while sign-ins and jobs write)
            user, token = await run_in_threadpool(_load_session, request)
        request.state.user, request.state.session_token = user, token
        pre = keys.unsign(request.cookies.get(PRESESSION_COOKIE))
        request.state.pre = pre or new_token()
        if pre is not None or static:
            await self.app(scope, receive, send)
            return
        cookie = Response()
        cookie.set_cookie(PRESESSION_COOKIE, keys.sign(request.state.pre), **cookie_args(settings.secure_cookies))
        set_cookie = [(k, v) for k, v in cookie.raw_headers if k == b"set-cookie"]

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *set_cookie]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _load_session(request: Request) -> tuple[User | None, str | None]:
    token = request.app.state.keys.unsign(request.cookies.get(SESSION_COOKIE))
    if token is None:
        return None, None
    with request.app.state.db.session() as db:
        # one statement: the session, its user and the user's memberships
        row = db.execute(select(WebSession, User).join(User, User.id == WebSession.user_id)
                         .options(joinedload(User.memberships))
                         .where(WebSession.token_hash == digest(token))).unique().first()
        if row is None:
            return None, None
        session, user = row
        settings = request.app.state.settings
        absolute_end = session.created_at + timedelta(hours=float(settings.session_absolute_hours))
        if session.expires_at < now() or absolute_end < now() or not user.active:
            return None, None
        expiry = pages.session_expiry(settings, session.created_at)  # sliding, capped
        # written when capped, or when it has slid a minute: not a write per page view
        if expiry < session.expires_at or expiry - session.expires_at >= SESSION_TOUCH:
            session.expires_at = expiry
        return user, token


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _exc) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?next={pages.quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _exc) -> Response:
        return pages.error_page(request, 403, "You do not have access to this page. Ask an administrator of "
                                              "the organisation if you think you should.")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return pages.error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(404)
    async def not_found(request: Request, _exc) -> Response:
        return pages.error_page(request, 404, "Page not found. Check the address, or go back to your organisations.")
