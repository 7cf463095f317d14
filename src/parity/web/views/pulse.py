"""The dashboard's pulse survey pages (issue 16; docs/web.md "Pulse surveys").

Everyone in the organisation sees its surveys and their published results; analysts and admins create
surveys (a form, or an uploaded survey file), issue codes (a CSV download: the plain codes exist only
in that response, the store keeps salted hashes), close surveys and read the free text. Results come
from `parity.pulse.results` only — nothing until the threshold, refreshed in steps of the threshold —
so this page shows nothing the board report would not.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import yaml
from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from parity.pulse.bank import ABOUT_YOU, BANK, QUESTION_TYPES
from parity.pulse.survey import MIN_THRESHOLD, SurveyFileError, survey_from_dict
from parity.spc.published import VARIATION
from parity.web import audit
from parity.web.pages import render
from parity.web.roles import Access, require
from parity.web.views.pulse_answer import store

router = APIRouter()
NO_SURVEY = "There is no pulse survey {id} for {org}."
OTHER_ORG = "This survey file is for {file_org}; you are creating a survey for {org}. Change `org` in the file."
BAD_COUNT = "Enter a whole number of codes from 1 to {max:,}"
NO_FILE = "Choose a survey file (YAML)"
#: codes issued at once (a trust's whole staff fits)
MAX_CODES = 20_000
#: custom questions the form offers (a survey file takes more)
CUSTOM_ROWS = 3
TYPE_LABELS = {"agree5": "Agreement (Strongly agree … Strongly disagree)", "yes_no": "Yes or no",
               "text": "Free text"}


def _own_survey(request: Request, access: Access, survey_id: str):
    try:
        survey = store(request).get(survey_id)
    except KeyError:
        survey = None
    if survey is None or survey.org != access.org:  # never another organisation's, even by its id
        raise HTTPException(404, NO_SURVEY.format(id=survey_id, org=access.org))
    return survey


@router.get("/o/{org}/pulse")
def surveys(request: Request, access: Access = Depends(require("pulse"))):
    pulse = store(request)
    rows = [(s, pulse.response_count(s.id)) for s in pulse.list(org=access.org)]
    return render(request, "pulse_list.html", title="Pulse surveys", surveys=rows)


def _new_page(request: Request, *, errors=None, values=None, status=200):
    today = date.today()
    values = values or {"title": "", "opens": today.isoformat(), "closes": (today + timedelta(days=14)).isoformat(),
                        "access": "codes", "threshold": str(MIN_THRESHOLD), "bank": [], "about_you": [],
                        "custom": [("", "agree5")] * CUSTOM_ROWS}
    return render(request, "pulse_new.html", status=status, title="Create a pulse survey", errors=errors or {},
                  values=values, bank=BANK.values(), about_you=ABOUT_YOU.values(), types=QUESTION_TYPES,
                  type_labels=TYPE_LABELS, min_threshold=MIN_THRESHOLD)


@router.get("/o/{org}/pulse/new")
def new_survey(request: Request, access: Access = Depends(require("pulse_manage"))):
    return _new_page(request)


def _form_values(form) -> dict:
    custom = [(str(form.get(f"custom-text-{i}", "")).strip(), str(form.get(f"custom-type-{i}", "agree5")))
              for i in range(CUSTOM_ROWS)]
    return {"title": str(form.get("title", "")).strip(), "opens": str(form.get("opens", "")).strip(),
            "closes": str(form.get("closes", "")).strip(), "access": str(form.get("access", "codes")),
            "threshold": str(form.get("threshold", MIN_THRESHOLD)).strip(),
            "bank": [str(v) for v in form.getlist("bank")], "about_you": [str(v) for v in form.getlist("about_you")],
            "custom": custom}


def _definition(org: str, values: dict) -> dict:
    questions = [{"id": b, "bank": b} for b in values["bank"]]
    questions += [{"id": f"custom{i + 1}", "text": text, "type": qtype}
                  for i, (text, qtype) in enumerate(values["custom"]) if text]
    threshold = values["threshold"]
    return {"title": values["title"], "org": org, "opens": values["opens"], "closes": values["closes"],
            "access": values["access"], "questions": questions, "about_you": values["about_you"],
            "threshold": int(threshold) if threshold.isdigit() else threshold}


#: which form field a survey-file key's error points at (the error summary links to it)
_ERROR_FIELDS = (("title", "title"), ("opens", "opens"), ("closes", "closes"), ("threshold", "threshold"),
                 ("about_you", "about_you"), ("access", "access"), ("questions", "bank"))


def _error_field(message: str) -> str:
    key = message.split(": ", 1)[-1].split(" ", 1)[0]
    return next((name for prefix, name in _ERROR_FIELDS if key.startswith(prefix)), "title")


@router.post("/o/{org}/pulse/new")
async def create_from_form(request: Request, access: Access = Depends(require("pulse_manage"))):
    form = await request.form()
    values = _form_values(form)
    try:
        survey = survey_from_dict(_definition(access.org, values), "The form")
    except SurveyFileError as exc:
        message = str(exc).removeprefix("The form: ")
        return _new_page(request, errors={_error_field(str(exc)): message}, values=values, status=400)
    return await run_in_threadpool(_created, request, access, survey)


@router.post("/o/{org}/pulse/upload")
async def create_from_file(request: Request, file: UploadFile | None = File(None),
                           access: Access = Depends(require("pulse_manage"))):
    from parity.ingest.limits import DEFAULT, LimitExceeded, check
    from parity.ingest.mapping import parse_yaml

    name = (file.filename if file is not None else "") or "survey.yaml"
    data = await file.read() if file is not None else b""
    if not data:
        return _new_page(request, errors={"file": NO_FILE}, status=400)
    try:
        check(DEFAULT, "max_yaml_bytes", len(data), name)
        survey = survey_from_dict(parse_yaml(data.decode("utf-8-sig"), name, DEFAULT), name)
    except (SurveyFileError, LimitExceeded) as exc:
        return _new_page(request, errors={"file": str(exc)}, status=400)
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError, ValueError) as exc:  # the message names the line
        return _new_page(request, errors={"file": f"{name}: could not read the survey file: {exc}"}, status=400)
    if survey.org != access.org:
        return _new_page(request, errors={"file": OTHER_ORG.format(file_org=survey.org, org=access.org)}, status=400)
    return await run_in_threadpool(_created, request, access, survey)


def _created(request: Request, access: Access, survey):
    survey_id = store(request).create(survey)
    with request.app.state.db.session() as db:
        audit.record(db, request, "pulse_create", user=access.user, org=access.org, detail=f"survey {survey_id}")
    return RedirectResponse(f"/o/{access.org}/pulse/{survey_id}", status_code=303)


@router.get("/o/{org}/pulse/{survey_id}")
def survey_page(request: Request, survey_id: str, access: Access = Depends(require("pulse"))):
    from parity.pulse.results import results

    survey = _own_survey(request, access, survey_id)
    pulse = store(request)
    found = results(pulse, survey_id)
    comments = _comments(pulse, survey, access.role) if access.can("pulse_free_text") else None
    link = str(request.base_url).rstrip("/") + f"/pulse/{survey_id}"
    return render(request, "pulse_survey.html", title=survey.title, survey=survey, results=found,
                  comments=comments, link=link, responses=pulse.response_count(survey_id), max_codes=MAX_CODES,
                  errors={}, trends=_trends(pulse, survey) if found["published"] else {}, variation=VARIATION)


def _trends(pulse, survey) -> dict[str, dict]:
    """`parity.pulse.trend` for each option question another pulse of the organisation also asked
    (same question id), when two or more published pulses give it a point: each point is that pulse's
    own published overall figure, so the trend shows nothing its results pages do not."""
    from parity.pulse.trend import trend

    asked_elsewhere = {q.id for s in pulse.list(org=survey.org) if s.id != survey.id for q in s.questions}
    found = {}
    for q in survey.questions:
        if q.type != "text" and q.id in asked_elsewhere:
            series = trend(pulse, survey.org, q.id)
            if len(series["points"]) >= 2:
                found[q.id] = series
    return found


def _comments(pulse, survey, role: str) -> list[dict]:
    """Free text (redacted, released steps only) grouped by question: [{"text", "answers"}]."""
    from parity.pulse.text import free_text

    answers = free_text(pulse, survey.id, role)["answers"]
    return [{"text": q.text, "answers": [a["text"] for a in answers if a["question"] == q.id]}
            for q in survey.questions if q.type == "text" and any(a["question"] == q.id for a in answers)]


@router.post("/o/{org}/pulse/{survey_id}/codes")
async def issue_codes(request: Request, survey_id: str, access: Access = Depends(require("pulse_manage"))):
    """The codes as a CSV download: the only time the plain codes exist outside the respondents' hands."""
    form = await request.form()
    count = str(form.get("count", "")).strip()
    survey = await run_in_threadpool(_own_survey, request, access, survey_id)
    if not count.isdigit() or not 1 <= int(count) <= MAX_CODES:
        from parity.pulse.results import results

        found = await run_in_threadpool(results, store(request), survey_id)
        link = str(request.base_url).rstrip("/") + f"/pulse/{survey_id}"
        return render(request, "pulse_survey.html", status=400, title=survey.title, survey=survey, results=found,
                      comments=None, link=link, responses=found["responses"], max_codes=MAX_CODES,
                      errors={"count": BAD_COUNT.format(max=MAX_CODES)})
    codes = await run_in_threadpool(_issue, request, access, survey_id, int(count))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "link"])
    link = str(request.base_url).rstrip("/") + f"/pulse/{survey_id}"
    writer.writerows([code, link] for code in codes)
    return Response(out.getvalue(), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="pulse-{survey_id}-codes.csv"'})


def _issue(request: Request, access: Access, survey_id: str, count: int) -> list[str]:
    codes = store(request).issue_codes(survey_id, count)
    with request.app.state.db.session() as db:
        audit.record(db, request, "pulse_codes", user=access.user, org=access.org,
                     detail=f"survey {survey_id}: {count} codes")
    return codes


@router.get("/o/{org}/pulse/{survey_id}/close")
def confirm_close(request: Request, survey_id: str, access: Access = Depends(require("pulse_manage"))):
    """Closing cannot be undone: say what it does, and ask."""
    survey = _own_survey(request, access, survey_id)
    return render(request, "pulse_close.html", title=f"Close {survey.title}", survey=survey,
                  responses=store(request).response_count(survey_id))


@router.post("/o/{org}/pulse/{survey_id}/close")
def close(request: Request, survey_id: str, access: Access = Depends(require("pulse_manage"))):
    _own_survey(request, access, survey_id)
    store(request).close(survey_id)
    with request.app.state.db.session() as db:
        audit.record(db, request, "pulse_close", user=access.user, org=access.org, detail=f"survey {survey_id}")
    return RedirectResponse(f"/o/{access.org}/pulse/{survey_id}", status_code=303)
