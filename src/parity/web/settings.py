"""The web app's settings, declared once as data.

Each `Setting` has a name, a default and a help text; `docs/web.md` documents every one of them
and `tests/web/test_docs.py` fails when a setting is added without its documentation (the
Datasette pattern: nothing undocumented can ship).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parity.ingest import limits as _limits

UNKNOWN_SETTING = "unknown setting {name!r}; settings: {names}"
BAD_SETTING = "setting {name!r} must be {kind}; got {value!r}"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", None, "SQLAlchemy URL of the app database (users, memberships, invitations, "
            "sessions, audit log, report jobs). Default: SQLite at <workspace>/parity-web.sqlite. "
            "A postgresql+psycopg:// URL works too."),
    Setting("max_upload_mb", 200, "Largest upload accepted, in megabytes; a larger one is refused with 413."),
    Setting("max_form_kb", 16, "Largest request body accepted by every form but the upload (sign-in, "
            "invitations, roles), and by the upload route from anyone not signed in, in kilobytes; counted "
            "while the body streams in, so a chunked body is cut off there with 413."),
    Setting("secure_cookies", True, "Mark cookies Secure (sent over HTTPS only). Turn off only for plain "
            "http on 127.0.0.1 (tests, a trial on your own machine)."),
    Setting("session_hours", 12, "Hours a sign-in lasts without activity."),
    Setting("session_absolute_hours", 12, "Hours a sign-in lasts at most, however active (then sign in again)."),
    Setting("login_max_failures", 5, "Sign-in attempts per account (e-mail address, whatever the network "
            "address) that may fail within the window before further attempts are refused with 429."),
    Setting("login_max_failures_per_address", 50, "Failed sign-ins from one network address, across accounts, "
            "within the window before that address is refused with 429 (a trust behind one NAT address "
            "shares this)."),
    Setting("login_max_failures_global", 500, "Failed sign-ins from everywhere within the window before every "
            "sign-in is refused with 429 (a brake on a distributed guessing attack; it also locks out honest "
            "users while it lasts)."),
    Setting("login_concurrency", 1, "Password checks (Argon2, deliberately slow) run at once, at low CPU "
            "priority; other sign-ins wait without holding a server thread. One check already uses 4 threads "
            "(Argon2's parallelism)."),
    Setting("login_queue_limit", 64, "Sign-ins allowed to wait for a password check; beyond that the "
            "server answers 503 at once."),
    Setting("login_blocked_delay_seconds", 3, "Seconds a refused sign-in (429: a limit above reached) waits "
            "before its answer. It costs the server nothing, and slows a flood that goes on after being refused "
            "(each connection then makes one attempt per this many seconds instead of as many as the server can "
            "answer)."),
    Setting("login_window_seconds", 300, "The window (seconds) in which failed sign-ins are counted."),
    Setting("invitation_hours", 72, "Hours an invitation or first-run set-up link stays valid."),
    Setting("disclosure_k", 10, "Counts from 1 to k-1 are withheld from viewers and from published reports."),
    Setting("report_resamples", 1000, "Bootstrap resamples for pay gap intervals in generated reports."),
    Setting("upload_jobs", 2, "Uploads checked or imported at the same time; more wait their turn (queued)."),
    Setting("upload_expiry_hours", 24, "Hours an uploaded file waits for its import to be confirmed before it "
            "is deleted (swept at start and every few minutes)."),
    Setting("limit_wall_seconds", 900, "Longest a check or import of one upload may run, in seconds, before "
            "it is stopped."),
    Setting("pulse_window_seconds", 600, "The window (seconds) in which pulse survey codes that did not work, "
            "and open-link answers, are counted (in memory only; no address is stored)."),
    Setting("pulse_code_failures_per_address", 20, "Pulse survey codes that did not work from one network "
            "address within the window before that address gets 429."),
    Setting("pulse_code_failures_per_survey", 200, "Codes that did not work for one pulse survey within the "
            "window before every code for it gets 429 (a brake on guessing from many addresses)."),
    Setting("pulse_open_per_address", 30, "Answers to one open-link pulse survey accepted from one network "
            "address within the window (a trust behind one NAT address shares this: raise it there)."),
    Setting("pulse_open_per_survey", 300, "Answers to one open-link pulse survey accepted from everywhere "
            "within the window."),
    Setting("pulse_form_kb", 64, "Largest body of a pulse survey answer or survey upload, in kilobytes "
            "(free-text answers are up to 2,000 characters each)."),
    Setting("jobs_when_idle", True, "Run upload checks, imports and report jobs only on CPU that pages leave "
            "idle (Linux SCHED_IDLE; pages answer faster under load). Turn off (the jobs then run at nice 10) "
            "on a machine whose cores are busy all the time, where such a job would wait up to limit_wall_seconds."),
    Setting("limit_memory_bytes", 8 * 1024**3, "Memory (address space, bytes) the child process checking or "
            "importing one upload may use; past it the job is stopped, not the server."),
) + tuple(
    # the reading limits of parity.ingest.limits, checked before anything large is allocated (issue 11);
    # the file size is max_upload_mb, and the job's time and memory are the two settings above
    Setting(_limits.web_setting(name), getattr(_limits.DEFAULT, name), f"Upper limit on {_limits.WHAT[name]} of an "
            "uploaded file or mapping; past it the check stops at once with a message naming this setting.")
    for name in _limits.FIELDS if name not in ("max_file_bytes", "wall_seconds", "memory_bytes")
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Resolved settings: defaults overridden by keyword arguments (`Settings(max_upload_mb=1)`)."""

    values: dict[str, Any] = field(default_factory=dict)

    def __init__(self, **overrides: Any):
        values = {s.name: s.default for s in SETTINGS}
        for name, value in overrides.items():
            if name not in _BY_NAME:
                raise ValueError(UNKNOWN_SETTING.format(name=name, names=", ".join(_BY_NAME)))
            values[name] = _check(_BY_NAME[name], value)
        object.__setattr__(self, "values", values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def max_upload_bytes(self) -> int:
        return int(float(self.max_upload_mb) * 1024 * 1024)

    @property
    def max_form_bytes(self) -> int:
        return int(float(self.max_form_kb) * 1024)

    @property
    def pulse_form_bytes(self) -> int:
        return int(float(self.pulse_form_kb) * 1024)


def _check(setting: Setting, value: Any) -> Any:
    default = setting.default
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(BAD_SETTING.format(name=setting.name, kind="true or false", value=value))
    elif isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError(BAD_SETTING.format(name=setting.name, kind="a positive number", value=value))
    return value
