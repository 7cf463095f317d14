"""`parity report`: the board report (HTML, PDF, Excel, CSV) for a workspace, protected by default."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from parity.commands.common import batch_gc, console, err_console, friendly_errors

UNSUPPRESSED_WARNING = ("[bold red]Not for publication — contains small numbers.[/] Disclosure control is OFF "
                        "(--unsuppressed): every page is marked; do not publish or share these files.")


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report_command(
        workspace: Path = typer.Option(..., "--workspace", "-w", help="Workspace directory"),
        year: int = typer.Option(..., "--year", "-y", help="Reporting year Y (financial year ending 31 March Y)"),
        org: str | None = typer.Option(None, "--org", help="Organisation code (default: all organisations together)"),
        standards: str = typer.Option("wres,wdes,paygap", "--standards", help="Comma-separated: wres, wdes, paygap"),
        out: Path = typer.Option(..., "--out", "-o", help="Output directory (created if needed)"),
        formats: str | None = typer.Option(None, "--formats", help="Comma-separated: html, pdf, xlsx, csv "
                                           "(default all four; html only with --all-orgs)"),
        unsuppressed: bool = typer.Option(False, "--unsuppressed",
                                          help="Analyst's own view: no disclosure control; every page marked "
                                               "'Not for publication'"),
        k: int = typer.Option(10, "--k", help="Disclosure threshold: counts from 1 to k-1 are withheld"),
        national: bool = typer.Option(False, "--national", help="A national summary of every organisation instead "
                                      "(funnel plots, outliers, regions, over time; docs/benchmark.md)"),
        all_orgs: bool = typer.Option(False, "--all-orgs", help="One report per organisation, into OUT/ORG/, "
                                      "from one counting pass (and the national summary into OUT/national/)"),
    ) -> None:
        """Board-ready report with charts, methods and questions to ask; small numbers withheld."""
        if all_orgs:  # issue 19
            from parity.commands.report_all import run_all_orgs

            if org or national:
                raise typer.BadParameter("--all-orgs writes every organisation's report: drop --org and --national")
            with friendly_errors("report --all-orgs"), batch_gc():
                run_all_orgs(workspace, year=year, standards=_split(standards), out=out,
                             formats=_split(formats or "html"), unsuppressed=unsuppressed, k=k)
            return
        if national:  # issue 18
            from parity.report.national import run_national

            with friendly_errors("report --national"), batch_gc():
                run_national(workspace, year=year, out=out, k=k, org=org, unsuppressed=unsuppressed,
                             formats=_split(formats) if formats else None)
            return
        with friendly_errors("report"), batch_gc():
            paths = run_report(workspace, year=year, org=org, standards=_split(standards), out=out,
                               formats=_split(formats or "html,pdf,xlsx,csv"), unsuppressed=unsuppressed, k=k)
            for name, path in paths.items():
                console.print(f"  {name}: {path.resolve()}")


def run_report(workspace: Path, *, year: int, org: str | None, standards: list[str], out: Path,
               formats: list[str], unsuppressed: bool = False, k: int = 10) -> dict[str, Path]:
    from parity.disclosure import DisclosureRule
    from parity.report import build_report, write_report
    from parity.report.ahead import report_ahead
    from parity.report.chart_worker import background_charts

    if unsuppressed:
        err_console.print(UNSUPPRESSED_WARNING)
    rule = DisclosureRule(k=k)
    steps = len([s for s in standards if s in ("wres", "wdes", "paygap")]) + len(formats) + 1
    # charts are drawn in a second process while the report is computed (issue 19), when any are drawn
    drawing = background_charts() if {"html", "pdf"} & {f.strip().lower() for f in formats} else nullcontext()
    # the pay gaps and the scan's counts in a forked child while WRES and WDES are counted, and the PDF
    # while the other formats are written: forked first, before any connection or thread
    ahead = report_ahead(workspace, year=year, org=org, rule=rule, unsuppressed=unsuppressed,
                         paygap="paygap" in {s.strip().lower() for s in standards},
                         pdf="pdf" in {f.strip().lower() for f in formats})
    with ahead, drawing, Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("Starting", total=steps)

        def tick(message: str) -> None:
            progress.update(task, description=message)
            progress.advance(task)

        report = build_report(workspace, year=year, org=org, standards=standards, rule=rule,
                              unsuppressed=unsuppressed, generated_on=date.today().isoformat(), progress=tick)
        paths = write_report(report, out, formats=formats, progress=tick)
        progress.update(task, completed=steps)
    console.print(f"[bold]Report for {report.organisation}, {year}[/]" + (" — NOT FOR PUBLICATION" if unsuppressed else ""))
    return paths
