"""Meeting notes of the staff network's weekly meeting, and its agenda (issue 15).

Everyone in the organisation reads the notes; contributors (network members), analysts and admins
record them: the date, the decisions, and the actions the meeting created (linked, so each note
lists them). The agenda is `parity.actions.agenda.build_agenda` over the dashboard's cached protected
release (`Results.release`, the ``disclosure_k`` rule), offered as an HTML download.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from parity.actions.meetings import NO_DECISIONS, Meeting, MeetingStore
from parity.web.pages import render
from parity.web.roles import Access, require
from parity.web.views.actions import BAD_DATE, _date, store

router = APIRouter()
OTHER_ORG_ACTION = "Choose actions of {org} only"


def _page(request: Request, access: Access, *, errors=None, values=None, status=200):
    meetings = MeetingStore(request.app.state.workspace).list(org=access.org)
    actions = {a.id: a for a in store(request).list(org=access.org)}
    values = values or {"date": date.today().isoformat(), "decisions": "", "actions": []}
    return render(request, "meetings.html", status=status, title="Meeting notes", meetings=meetings[::-1],
                  actions=actions, errors=errors or {}, values=values, today=date.today().isoformat())


@router.get("/o/{org}/meetings")
def meetings(request: Request, access: Access = Depends(require("actions"))):
    return _page(request, access)


@router.post("/o/{org}/meetings")
async def record(request: Request, access: Access = Depends(require("meeting_record"))):
    form = await request.form()
    values = {"date": str(form.get("date", "")).strip(), "decisions": str(form.get("decisions", "")).strip(),
              "actions": [str(v) for v in form.getlist("actions")]}
    errors: dict[str, str] = {}
    held = _date(values["date"])
    if held is None:
        errors["date"] = BAD_DATE
    if not values["decisions"]:
        errors["decisions"] = NO_DECISIONS
    mine = {a.id for a in store(request).list(org=access.org)}
    linked = [int(v) for v in values["actions"] if v.isdigit()]
    if len(linked) != len(values["actions"]) or not set(linked) <= mine:
        errors["actions"] = OTHER_ORG_ACTION.format(org=access.org)  # never link another organisation's
    if errors:
        return _page(request, access, errors=errors, values=values, status=400)
    MeetingStore(request.app.state.workspace).record(
        Meeting(org=access.org, date=held, decisions=values["decisions"], actions=linked), who=access.user.email)
    return RedirectResponse(f"/o/{access.org}/meetings", status_code=303)


@router.get("/o/{org}/meetings/agenda.html")
def agenda(request: Request, on: str = "", access: Access = Depends(require("actions"))):
    """The agenda for the meeting `on` (default today): protected figures only, as a download."""
    from parity.actions.agenda import build_agenda
    from parity.actions.agenda_render import to_html

    day = _date(on) if on else date.today()
    if day is None:
        from fastapi import HTTPException

        raise HTTPException(400, BAD_DATE)
    results = request.app.state.results
    with results.lock:  # reads the workspace's DuckDB like any page's computation
        # the page's cached protected release (same rule, same pass): not computed again per download
        text = to_html(build_agenda(results.workspace.path, org=access.org, on=day, rule=results.rule,
                                    release=results.release))
    name = f"agenda-{access.org}-{day.isoformat()}.html"
    return Response(text, media_type="text/html",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
