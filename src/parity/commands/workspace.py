"""``parity workspace check|repair`` (docs/ingest.md "Guarantees")."""

from __future__ import annotations

from pathlib import Path

import typer

from parity.commands.common import console, friendly_errors

WORKSPACE = typer.Option(..., "--workspace", "-w", envvar="PARITY_WORKSPACE", help="Workspace directory")
KEY_FILE = typer.Option(None, "--key-file", envvar="PARITY_KEY_FILE",
                        help="Pseudonymisation key file (default: the per-user key store)")
STYLE = {"error": "bold red", "warning": "yellow", "info": ""}

workspace_app = typer.Typer(help="Check or repair a workspace (format, database, key, file modes).",
                            no_args_is_help=True)


def _print(report) -> None:
    console.print(f"Workspace {report.path}", markup=False)
    for severity, message in report.findings:
        label = "" if severity == "info" else f"{severity}: "
        console.print(f"  {label}{message}", style=STYLE[severity], markup=False, soft_wrap=True)
    n = len(report.problems)
    console.print(f"{n} problem(s).", style="green" if report.ok else "bold red", markup=False)


@workspace_app.command("check")
def check_command(workspace: Path = WORKSPACE, key_file: Path | None = KEY_FILE) -> None:
    """Read-only check: format version, database, tables, import log, key, file modes. Exit 2 on errors."""
    from parity.workspace.check import check

    with friendly_errors("workspace check"):
        report = check(workspace, key_file)
        _print(report)
        raise typer.Exit(0 if report.ok else 2)


@workspace_app.command("repair")
def repair_command(workspace: Path = WORKSPACE, key_file: Path | None = KEY_FILE) -> None:
    """Upgrade the format (backup first), move the key out, fix file modes; then check again."""
    from parity.workspace.check import check, repair

    with friendly_errors("workspace repair"):
        for step in repair(workspace, key_file):
            console.print(f"repaired: {step}", markup=False, soft_wrap=True)
        report = check(workspace, key_file)
        _print(report)
        raise typer.Exit(0 if report.ok else 2)


@workspace_app.command("units")
def units_command(file: Path | None = typer.Argument(None, help="organisation.yaml naming the levels, e.g. "
                                                     "'levels: {org_l3: division, org_l4: directorate}'"),
                  workspace: Path = WORKSPACE) -> None:
    """Name the organisation's hierarchy levels (ESR Org L3 … L7, site); without FILE, show them."""
    from parity.contract.units import UnitsError, level_names, save_levels

    with friendly_errors("workspace units"):
        if not workspace.is_dir():
            console.print(f"error: no workspace at {workspace}", style="bold red", markup=False)
            raise typer.Exit(2)
        try:
            if file is not None:
                save_levels(workspace, file.read_text(encoding="utf-8"), str(file))
            names = level_names(workspace)
        except (UnitsError, OSError) as exc:
            console.print(f"error: {exc}", style="bold red", markup=False, soft_wrap=True)
            raise typer.Exit(2) from None
        for column, name in names.items():
            console.print(f"{column}: {name}", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(workspace_app, name="workspace")
