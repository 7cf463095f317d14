"""Issue 16: what keeps the pulse respondent routes anonymous — rate limits in memory only, no access-log
line, no session cookie, a body limit of their own (`parity.web.pulse_guard`, `body_limit`)."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from web_helpers import add_user, settings, sign_in

from parity.web.pulse_guard import (
    MAX_ADDRESSES,
    Blocked,
    DropPulseRequests,
    PulseThrottle,
    _without_session,
)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app over an empty workspace, with an analyst."""
    from parity.web import create_app

    app = create_app(tmp_path_factory.mktemp("pulse-guard") / "ws", settings())
    add_user(app, "analyst@example.org", role="analyst")
    return app


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def throttle(clock, **overrides):
    values = dict(pulse_window_seconds=600, pulse_code_failures_per_address=3, pulse_code_failures_per_survey=5,
                  pulse_open_per_address=2, pulse_open_per_survey=4)
    return PulseThrottle(settings(**(values | overrides)), clock=clock)


def guess(t, survey, address):
    """One code attempt that the store refuses."""
    attempt = t.attempt("code", survey, address)
    if not isinstance(attempt, Blocked):
        t.failed(attempt)
    return attempt


def test_code_failures_are_limited_per_address_across_surveys():
    clock = Clock()
    t = throttle(clock)
    for survey in ("s1", "s2", "s3"):  # three failures, spread over surveys
        assert not isinstance(guess(t, survey, "10.0.0.1"), Blocked)
    blocked = t.attempt("code", "s4", "10.0.0.1")
    assert isinstance(blocked, Blocked) and blocked.scope == "address"
    assert blocked.seconds == 600 and "10 minutes" in blocked.message
    assert not isinstance(t.attempt("code", "s1", "10.0.0.2"), Blocked)  # another address is not held up
    clock.now += 601  # the window has passed
    assert not isinstance(t.attempt("code", "s4", "10.0.0.1"), Blocked)


def test_code_failures_are_limited_per_survey_from_many_addresses():
    t = throttle(Clock())
    for i in range(5):
        assert not isinstance(guess(t, "s1", f"10.0.0.{i}"), Blocked)
    blocked = t.attempt("code", "s1", "10.0.9.9")
    assert isinstance(blocked, Blocked) and blocked.scope == "survey"
    assert not isinstance(t.attempt("code", "s2", "10.0.9.9"), Blocked)


def test_a_burst_of_good_codes_from_one_address_is_never_held_up():
    """50 people behind one NAT address answer at once: answers in flight are not guesses (a first
    version counted them until the code was checked, and refused the 21st with 429)."""
    t = throttle(Clock())
    attempts = [t.attempt("code", "s1", "10.0.0.1") for _ in range(50)]  # all in flight together
    assert not any(isinstance(a, Blocked) for a in attempts)


def test_open_link_answers_are_limited_per_address_per_survey_and_per_survey():
    clock = Clock()
    t = throttle(clock)
    for _ in range(2):
        t.failed(t.attempt("open", "s1", "10.0.0.1"))  # counted once each, when attempted
    blocked = t.attempt("open", "s1", "10.0.0.1")
    assert isinstance(blocked, Blocked) and blocked.scope == "address"
    assert "from your network" in blocked.message
    assert not isinstance(t.attempt("open", "s2", "10.0.0.1"), Blocked)  # another survey: its own count
    for i in range(2):
        assert not isinstance(t.attempt("open", "s1", f"10.0.1.{i}"), Blocked)
    assert t.attempt("open", "s1", "10.0.2.1").scope == "survey"
    clock.now += 300
    assert t.attempt("open", "s1", "10.0.2.1").seconds == 300  # the oldest leaves the window in 5 minutes


def test_addresses_are_kept_only_as_keyed_hashes_in_a_bounded_map():
    t = throttle(Clock())
    guess(t, "s1", "192.0.2.77")
    memory = repr(t._seen)
    assert "192.0.2.77" not in memory and "192.0.2" not in memory
    # the key is made per process: another throttle (a restart) hashes the same address differently
    assert t.address_key("code", "s1", "192.0.2.77") != throttle(Clock()).address_key("code", "s1", "192.0.2.77")
    for i in range(MAX_ADDRESSES + 50):
        guess(t, "s1", f"10.{i // 65536}.{i // 256 % 256}.{i % 256}")
    assert len(t._seen["address"]) <= MAX_ADDRESSES + 1


def _access_record(path: str) -> logging.LogRecord:
    # uvicorn.access: '%s - "%s %s HTTP/%s" %d' with (client address, method, path, version, status)
    return logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                             ("192.0.2.77:5555", "POST", path, "1.1", 303), None)


@pytest.mark.parametrize("path,kept", [("/pulse/abc", False), ("/pulse/abc/thanks", False),
                                       ("/pulse/abc?code=X", False), ("/o/R0A/pulse", True),
                                       ("/o/R0A/overview", True), ("/pulses", True)])
def test_access_log_has_no_line_for_a_respondent(path, kept):
    assert DropPulseRequests().filter(_access_record(path)) is kept


def test_session_cookie_is_cut_from_the_cookie_header():
    assert _without_session(b"parity_pre=abc.def; parity_session=tok.mac; other=1") == b"parity_pre=abc.def; other=1"
    assert _without_session(b"parity_session=tok.mac") == b""


def test_respondent_routes_never_see_the_signed_in_user(app):
    client = sign_in(app, "analyst@example.org")
    assert "Sign out" in client.get("/organisations").text
    page = client.get("/pulse/no-such-survey")
    assert page.status_code == 404
    assert "Sign out" not in page.text and "analyst" not in page.text


def test_respondent_routes_have_their_own_body_limit(app):
    client = TestClient(app)
    limit = app.state.settings.pulse_form_bytes
    assert limit > app.state.settings.max_form_bytes
    big = client.post("/pulse/abc", content=b"a=" + b"x" * (limit + 1),
                      headers={"content-type": "application/x-www-form-urlencoded"})
    assert big.status_code == 413
    within = client.post("/pulse/abc", content=b"a=" + b"x" * (limit // 2),
                         headers={"content-type": "application/x-www-form-urlencoded"})
    assert within.status_code != 413  # refused for its missing CSRF token, not its size
    other = client.post("/sign-in", content=b"a=" + b"x" * (limit // 2),
                        headers={"content-type": "application/x-www-form-urlencoded"})
    assert other.status_code == 413


def test_any_uvicorn_serving_the_app_drops_pulse_lines(app):
    """Not only `parity serve`: the filter is on uvicorn's access logger once an app exists, and
    uvicorn's own logging set-up keeps it."""
    import uvicorn

    uvicorn.Config(app, log_level="info")  # (re)configures logging, as any uvicorn start does
    logger = logging.getLogger("uvicorn.access")
    assert any(isinstance(f, DropPulseRequests) for f in logger.filters)
    assert not logger.filter(_access_record("/pulse/abc")) and logger.filter(_access_record("/sign-in"))
