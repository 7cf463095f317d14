"""`parity benchmark`: each organisation against the national figure and its peers (funnel plot)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from parity.commands.common import console, friendly_errors

POSITION_WORDS = {"within": "within the limits", "above_95": "above the 95% limit",
                  "above_998": "above the 99.8% limit", "below_95": "below the 95% limit",
                  "below_998": "below the 99.8% limit", None: "not compared"}


def print_comparison(d: dict) -> None:
    from rich.table import Table

    nat = d["national"]["value"]
    nat = "not known (no counts)" if nat is None else f"{nat:.2f}"
    marking = d["disclosure"].get("marking")
    if marking:
        console.print(f"[bold red]{marking}[/]")
    console.print(d["disclosure"]["figures"], highlight=False)  # where the figures came from (header)
    table = Table(title=f"{d['indicator']} {d['title']} — {d['year']}: national {nat} "
                        f"({d['better']} is better)", show_lines=False)
    for col in ("Rank", "Organisation", "Value", "Size", "Funnel position", "Peer percentile"):
        table.add_column(col)
    for r in sorted(d["organisations"], key=lambda r: r.get("rank") or 10**9):
        table.add_row(str(r.get("rank") or ""), r["org"], "" if r["value"] is None else f"{r['value']:.2f}",
                      f"{r['denominator']:,}", POSITION_WORDS[r.get("position")], f"{r.get('peer_percentile') or ''}")
    console.print(table)
    p = d["peers"]
    if p.get("chosen_by"):
        chosen = ", ".join(f"{k}={v}" for k, v in p["chosen_by"].items())
        console.print(f"Peers ({chosen}): {p['organisations']} organisations, median {p.get('median', 0):.2f}, "
                      f"interquartile range {p.get('q1', 0):.2f}–{p.get('q3', 0):.2f}.")
    od = d["overdispersion"]
    if od.get("overdispersed"):
        console.print(f"[yellow]The organisations vary more than chance allows[/] (φ = {od['phi']:.2f}, "
                      f"p = {od['p_value']:.3g}): consider --adjust multiplicative or additive.")


BUILD_HELP = ("Fill the benchmarks table from every organisation of the workspace (protected figures, as "
              "parity report publishes them)")


def register(app: typer.Typer) -> None:
    bench = typer.Typer(help="Compare organisations with the national figure and their peers (funnel plot).",
                        no_args_is_help=False)

    @bench.callback(invoke_without_command=True)
    def benchmark(ctx: typer.Context, workspace: Path = typer.Option(None, "--workspace", "-w"),
                  year: int = typer.Option(None, "--year"),
                  org: str = typer.Option(None, "--org"), indicator: str = typer.Option("wres.2", "--indicator"),
                  adjust: str = typer.Option("none", "--adjust", help="none, multiplicative or additive "
                                                                      "(over-dispersion)"),
                  fmt: str = typer.Option("table", "--format", help="table or json"),
                  peers: str = typer.Option(None, "--peers", help="type=acute,region=London and/or nearest=K "
                                                                  "(with --org): docs/benchmark.md")) -> None:
        """Each organisation against the national figure (from the benchmarks table when it holds the
        year, otherwise counted from the workspace); `parity benchmark build` fills the table."""
        if ctx.invoked_subcommand is not None:
            return
        from parity.benchmark import compare
        with friendly_errors("benchmark"):
            if workspace is None or year is None:
                raise ValueError("parity benchmark needs --workspace and --year")
            if fmt not in ("table", "json"):
                raise ValueError(f"Unknown format {fmt!r}: choose one of table, json")
            d = compare(workspace, year=year, indicator=indicator, org=org and org.strip().upper(), adjust=adjust,
                        peers=peers)
            if fmt == "json":
                sys.stdout.write(json.dumps(d, indent=2, default=float) + "\n")
            else:
                print_comparison(d)

    @bench.command("build", help=BUILD_HELP)
    def build_command(workspace: Path = typer.Option(..., "--workspace", "-w"), year: int = typer.Option(..., "--year"),
                      backend: str = typer.Option("duckdb", "--backend", help="duckdb (default) or spark"),
                      organisations: Path = typer.Option(None, "--organisations", help="CSV of org_code with "
                                                         "org_name, org_type, region (labels for peers)")) -> None:
        from parity.benchmark.build import build

        with friendly_errors("benchmark build"):
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                          transient=True) as bar:
                task = bar.add_task("Starting")
                got = build(workspace, year=year, backend=backend, organisations=organisations,
                            progress=lambda message: bar.update(task, description=message))
            console.print(f"Stored {got['rows']:,} protected row(s) for {got['organisations']} organisations and "
                          f"{len(got['indicators'])} indicators ({got['year']}, {got['backend']}); "
                          f"{got['withheld_values']} value(s) withheld; replaced {got['replaced']:,} row(s).")

    app.add_typer(bench, name="benchmark")
