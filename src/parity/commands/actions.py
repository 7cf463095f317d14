"""`parity actions add|list|update|evaluate|import|export`: the action plan from the command line."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import date
from pathlib import Path

import typer

from parity.commands.common import console, friendly_errors

FORMATS = ("table", "json", "csv")
BAD_FORMAT = "Unknown format {fmt!r}: choose one of {valid}"
VERDICT_STYLE = {"improved": "green", "worsened": "bold red", "no_clear_change": "yellow"}

W = typer.Option(..., "--workspace", "-w", help="Parity workspace directory")
BY = typer.Option(None, "--by", help="Your name for the audit trail (default: your login name)")


def _who(by: str | None) -> str:
    return by or getpass.getuser()


def _day(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} must be a date as YYYY-MM-DD, got {text!r}") from None


def _check(fmt: str, valid: tuple[str, ...]) -> None:
    if fmt not in valid:
        raise ValueError(BAD_FORMAT.format(fmt=fmt, valid=", ".join(valid)))


def print_actions(actions) -> None:
    from rich.table import Table

    table = Table(title=f"Actions ({len(actions)})", show_lines=True)
    for col in ("ID", "Org", "Title", "Indicators", "Owner", "Start", "Due", "Status", "Target", "Latest update"):
        table.add_column(col)
    for a in actions:
        latest = f"{a.updates[-1].date}: {a.updates[-1].note}" if a.updates else ""
        overdue = a.status in ("planned", "in_progress") and a.due < date.today()
        table.add_row(str(a.id), a.org, a.title, ", ".join(a.indicators), a.owner, str(a.start),
                      f"[bold red]{a.due} (overdue)[/]" if overdue else str(a.due), a.status.replace("_", " "),
                      (f"{a.target} by {a.target_year}" if a.target_year else str(a.target)) if a.target else "",
                      latest)
    console.print(table)


def print_evaluation(result: dict) -> None:
    from rich.table import Table

    table = Table(title=f"Did the number move? ({result['org']})", show_lines=True)
    for col in ("ID", "Action", "Indicator", "Before", "Latest", "Change (95% CI)", "p", "Verdict", "Target"):
        table.add_column(col)

    def snap(s):
        return "" if s is None else f"{s['value']:.2f} ({s['year']})"
    for e in result["actions"]:
        ch = e["change"]
        change = "" if ch is None else f"{ch['estimate']:.2f} ({ch['ci_low']:.2f} to {ch['ci_high']:.2f})"
        p = "" if ch is None else ("< 0.001" if ch["p_value"] < 0.001 else f"{ch['p_value']:.3f}")
        style = VERDICT_STYLE.get(e["verdict"], "")
        verdict = e["verdict"].replace("_", " ")
        table.add_row(str(e["id"]), e["title"], e["indicator"], snap(e["before"]), snap(e["latest"]), change, p,
                      f"[{style}]{verdict}[/]" if style else verdict, e["target_status"].replace("_", " "))
    console.print(table)


def register(app: typer.Typer) -> None:
    actions_app = typer.Typer(help="Action plans tied to indicators, and whether the number moved.",
                              no_args_is_help=True)
    app.add_typer(actions_app, name="actions")

    @actions_app.command("add", help="Add an action.")
    def add(workspace: Path = W, org: str = typer.Option(..., "--org"),
            indicator: list[str] = typer.Option(..., "--indicator", help="wres.2, wdes.4a.ii or "
                                                "explore:OUTCOME:attr=value (repeatable)"),
            title: str = typer.Option(..., "--title"), owner: str = typer.Option(..., "--owner"),
            start: str = typer.Option(..., "--start", help="YYYY-MM-DD"), due: str = typer.Option(..., "--due"),
            description: str = typer.Option("", "--description"), status: str = typer.Option("planned", "--status"),
            target: str = typer.Option(None, "--target", help="e.g. '<=1.25'"),
            target_year: int = typer.Option(None, "--target-year"), by: str = BY,
            fmt: str = typer.Option("table", "--format", help="table or json")) -> None:
        from parity.actions import Action, ActionStore, Target

        with friendly_errors("actions add"):
            action = Action(org=org.strip().upper(), title=title, indicators=list(indicator), owner=owner,
                            start=_day(start, "--start"), due=_day(due, "--due"), status=status,
                            description=description, target=Target.parse(target), target_year=target_year)
            saved = ActionStore(workspace).add(action, who=_who(by))
            if fmt == "json":
                sys.stdout.write(json.dumps(saved.to_dict(), indent=2) + "\n")
            else:
                console.print(f"Added action {saved.id}: {saved.title}")

    @actions_app.command("list", help="List actions.")
    def list_(workspace: Path = W, org: str = typer.Option(None, "--org"),
              status: str = typer.Option(None, "--status"), indicator: str = typer.Option(None, "--indicator"),
              owner: str = typer.Option(None, "--owner"),
              fmt: str = typer.Option("table", "--format", help="table, json or csv")) -> None:
        from parity.actions import ActionStore
        from parity.actions.exchange import COLUMNS, plan_rows

        with friendly_errors("actions list"):
            _check(fmt, FORMATS)
            found = ActionStore(workspace).list(org=org and org.strip().upper(), status=status,
                                                indicator=indicator, owner=owner)
            if fmt == "json":
                sys.stdout.write(json.dumps({"actions": [a.to_dict() for a in found]}, indent=2) + "\n")
            elif fmt == "csv":
                import csv

                from parity.report.safety import neutralise

                w = csv.writer(sys.stdout)
                w.writerow(COLUMNS)
                w.writerows([[neutralise(v) for v in r] for r in plan_rows(found)])
            else:
                print_actions(found)

    @actions_app.command("update", help="Change an action's status or details, or add a progress note.")
    def update(workspace: Path = W, action_id: int = typer.Option(..., "--id"),
               status: str = typer.Option(None, "--status"), note: str = typer.Option(None, "--note"),
               due: str = typer.Option(None, "--due"), owner: str = typer.Option(None, "--owner"),
               title: str = typer.Option(None, "--title"), target: str = typer.Option(None, "--target"),
               target_year: int = typer.Option(None, "--target-year"),
               version: int = typer.Option(None, "--version", help="refuse if the action changed since this "
                                                                   "version (optimistic locking)"),
               by: str = BY) -> None:
        from parity.actions import ActionStore, Target

        with friendly_errors("actions update"):
            changes = {k: v for k, v in dict(status=status, due=_day(due, "--due"), owner=owner, title=title,
                                             target=Target.parse(target) if target else None,
                                             target_year=target_year).items() if v is not None}
            if not changes and not note:
                raise ValueError("Nothing to change: give --status, --note, --due, --owner, --title or --target")
            saved = ActionStore(workspace).update(action_id, who=_who(by), expected_version=version, note=note,
                                                  **changes)
            console.print(f"Action {saved.id} saved (version {saved.version}, status {saved.status}).")

    @actions_app.command("evaluate", help="Did each action's indicator move beyond chance?")
    def evaluate_(workspace: Path = W, org: str = typer.Option(..., "--org"),
                  fmt: str = typer.Option("table", "--format", help="table or json")) -> None:
        from parity.actions import ActionStore, evaluate
        from parity.commands.render import ANALYST_VIEW

        with friendly_errors("actions evaluate"):
            _check(fmt, ("table", "json"))
            org = org.strip().upper()
            result = evaluate(workspace, ActionStore(workspace).list(org=org), org=org)
            if fmt == "json":
                sys.stdout.write(json.dumps({**result, "disclosure": dict(ANALYST_VIEW)}, indent=2) + "\n")
            else:
                print_evaluation(result)

    @actions_app.command("import", help="Import an action plan (CSV or XLSX); rows with an ID update that action.")
    def import_(file: Path = typer.Argument(..., exists=True, dir_okay=False), workspace: Path = W,
                org: str = typer.Option(None, "--org", help="Organisation for rows without one"),
                by: str = BY) -> None:
        from parity.actions import ActionStore, import_plan

        with friendly_errors("actions import"):
            out = import_plan(ActionStore(workspace), file, org=org and org.strip().upper(), who=_who(by))
            console.print(f"{file.name}: {len(out['added'])} added, {len(out['updated'])} updated, "
                          f"{len(out['unchanged'])} unchanged, {len(out['problems'])} not imported.")
            for problem in out["problems"]:
                console.print(f"[red]Not imported:[/] {problem}")
            if out["problems"]:
                raise typer.Exit(2)

    @actions_app.command("export", help="Export the action plan as CSV or XLSX (by the file's extension).")
    def export(workspace: Path = W, out: Path = typer.Option(..., "--out"),
               org: str = typer.Option(None, "--org")) -> None:
        from parity.actions import ActionStore, write_plan

        with friendly_errors("actions export"):
            if out.suffix.lower() not in (".csv", ".xlsx"):
                raise ValueError(f"{out.name}: export to a .csv or .xlsx file")
            found = ActionStore(workspace).list(org=org and org.strip().upper())
            write_plan(found, out)
            console.print(f"Wrote {len(found)} actions to {out}")
