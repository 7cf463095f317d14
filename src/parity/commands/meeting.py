"""`parity meeting agenda|record|list`: the staff network's weekly meeting."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from parity.commands.actions import BY, W, _day, _who
from parity.commands.common import console, friendly_errors


def register(app: typer.Typer) -> None:
    meeting_app = typer.Typer(help="The network meeting: agenda, and notes of what was decided.",
                              no_args_is_help=True)
    app.add_typer(meeting_app, name="meeting")

    @meeting_app.command("agenda", help="What changed since the last meeting and what is due (published figures).")
    def agenda(workspace: Path = W, org: str = typer.Option(..., "--org"),
               on: str = typer.Option(..., "--date", help="Meeting date, YYYY-MM-DD"),
               since: str = typer.Option(None, "--since", help="Default: the last recorded meeting, or a week before"),
               out: Path = typer.Option(..., "--out", help="A .md, .html or .pdf file")) -> None:
        from parity.actions.agenda import build_agenda
        from parity.actions.agenda_render import write_agenda

        with friendly_errors("meeting agenda"):
            if out.suffix.lower() not in (".md", ".markdown", ".html", ".htm", ".pdf"):
                raise ValueError(f"{out.name}: write the agenda to a .md, .html or .pdf file")
            with console.status("Building the agenda"):
                a = build_agenda(workspace, org=org.strip().upper(), on=_day(on, "--date"),
                                 since=_day(since, "--since"))
            write_agenda(a, out)
            console.print(f"Wrote the agenda for {a.date:%d %B %Y} (changes since {a.since:%d %B %Y}) to {out}")

    @meeting_app.command("record", help="Record a meeting's decisions and the actions it created.")
    def record(workspace: Path = W, org: str = typer.Option(..., "--org"),
               on: str = typer.Option(..., "--date", help="YYYY-MM-DD"),
               decisions: str = typer.Option(..., "--decisions"),
               action: list[int] = typer.Option(None, "--action", help="ID of an action the meeting created "
                                                                        "(repeatable)"),
               by: str = BY) -> None:
        from parity.actions.meetings import Meeting, MeetingStore

        with friendly_errors("meeting record"):
            m = MeetingStore(workspace).record(Meeting(org.strip().upper(), _day(on, "--date"), decisions,
                                                       actions=list(action or [])), who=_who(by))
            console.print(f"Recorded the meeting of {m.date:%d %B %Y} ({len(m.actions)} actions linked).")

    @meeting_app.command("list", help="Meetings and the actions they created.")
    def list_(workspace: Path = W, org: str = typer.Option(None, "--org"),
              fmt: str = typer.Option("table", "--format", help="table or json")) -> None:
        from parity.actions.meetings import MeetingStore

        with friendly_errors("meeting list"):
            found = MeetingStore(workspace).list(org=org and org.strip().upper())
            if fmt == "json":
                sys.stdout.write(json.dumps({"meetings": [m.to_dict() for m in found]}, indent=2) + "\n")
                return
            from rich.table import Table

            table = Table(title=f"Meetings ({len(found)})", show_lines=True)
            for col in ("Date", "Org", "Decisions", "Actions created", "Recorded by"):
                table.add_column(col)
            for m in found:
                table.add_row(str(m.date), m.org, m.decisions, ", ".join(map(str, m.actions)), m.recorded_by)
            console.print(table)
