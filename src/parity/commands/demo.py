"""`parity demo`: generate the demo trust, import it into ./parity-demo, and run the main job."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from parity.commands.common import console, friendly_errors
from parity.commands.render import print_table

#: biases injected into the demo trust, so that the demo has findings to show (ground_truth.json
#: in the data folder records them); close to national WRES/WDES figures
DEMO_BIAS = {"appointment": 1.5, "disciplinary": 1.4, "training": 1.15, "progression": 1.3,
             "capability": 2.0, "pay_gap_sex": 0.05}
DEMO_SEED = 2025
#: the training bias ends from reporting year 2024: the demo's action on WRES 4 shows a number that
#: moved, its action on WRES 2 one that did not (issue 15)
DEMO_IMPROVE = {"training": 2024}
#: canonical files imported as they are; the workforce comes in through the ESR preset
CANONICAL_FILES = ("applications", "disciplinary", "capability", "training", "survey_responses", "pay", "leavers")


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_command(
        data: Path = typer.Option(Path("demo-data"), "--data", help="Where the synthetic trust's files go"),
        workspace: Path = typer.Option(Path("parity-demo"), "--workspace", "-w", help="Demo workspace"),
        staff: int = typer.Option(7000, "--staff", help="Staff in post in the demo trust"),
        years: int = typer.Option(5, "--years", help="Years of 31 March snapshots"),
        fresh: bool = typer.Option(False, "--fresh", help="Regenerate the data and rebuild the workspace"),
    ) -> None:
        """Generate a synthetic trust (if absent), import it, and show its figures."""
        with friendly_errors("demo"):
            run_demo(data, workspace, staff=staff, years=years, fresh=fresh)


def run_demo(data: Path, workspace: Path, *, staff: int = 7000, years: int = 5, fresh: bool = False) -> dict[str, Path]:
    if fresh:
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(workspace, ignore_errors=True)
    steps = ["generate", *["import " + t for t in ("workforce", *CANONICAL_FILES)]]
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("Generating the demo trust", total=len(steps))

        def step(description: str | None) -> None:
            if description:
                progress.update(task, description=description)
            else:
                progress.advance(task)
        results = build_demo_workspace(data, workspace, staff=staff, years=years, on_step=step)
    _print_reconciliation(results)
    _demo_actions(workspace)
    with console.status("Computing indicators"):
        return _main_job(workspace)


def build_demo_workspace(data: Path, workspace: Path, *, staff: int = 7000, years: int = 5,
                         on_step=None) -> list[tuple[Path, str, object]]:
    """Generate the demo trust into `data` (unless there) and import it into `workspace` as the demo
    does; returns (file, table, import result) per import. ``on_step(description)`` is told before
    each import and ``on_step(None)`` after each step (the demo's progress bar)."""
    from parity.ingest import import_file
    from parity.synth import generate
    from parity.workspace import Workspace

    tell = on_step or (lambda _description: None)
    if not (data / "ground_truth.json").exists():
        generate(data, staff=staff, years=years, seed=DEMO_SEED, bias=DEMO_BIAS, improve=DEMO_IMPROVE)
    tell(None)
    ws = Workspace.open(workspace, create=True)
    imports = [(data / "esr" / "staff_in_post.csv", "workforce", "esr-staff-in-post")]
    imports += [(data / f"{t}.csv", t, None) for t in CANONICAL_FILES if (data / f"{t}.csv").exists()]
    results = []
    for path, table, preset in imports:
        tell(f"Importing {path.name} as {table}")
        results.append((path, table, import_file(ws, path, table, preset=preset)))
        tell(None)
    qmap = data / "survey_question_map.csv"
    if qmap.exists():
        shutil.copy(qmap, workspace / "survey_question_map.csv")
    return results


def _demo_actions(workspace: Path) -> None:
    """Two actions of the demo trust's plan, added once: one whose number moved, one whose did not."""
    from datetime import date

    from parity.actions import Action, ActionStore, Target, Update

    store = ActionStore(workspace)
    if store.list():
        return
    org = "R0A"
    store.add(Action(org=org, title="Fair access to leadership and CPD courses", indicators=["wres.4"],
                     owner="Head of Learning and Development", start=date(2023, 4, 1), due=date(2024, 3, 31),
                     status="done", target=Target.parse("<=1.25"), target_year=2025,
                     description="Open every non-mandatory course to all staff, with places ring-fenced by band",
                     updates=[Update(date(2023, 9, 30), "Applications opened to all bands", "demo"),
                              Update(date(2024, 3, 29), "Ring-fenced places in place for every course", "demo")]),
              who="demo")
    store.add(Action(org=org, title="Diverse interview panels and de-biased shortlisting", indicators=["wres.2"],
                     owner="Director of People", start=date(2023, 4, 1), due=date(2025, 3, 31),
                     status="in_progress", target=Target.parse("<=1.25"), target_year=2026,
                     updates=[Update(date(2024, 1, 15), "Panel members trained in two divisions", "demo")]),
              who="demo")


def _print_reconciliation(results) -> None:
    table = Table(title="Import reconciliation (rows read = accepted + excluded)")
    for col in ("File", "Table", "Read", "Accepted", "Excluded", "Reasons"):
        table.add_column(col, justify="right" if col in ("Read", "Accepted", "Excluded") else "left")
    for path, name, r in results:
        reasons = ", ".join(f"{k}: {v:,}" for k, v in r.excluded_by_reason.items()) or "—"
        table.add_row(path.name, name, f"{r.rows_read:,}", f"{r.rows_accepted:,}", f"{r.rows_excluded:,}", reasons)
    console.print(table)


def _main_job(workspace: Path) -> dict[str, Path]:
    """The main job: workforce profile, WRES, and the full protected report for the latest year."""
    from parity import wres
    from parity.backends import connect
    from parity.indicators.profile import workforce_profile

    out_dir = workspace / "outputs"
    out_dir.mkdir(parents=True, exist_ok=True)
    con = connect("duckdb", workspace=workspace)
    profile = workforce_profile(con)
    year = int(profile.year.max())
    latest = profile[profile.year == year]
    _print_profile(latest, year)
    result = wres(workspace, year=year)
    print_table(result, ("White", "BME", "Unknown"))
    paths = {
        "profile": out_dir / "workforce-profile.csv",
        "wres_json": out_dir / f"wres-{year}.json",
        "wres_csv": out_dir / f"wres-{year}.csv",
    }
    profile.to_csv(paths["profile"], index=False)
    paths["wres_json"].write_text(result.to_json(indent=2), encoding="utf-8")
    result.to_frame().to_csv(paths["wres_csv"], index=False)
    _print_actions(workspace, "R0A")
    with console.status("Writing the board report (HTML, PDF, Excel, CSV) with disclosure control"):
        from parity.report import write_demo_report

        paths["report"] = write_demo_report(workspace, year)
    console.print("\n[bold]Outputs[/]")
    for name, path in paths.items():
        console.print(f"  {name}: {path.resolve()}")
    console.print(f"\n[bold green]Open the board report:[/] {paths['report'].resolve()}")
    console.print(f"\nExplore further: [cyan].venv/bin/parity wres --workspace {workspace} --year {year - 1}[/] "
                  "(or activate the virtualenv: [cyan]source .venv/bin/activate[/])")
    console.print(f"Open the dashboard: [cyan]make serve[/] (or [cyan].venv/bin/parity serve --workspace {workspace}[/]) "
                  "and follow the one-time set-up link it prints.")
    return paths


def _print_profile(profile, year: int) -> None:
    table = Table(title=f"Workforce profile at 31 March {year} (people in post, bank excluded)")
    table.add_column("Dimension")
    table.add_column("Category")
    table.add_column("Headcount", justify="right")
    table.add_column("%", justify="right")
    for rec in profile.itertuples(index=False):  # a few dozen summary rows
        table.add_row(rec.dimension, rec.category, f"{rec.headcount:,}", f"{rec.percent:.1f}")
    console.print(table)


def _print_actions(workspace: Path, org: str) -> None:
    from parity.actions import ActionStore, evaluate
    from parity.commands.actions import print_evaluation

    actions = ActionStore(workspace).list(org=org)
    if actions:
        print_evaluation(evaluate(workspace, actions, org=org))
