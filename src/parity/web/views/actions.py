"""Actions: the organisation's action plan, tied to indicators (issue 15, "the change loop").

The actions live once in the workspace (`parity.actions.ActionStore`, shared with the CLI and the
report). Everyone in the organisation reads them; contributors (network members) and analysts add
dated progress notes; analysts and admins create actions and change their fields (status too).
An update carries the version it was made from, so when someone else saved first the store
refuses it (`StaleAction`) and the page says so in an error summary: nothing is overwritten.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse

from parity.actions import STATUSES, Action, ActionStore, StaleAction, Target
from parity.actions.model import check_reference
from parity.actions.protected import STATUS_TEXT
from parity.web.action_reads import action_reads
from parity.web.pages import render
from parity.web.plain import reference_label
from parity.web.roles import Access, Forbidden, require

router = APIRouter()
OPEN = ("planned", "in_progress")
NO_ACTION = "There is no action {id} for {org}."
NO_CHANGE = "Enter a progress note or choose a different status"
BAD_DATE = "Enter a real date in the format YYYY-MM-DD, like 2026-04-01"
#: the create form's fields, in the order the page shows them (error summary links follow it)
#: evaluations kept (per organisation, indicator, data version and action versions) before starting afresh
VERDICT_CACHE = 256
FIELDS = ("title", "indicator", "owner", "start", "due", "description", "target", "target_year")


def store(request: Request) -> ActionStore:
    return ActionStore(request.app.state.workspace)


def overdue(action: Action, today: date | None = None) -> bool:
    """Still open (planned or in progress) after its due date."""
    return action.status in OPEN and action.due < (today or date.today())


def org_action(request: Request, access: Access, action_id: int) -> Action:
    """The action, if it belongs to this organisation (another's is 'not found', never shown)."""
    try:
        action = store(request).get(action_id)
    except KeyError:
        action = None
    if action is None or action.org != access.org:
        raise HTTPException(404, NO_ACTION.format(id=action_id, org=access.org))
    return action


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def overdue_actions(request: Request, org: str) -> list[Action]:
    """The organisation's open actions past their due date, most overdue first (the overview lists them)."""
    today = date.today()
    return sorted((a for a in action_reads(request.app).list(org) if overdue(a, today)), key=lambda a: a.due)


@router.get("/o/{org}/actions")
def actions(request: Request, indicator: str = "", status: str = "", owner: str = "",
            access: Access = Depends(require("actions"))):
    everything = store(request).list(org=access.org)
    shown = store(request).list(org=access.org, indicator=indicator or None,
                                status=status if status in STATUSES else None, owner=owner.strip() or None)
    indicators = sorted({ref for a in everything for ref in a.indicators})
    indicator_options = [("", "All indicators")] + [(ref, reference_label(ref))
                                                     for ref in indicators]
    today = date.today()
    late = sorted((a for a in everything if overdue(a, today)), key=lambda a: a.due)
    return render(request, "actions.html", title="Actions", actions=shown, total=len(everything),
                  indicator_options=indicator_options,
                  status_options=[("", "All statuses"), *STATUS_TEXT.items()], status_text=STATUS_TEXT, late=late,
                  overdue=lambda a: overdue(a, today), filters={"indicator": indicator, "status": status,
                                                                "owner": owner})


@router.get("/o/{org}/actions/new")
def new_action(request: Request, indicator: str = "", access: Access = Depends(require("action_manage"))):
    values = dict.fromkeys(FIELDS, "")
    values["indicator"] = indicator.strip()
    return render(request, "action_new.html", title="Create an action", values=values, errors={})


def _checked(form) -> tuple[dict, dict, Action | None]:
    """The create form's values, its errors by field, and the action when there are none."""
    values = {f: str(form.get(f, "")).strip() for f in FIELDS}
    errors: dict[str, str] = {}
    if not values["title"]:
        errors["title"] = "Enter a title"
    refs = [r.strip() for r in values["indicator"].split(",") if r.strip()]
    if not refs:
        errors["indicator"] = "Enter the indicator the action targets, like wres.2"
    for ref in refs:
        try:
            check_reference(ref)
        except ValueError as exc:
            errors["indicator"] = str(exc)
    if not values["owner"]:
        errors["owner"] = "Enter who owns the action, like Director of People"
    start, due = _date(values["start"]), _date(values["due"])
    for name, day in (("start", start), ("due", due)):
        if day is None:
            errors[name] = BAD_DATE
    if start and due and due < start:
        errors["due"] = f"The due date must be on or after the start date ({start.isoformat()})"
    target = None
    try:
        target = Target.parse(values["target"])
    except ValueError as exc:
        errors["target"] = str(exc)
    target_year = None
    if values["target_year"]:
        if values["target_year"].isdigit() and 2000 <= int(values["target_year"]) <= 2100:
            target_year = int(values["target_year"])
        else:
            errors["target_year"] = "Enter the target year as 4 digits, like 2027"
    if errors:
        return values, errors, None
    return values, errors, Action(org="", title=values["title"], indicators=refs, owner=values["owner"],
                                  start=start, due=due, description=values["description"], target=target,
                                  target_year=target_year)


@router.post("/o/{org}/actions")
async def create_action(request: Request, access: Access = Depends(require("action_manage"))):
    values, errors, action = _checked(await request.form())
    if action is None:
        ordered = {f: errors[f] for f in FIELDS if f in errors}
        return render(request, "action_new.html", status=400, title="Create an action", values=values,
                      errors=ordered)
    action.org = access.org
    saved = store(request).add(action, who=access.user.email)
    return RedirectResponse(f"/o/{access.org}/actions/{saved.id}", status_code=303)


def _action_page(request: Request, action: Action, *, errors=None, note="", on="", status=200):
    return render(request, "action.html", status=status, title=action.title, action=action,
                  statuses=STATUSES, status_text=STATUS_TEXT, late=overdue(action), errors=errors or {},
                  note=note, on=on or date.today().isoformat())


@router.get("/o/{org}/actions/{action_id}")
def action_page(request: Request, action_id: int, access: Access = Depends(require("actions"))):
    return _action_page(request, org_action(request, access, action_id))


@router.post("/o/{org}/actions/{action_id}")
async def update_action(request: Request, action_id: int, access: Access = Depends(require("action_progress"))):
    """A progress note and/or a new status, made from the version the form was opened at."""
    action = org_action(request, access, action_id)
    form = await request.form()
    note, on_text = str(form.get("note", "")).strip(), str(form.get("on", "")).strip()
    status = str(form.get("status", "")).strip() or action.status
    version = str(form.get("version", ""))
    if status != action.status and not access.can("action_manage"):
        raise Forbidden()  # contributors add notes; changing fields is for analysts and admins
    errors: dict[str, str] = {}
    on = _date(on_text) if on_text else date.today()
    if on is None:
        errors["on"] = BAD_DATE
    if status not in STATUSES:
        errors["status"] = "Choose a status"
    if not errors and not note and status == action.status:
        errors["note"] = NO_CHANGE
    if not version.isdigit():
        raise HTTPException(400, "This form is missing the action's version. Reload the page and try again.")
    if not errors:
        changes = {"status": status} if status != action.status else {}
        try:
            store(request).update(action_id, who=access.user.email, expected_version=int(version),
                                  note=note or None, on=on, **changes)
        except StaleAction as exc:
            errors["note"] = str(exc)
            return _action_page(request, store(request).get(action_id), errors=errors, note=note, on=on_text,
                                status=409)
        return RedirectResponse(f"/o/{access.org}/actions/{action_id}", status_code=303)
    return _action_page(request, action, errors=errors, note=note, on=on_text, status=400)


def protected_docs(request: Request, org: str):
    """(standard, year) -> the protected result the pages show, or None when it has none."""
    results = request.app.state.results

    def doc(standard: str, year: int):
        try:
            return results.standard(org, year, standard, suppressed=True)
        except (ValueError, KeyError, FileNotFoundError):
            return None

    return doc


def indicator_actions(request: Request, org: str, indicator_id: str) -> list[tuple[Action, dict]]:
    """The actions targeting an indicator, each with its protected evaluation (`protect_entry`).

    `evaluate` counts the standard afresh, so its answer is cached per workspace data version and
    the actions' versions: a page view after nothing changed costs a dictionary look-up."""
    from parity.actions.protected import protected_evaluation

    found = action_reads(request.app).list(org, indicator_id)  # no database opened unless actions changed
    if not found:
        return []
    results = request.app.state.results
    cache = getattr(request.app.state, "action_verdicts", None)
    if cache is None or len(cache) > VERDICT_CACHE:
        cache = request.app.state.action_verdicts = {}
    key = (org, indicator_id, results.workspace.data_version, tuple((a.id, a.version) for a in found))
    if key not in cache:
        only = [Action(**{**a.__dict__, "indicators": [indicator_id]}) for a in found]
        with results.lock:  # evaluate opens the workspace's DuckDB like any page's computation
            cache[key] = protected_evaluation(results.workspace.path, only, org=org,
                                              protected_docs=protected_docs(request, org))
    return [(a, cache[key][(a.id, indicator_id)]) for a in found]
