"""Action plans in and out as CSV or Excel: our own export round-trips, and the headings of a
typical WRES/WDES action-plan spreadsheet ("Action", "Lead", "WRES indicator", "Timescale"...) are
recognised on the way in. Every row is imported or reported with its row number and reason."""

from __future__ import annotations

import csv
import re
from datetime import date, datetime
from pathlib import Path

from parity.actions.model import Action, Target, Update
from parity.report.safety import FORMULA_TRIGGERS, PREFIX, neutralise

COLUMNS = ("ID", "Organisation", "Title", "Description", "Indicators", "Owner", "Start", "Due", "Status",
           "Target", "Target year", "Updates")

#: normalised heading → field; our own headings first, then spellings seen in action-plan templates
HEADINGS = {
    "id": "id", "organisation": "org", "org": "org", "orgcode": "org", "title": "title", "action": "title",
    "actions": "title", "description": "description", "details": "description", "indicators": "indicators",
    "indicator": "indicators", "wresindicator": "indicators", "wdesmetric": "indicators", "metric": "indicators",
    "owner": "owner", "lead": "owner", "actionowner": "owner", "responsible": "owner", "responsibility": "owner",
    "start": "start", "startdate": "start", "due": "due", "duedate": "due", "timescale": "due",
    "deadline": "due", "completiondate": "due", "status": "status", "ragstatus": "status",
    "target": "target", "measureofsuccess": "target", "targetyear": "target_year", "updates": "updates",
    "progress": "updates",
}
STATUS_WORDS = {"planned": "planned", "notstarted": "planned", "inprogress": "in_progress", "ongoing": "in_progress",
                "started": "in_progress", "done": "done", "complete": "done", "completed": "done",
                "stopped": "stopped", "cancelled": "stopped", "closed": "stopped"}
_REF = re.compile(r"(wres|wdes)\W*(?:indicator|metric)?\W*([0-9]+[a-z]?(?:\.[a-z]+)?)", re.I)
BAD_ROW = "{file}, row {row}, column {column}: {message}"
NO_TITLE_COLUMN = "{file}: no column for the action's title (a heading such as 'Title' or 'Action')"


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def _text(value) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    if text.startswith(PREFIX) and text[1:2] and text[1:].startswith(FORMULA_TRIGGERS):
        text = text[1:]  # our own neutralising apostrophe
    return text


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%B %Y", "%b %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def indicator_refs(text: str) -> list[str]:
    """"wres.2; WRES indicator 3, WDES metric 4a" → ["wres.2", "wres.3", "wdes.4a"]; explorer cells as given."""
    out = []
    for part in re.split(r"[;\n]|,(?![^:]*=)", _text(text)):
        part = part.strip()
        if not part:
            continue
        if part.startswith("explore:"):
            out.append(part)
            continue
        m = _REF.search(part)
        out.append(f"{m.group(1).lower()}.{m.group(2).lower()}" if m else part)
    return out


def _rows(path: Path) -> list[list]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            return [list(r) for r in wb.active.iter_rows(values_only=True)]
        finally:
            wb.close()
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.reader(fh))


def read_plan(path: Path, *, org: str | None, who: str) -> tuple[list[Action], list[str], list[int | None]]:
    """(actions, problems, their IDs in the file): a row with a problem is reported, not imported."""
    rows = _rows(path)
    head = next((i for i, r in enumerate(rows[:20]) if any(_key(c) in HEADINGS for c in r if c is not None)), None)
    if head is None or not any(HEADINGS.get(_key(c)) == "title" for c in rows[head] if c is not None):
        raise ValueError(NO_TITLE_COLUMN.format(file=path.name))
    fields = [HEADINGS.get(_key(c)) if c is not None else None for c in rows[head]]
    actions, problems, ids = [], [], []
    for offset, raw in enumerate(rows[head + 1:], start=head + 2):
        rec = {f: v for f, v in zip(fields, raw, strict=False) if f}
        if not any(_text(v) for v in rec.values()):
            continue
        column = ""
        try:
            column = "Title"
            title = _text(rec.get("title"))
            if not title:
                raise ValueError("the action has no title")
            column = "Status"
            status = STATUS_WORDS.get(_key(rec.get("status") or "planned"), _text(rec.get("status")))
            column = "Due"
            due = _date(rec["due"]) if _text(rec.get("due")) else None
            column = "Start"
            # a plan without start dates: the day of import, or the due date when that is earlier
            start = _date(rec["start"]) if _text(rec.get("start")) else min(date.today(), due or date.today())
            due = due or start
            column = "Target"
            target = Target.parse(_text(rec.get("target")) or None)
            column = "Target year"
            ty = _text(rec.get("target_year"))
            action = Action(org=_text(rec.get("org")) or org or "", title=title,
                            indicators=indicator_refs(rec.get("indicators") or ""),
                            owner=_text(rec.get("owner")), start=start, due=due, status=status,
                            description=_text(rec.get("description")), target=target,
                            target_year=int(float(ty)) if ty else None,
                            updates=_updates(_text(rec.get("updates")), who))
            column = "Indicators, Status or dates"
            action.check()
            if not action.org:
                column = "Organisation"
                raise ValueError("no organisation: add an Organisation column or pass --org")
        except (ValueError, KeyError) as exc:
            problems.append(BAD_ROW.format(file=path.name, row=offset, column=column, message=exc))
            continue
        actions.append(action)
        ids.append(int(float(_text(rec["id"]))) if _text(rec.get("id")) else None)
    return actions, problems, ids


def _updates(text: str, who: str) -> list[Update]:
    """"2024-05-01: note" lines (our export) or free text (one update dated today)."""
    out = []
    for line in filter(None, (x.strip() for x in text.splitlines())):
        m = re.match(r"^(\d{4}-\d{2}-\d{2})(?: \(([^)]*)\))?: (.*)$", line)
        out.append(Update(date.fromisoformat(m.group(1)), m.group(3), m.group(2) or who) if m
                   else Update(date.today(), line, who))
    return out


def plan_rows(actions: list[Action]) -> list[list]:
    out = []
    for a in actions:
        updates = "\n".join(f"{u.date.isoformat()} ({u.author}): {u.note}" for u in a.updates)
        out.append([a.id, a.org, a.title, a.description, "; ".join(a.indicators), a.owner, a.start.isoformat(),
                    a.due.isoformat(), a.status, str(a.target) if a.target else "", a.target_year or "", updates])
    return out


def write_plan(actions: list[Action], path: Path) -> None:
    rows = [[neutralise(v) for v in r] for r in plan_rows(actions)]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        wb = Workbook()
        ws = wb.active
        ws.title = "Action plan"
        ws.append(list(COLUMNS))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in rows:
            ws.append(r)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for letter, width in zip("ABCDEFGHIJKL", (6, 12, 40, 40, 18, 24, 12, 12, 12, 10, 10, 50), strict=True):
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        wb.save(path)
        return
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        w.writerows(rows)
