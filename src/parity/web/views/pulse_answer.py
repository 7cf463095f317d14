"""The respondent's pages: ``/pulse/<survey id>`` and its thank-you page (issue 16; docs/web.md "Pulse surveys").

No account: a single-use code (or nothing, for an open-link survey), then the questions. Anonymous by
construction, here and in `parity.pulse.store`: the session cookie never reaches these routes
(`pulse_guard.PulseAnonymity`), the access log has no line for them, nothing is written to the audit
log, and the network address is used only in memory, as a keyed hash, by the rate limits
(`pulse_guard.PulseThrottle`). CSRF binds to the pre-session cookie, as on the sign-in form.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from parity.pulse.bank import ABOUT_YOU, MAX_TEXT, OPTIONS
from parity.pulse.store import CodeRefused, InvalidAnswer, PulseStore, SurveyClosed
from parity.web.pages import error_page, render
from parity.web.pulse_guard import Blocked

router = APIRouter()
NOT_FOUND = "There is no survey at this address. Check the link you were sent."
CLOSED = "This survey is closed. Thank you for your interest."
NOT_OPEN = "This survey opens on {opens}. Come back then."
NO_CODE = "Enter the code you were given"
CODE_REFUSED = ("This code cannot be used: it has already been used to answer this survey, or it is not a code "
                "for this survey. Check it, or ask the survey's organiser for a new code.")
TOO_LONG = "Your answer is longer than {max} characters. Shorten it"
CHOOSE = "Choose an answer to \"{what}\""
CHOOSE_ABOUT = "Choose an answer to \"{what}\" (\"Prefer not to say\" is an answer)"


def store(request: Request) -> PulseStore:
    return PulseStore(request.app.state.workspace)


def field(qid: str) -> str:
    return f"q-{qid}"


def about_field(attribute: str) -> str:
    return f"about-{attribute}"


def _survey(request: Request, survey_id: str):
    try:
        return store(request).get(survey_id)
    except KeyError:
        return None


def _form(request: Request, survey, *, errors=None, values=None, status=200):
    limits = request.app.state.settings
    return render(request, "pulse_answer.html", status=status, title=survey.title, survey=survey,
                  errors=errors or {}, values=values or {}, options=OPTIONS, about=[ABOUT_YOU[a] for a in survey.about_you],
                  field=field, about_field=about_field, max_text=MAX_TEXT,
                  open_limit=(int(limits.pulse_open_per_address), int(limits.pulse_window_seconds) // 60))


def _unavailable(request: Request, survey):
    if survey is None:
        return error_page(request, 404, NOT_FOUND)
    if survey.state == "scheduled":
        return render(request, "pulse_closed.html", status=403, title=survey.title,
                      message=NOT_OPEN.format(opens=survey.opens.strftime("%-d %B %Y")))
    if survey.state != "open":
        return render(request, "pulse_closed.html", status=410, title=survey.title, message=CLOSED)
    return None


@router.get("/pulse/{survey_id}")
def answer_form(request: Request, survey_id: str):
    survey = _survey(request, survey_id)
    return _unavailable(request, survey) or _form(request, survey)


@router.get("/pulse/{survey_id}/thanks")
def thanks(request: Request, survey_id: str):
    survey = _survey(request, survey_id)
    if survey is None:
        return error_page(request, 404, NOT_FOUND)
    return render(request, "pulse_thanks.html", title="Thank you", survey=survey)


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def read_answers(survey, form) -> tuple[dict, dict, dict, dict]:
    """(answers, about you, errors, values to show again) from the submitted form.

    Every option question and every "about you" question needs an answer ("Prefer not to say" is
    one), as `PulseStore.submit` requires: the same people answer every question, so comparing
    questions cannot single anyone out. Free text is optional.
    """
    answers, about, errors, values = {}, {}, {}, {}
    for q in survey.questions:
        name = field(q.id)
        value = str(form.get(name, "")).strip()
        values[name] = value
        if q.type == "text":
            if len(value) > MAX_TEXT:
                errors[name] = TOO_LONG.format(max=f"{MAX_TEXT:,}")
            if value:
                answers[q.id] = value
        elif value not in dict(OPTIONS[q.type]):
            errors[f"{name}-0"] = CHOOSE.format(what=_short(q.text))
        else:
            answers[q.id] = value
    for a in survey.about_you:
        name = about_field(a)
        value = str(form.get(name, "")).strip()
        values[name] = value
        if value not in dict(ABOUT_YOU[a].options):
            errors[f"{name}-0"] = CHOOSE_ABOUT.format(what=_short(ABOUT_YOU[a].question))
        else:
            about[a] = value
    return answers, about, errors, values


@router.post("/pulse/{survey_id}")
async def submit(request: Request, survey_id: str):
    survey = await run_in_threadpool(_survey, request, survey_id)
    unavailable = _unavailable(request, survey)
    if unavailable is not None:
        return unavailable
    form = await request.form()
    answers, about, errors, values = read_answers(survey, form)
    code = None
    if survey.access == "codes":
        code = str(form.get("code", "")).strip()
        values["code"] = code
        if not code:
            errors = {"code": NO_CODE, **errors}
    if errors:
        return _form(request, survey, errors=errors, values=values, status=400)
    throttle = request.app.state.pulse_throttle
    # the address is used here only, in memory, as a keyed hash (pulse_guard)
    address = request.client.host if request.client else ""
    attempt = throttle.attempt("open" if survey.access == "open" else "code", survey_id, address)
    if isinstance(attempt, Blocked):
        response = _form(request, survey, errors={"code" if code is not None else "submit": attempt.message},
                         values=values, status=429)
        response.headers["Retry-After"] = str(attempt.seconds)
        return response
    try:
        await run_in_threadpool(store(request).submit, survey_id, answers, about, code)
    except CodeRefused:
        throttle.failed(attempt)
        return _form(request, survey, errors={"code": CODE_REFUSED}, values=values, status=400)
    except SurveyClosed:
        return render(request, "pulse_closed.html", status=410, title=survey.title, message=CLOSED)
    except InvalidAnswer as exc:
        return _form(request, survey, errors={"submit": str(exc)}, values=values, status=400)
    return RedirectResponse(f"/pulse/{survey_id}/thanks", status_code=303)
