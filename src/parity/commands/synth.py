"""``parity synth``: write a synthetic NHS trust (or many) with known, injectable inequalities."""

from __future__ import annotations

from pathlib import Path

import typer

HELP = (
    "Generate synthetic canonical tables, an ESR staff-in-post extract and ground_truth.json.\n\n"
    "Biases (--bias NAME=VALUE, repeatable): appointment, disciplinary, training, progression, "
    "capability, appointment_disability (relative likelihoods R); pay_gap_sex, pay_gap_ethnicity "
    "(within-band gaps G); intersection (R; intersection_group=black_women by default). "
    "NAME@ORG=R sets appointment or appointment_disability in one organisation only; "
    "NAME@DIVISION=R (e.g. disciplinary@Surgery=2.0) sets disciplinary or capability in one division. "
    "--improve NAME=YEAR ends an appointment, appointment_disability or training bias from that "
    "reporting year (an action that worked). See docs/synth.md."
)


def synth(
    out: Path = typer.Option(..., "--out", help="Directory to write into (created if missing)"),
    staff: int = typer.Option(7000, "--staff", help="People in post at each snapshot, across all orgs"),
    years: int = typer.Option(5, "--years", help="Number of 31 March snapshots"),
    orgs: int = typer.Option(1, "--orgs", help="Number of organisations (sizes vary)"),
    seed: int = typer.Option(None, "--seed", help="Random seed (same seed, same files)"),
    bias: list[str] = typer.Option(None, "--bias", help="NAME=VALUE, repeatable"),
    improve: list[str] = typer.Option(None, "--improve", help="NAME=YEAR: the bias ends from that reporting year"),
    fmt: str = typer.Option("csv", "--format", help="csv, xlsx or parquet"),
    messy: bool = typer.Option(False, "--messy", help="Add realistic defects (recorded in messy_defects.json)"),
    no_esr: bool = typer.Option(False, "--no-esr", help="Skip esr/staff_in_post"),
    last_year: int = typer.Option(2025, "--last-year", help="Reporting year of the last snapshot"),
) -> None:
    from rich.console import Console
    from rich.table import Table

    from parity.synth import BiasError, generate
    from parity.synth.bias import parse_items
    from parity.synth.config import DEFAULT_SEED, FORMATS

    err = Console(stderr=True)
    if fmt not in FORMATS:
        err.print(f"[red]Error:[/red] unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    try:
        biases = parse_items(bias or [])
        res = generate(out, staff=staff, years=years, orgs=orgs, seed=DEFAULT_SEED if seed is None else seed,
                       bias=biases, fmt=fmt, messy=messy, esr=not no_esr, last_year=last_year,
                       improve=parse_items(improve or []))
    except BiasError as exc:
        err.print(f"[red]Error:[/red] {exc}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    except ValueError as exc:
        err.print(f"[red]Error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None
    table = Table(title=f"Synthetic data in {out}")
    table.add_column("file")
    table.add_column("rows", justify="right")
    for name, path in res.paths.items():
        rows = res.rows.get(name)
        table.add_row(str(path.relative_to(res.out_dir)), "" if rows is None else f"{rows:,}")
    Console().print(table)
    injected = {k: v["value"] for k, v in res.ground_truth["biases"].items() if v["injected"]}
    Console().print(f"Biases injected: {injected or 'none'}; defects recorded: {len(res.defects)}")


def register(app: typer.Typer) -> None:
    app.command("synth", help=HELP)(synth)
