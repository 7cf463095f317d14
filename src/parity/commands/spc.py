"""`parity spc`: Making Data Count charts of a measure per group, over months or quarters."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from parity.commands.common import console, friendly_errors

VARIATION_WORDS = {
    "common_cause": "common cause: no signal",
    "special_cause_concern": "special cause: concern",
    "special_cause_improvement": "special cause: improvement",
    "special_cause_neutral": "special cause",
}


def print_result(result) -> None:
    from rich.table import Table

    d = result.to_dict()
    title = (f"parity spc — {d['label']} ({d['unit']}, by {d['period']}), {d['org'] or 'all organisations'}; "
             f"{'lower' if d['better'] == 'lower' else 'higher'} is better")
    table = Table(title=title, show_lines=True)
    for col in ("Series", "Chart", "Periods", "Mean", "Limits", "Latest", "Signals", "Variation"):
        table.add_column(col)
    for s in d["series"]:
        pts = s["points"]
        latest = f"{pts[-1]['period']}: {pts[-1]['value']:.2f}" if pts else ""
        if s["chart"] is None:
            table.add_row(s["group"], "none", str(len(pts)), "", "", latest, "", "; ".join(s["notes"]))
            continue
        signals = sum(p["special_cause"] for p in pts)
        table.add_row(s["group"], s["chart"], str(len(pts)), f"{s['mean']:.2f}",
                      f"{s['lower_limit']:.2f}–{s['upper_limit']:.2f}", latest, str(signals),
                      VARIATION_WORDS.get(s["variation"], s["variation"]))
    console.print(table)
    for reason, n in d["excluded"].items():
        console.print(f"[yellow]Excluded:[/] {n:,} events {reason}.")
    if d["unknown_events"]:
        console.print(f"[yellow]Note:[/] {d['unknown_events']:,} events of people whose group is not known are "
                      "counted but not charted as a group.")


def register(app: typer.Typer) -> None:
    @app.command("spc", help="Statistical process control (Making Data Count) charts of a measure per group.")
    def spc_command(
        workspace: Path = typer.Option(..., "--workspace", "-w", help="Parity workspace directory"),
        org: str = typer.Option(None, "--org", help="Organisation code (default: all organisations together)"),
        measure: str = typer.Option("disciplinary", "--measure",
                                    help="disciplinary, capability, appointment, leavers or training"),
        by: str = typer.Option("ethnicity", "--by", help="ethnicity (BME, White), ethnicity_broad, disability, "
                                                         "sex, age_band, staff_group, band"),
        period: str = typer.Option("month", "--period", help="month or quarter"),
        chart: str = typer.Option("auto", "--chart", help="auto, xmr or laney (p′/u′)"),
        shift: int = typer.Option(7, "--shift-length", help="points on one side of the mean that make a shift"),
        trend: int = typer.Option(7, "--trend-length", help="points rising or falling that make a trend"),
        min_points: int = typer.Option(15, "--min-points", help="fewest periods for a chart"),
        fmt: str = typer.Option("table", "--format", help="table or json"),
    ) -> None:
        from parity.commands.render import ANALYST_VIEW
        from parity.spc import SpcRules, spc

        with friendly_errors("spc"):
            if fmt not in ("table", "json"):
                raise ValueError(f"Unknown format {fmt!r}: choose one of table, json")
            rules = SpcRules(shift=shift, trend=trend, min_points=min_points)
            result = spc(workspace, org=org, measure=measure, by=by, period=period, chart=chart, rules=rules)
            if fmt == "json":
                sys.stdout.write(json.dumps({**result.to_dict(), "disclosure": dict(ANALYST_VIEW)}, indent=2,
                                            ensure_ascii=False) + "\n")
            else:
                print_result(result)
