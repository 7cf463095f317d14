"""`parity explore scan|funnel|progression|retention|trend`: the bias explorer on the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.table import Table

from parity.commands.common import console, friendly_errors
from parity.commands.render import ANALYST_VIEW, write_csv

FORMATS = ("table", "json", "csv")
BAD_FORMAT = "Unknown format {fmt!r}: choose one of table, json, csv"
BAD_REFERENCE_ITEM = "--reference items look like attribute=value (e.g. ethnicity=White,sex=male), got {item!r}"


def parse_reference(text: str | None) -> dict[str, str] | str | None:
    """``rest`` → "rest"; ``ethnicity=White,sex=male`` → a dict; None → the default reference."""
    if text is None or text.strip() == "":
        return None
    if text.strip() == "rest":
        return "rest"
    out = {}
    for item in text.split(","):
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ValueError(BAD_REFERENCE_ITEM.format(item=item))
        out[name.strip()] = value.strip()
    return out


def _split(values: list[str] | None) -> list[str] | None:
    """Repeatable options that also accept comma-separated lists."""
    if not values:
        return None
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def survival_options(adjust: list[str] | None, band: str | None, staff_group: str | None,
                     new_spells: bool) -> dict:
    """Options of ``--method survival``: ``--adjust none`` adjusts for nothing."""
    names = _split(adjust)
    out: dict = {"band": band, "staff_group": staff_group, "new_only": new_spells}
    if names is not None:
        out["adjust"] = () if names == ["none"] else tuple(names)
    return out


def print_result(result, top: int) -> None:
    title = f"parity explore {result.kind} — {result.comparisons:,} comparisons, FDR {result.settings['fdr']:.0%}"
    table = Table(title=title, show_lines=True)
    for col in ("#", "Outcome", "Group", "RL (95% CI)", "Adj. p", "Finding"):
        table.add_column(col, ratio=1 if col == "Finding" else None)
    for i, f in enumerate(result.findings[:top], 1):
        rl = f.get("relative_likelihood")
        ci = f"({f['ci_low']:.2f}–{f['ci_high']:.2f})" if f.get("ci_low") is not None else ""
        shown = f"{rl:.2f} {ci}" if rl is not None else f"undefined {ci}" if ci else "withheld"
        if result.kind == "trend":
            shown = f"×{2.718281828 ** f['rl_slope']:.2f}/yr"
        p = f.get("p_adjusted")
        style = "bold red" if f.get("significant") else ""
        group = ", ".join(f"{k}={v}" for k, v in f["group"].items())
        table.add_row(str(i), f["outcome"], group, shown, "" if p is None else f"{p:.3g}",
                      f"[{style}]{f['narrative']}[/]" if style else f["narrative"])
    console.print(table)
    if len(result.findings) > top:
        console.print(f"{len(result.findings) - top:,} more findings: use --top or --format json.")
    if result.not_tested:
        console.print(f"{len(result.not_tested):,} cells not tested (too small, unknown attribute or no "
                      "reference): see --format json.")
    for note in result.notes:
        console.print(f"[yellow]Note:[/] {note}")


def write(result, fmt: str, top: int, *, protected: bool = False, wres: dict | None = None) -> None:
    """``wres``: {year: protected WRES} published beside a protected scan (issue 10 leak 13)."""
    if protected:  # the published view: small cells withheld with their statistics (issue 10)
        write_protected(result, fmt, top, wres=wres)
    elif fmt == "json":  # the analyst's view, and it says so (issue 10)
        sys.stdout.write(json.dumps({**result.to_dict(), "disclosure": dict(ANALYST_VIEW)}, indent=2,
                                    ensure_ascii=False) + "\n")
    elif fmt == "csv":
        write_csv(result.frame.assign(protected=False))
    else:
        print_result(result, top)


def write_protected(result, fmt: str, top: int, *, wres: dict | None = None) -> None:
    from types import SimpleNamespace

    from parity.disclosure.explore import protect_explore

    payload = protect_explore(result.to_dict(), wres=wres)
    if fmt == "json":
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        import pandas as pd

        write_csv(pd.json_normalize(payload["findings"]).assign(protected=True))
    else:
        print_result(SimpleNamespace(**{**payload, "settings": result.settings}), top)


def register(app: typer.Typer) -> None:
    explore_app = typer.Typer(help="Explore where inequalities show: intersectional scan, recruitment funnel, "
                                   "progression, retention and trends.", no_args_is_help=True)

    def make(kind: str, summary: str) -> None:
        @explore_app.command(kind, help=summary)
        def command(
            workspace: Path = typer.Option(..., "--workspace", "-w", help="Parity workspace directory"),
            year: int = typer.Option(..., "--year", help="Reporting year (financial year ending 31 March)"),
            by: list[str] = typer.Option(None, "--by", help="Attributes, comma-separated or repeated "
                                         "(default ethnicity,sex)"),
            outcome: list[str] = typer.Option(None, "--outcome", help="Outcomes to scan (scan, trend)"),
            org: str = typer.Option(None, "--org", help="One organisation code (default: all together)"),
            fdr: float = typer.Option(0.05, "--fdr", help="False discovery rate to control"),
            reference: str = typer.Option(None, "--reference", help="'rest' or e.g. ethnicity=White,sex=male"),
            min_cell: int = typer.Option(30, "--min-cell", help="Smallest group or reference tested"),
            fmt: str = typer.Option("table", "--format", help="table, json or csv"),
            top: int = typer.Option(20, "--top", help="Findings shown in the table"),
            protected: bool = typer.Option(False, "--protected", help="The published view: small counts "
                                           "withheld with their statistics and narratives"),
            method: str = typer.Option("rate", "--method", help="progression, retention: 'rate' (yearly "
                                       "rates) or 'survival' (time in band / in post: Kaplan-Meier, Cox)"),
            adjust: list[str] = typer.Option(None, "--adjust", help="--method survival: what the Cox model "
                                             "adjusts for (default band,staff_group,fte,age_band; 'none')"),
            band: str = typer.Option(None, "--band", help="--method survival: spells starting in this band"),
            staff_group: str = typer.Option(None, "--staff-group", help="--method survival: spells in this "
                                            "staff group (its label)"),
            new_spells: bool = typer.Option(False, "--new-spells-only", help="--method survival: only spells "
                                            "that start within the data (no left truncation)"),
            pool_years: int = typer.Option(1, "--pool-years", help="scan: pool this many reporting years "
                                           "ending at --year (small units, e.g. --by division,ethnicity)"),
        ) -> None:
            with friendly_errors(f"explore {kind}"):
                if fmt not in FORMATS:
                    raise ValueError(BAD_FORMAT.format(fmt=fmt))
                if pool_years != 1 and kind != "scan":
                    raise ValueError(f"--pool-years applies to explore scan only, not explore {kind}")
                from parity.explore import explore

                survival = method == "survival"
                extra = survival_options(adjust, band, staff_group, new_spells) if survival else {}
                by_default = ("ethnicity",) if survival else ("ethnicity", "sex")
                result = explore(workspace, kind=kind, year=year, by=tuple(_split(by) or by_default),
                                 outcomes=_split(outcome), reference=parse_reference(reference), fdr=fdr,
                                 min_cell=min_cell, org=org, method=method, **extra,
                                 **({"pool_years": pool_years} if pool_years != 1 else {}))
                if survival:
                    from parity.commands.explore_survival import write_survival

                    write_survival(result, fmt, top, protected=protected)
                elif protected and kind in ("scan", "funnel"):  # around WRES 2 as published (issue 10 leak 13)
                    from parity.disclosure import DisclosureRule
                    from parity.report.explorer import published_wres

                    write(result, fmt, top, protected=True,
                          wres=published_wres(workspace, year=year, org=org, rule=DisclosureRule()))
                else:
                    write(result, fmt, top, protected=protected)

    for kind, summary in (
        ("scan", "Every outcome over combinations of up to three attributes, against a reference group."),
        ("funnel", "Recruitment: conversion at each step from application to appointment, by group."),
        ("progression", "Moving up at least one band between consecutive 31 March snapshots."),
        ("retention", "Leavers in the year ÷ headcount at its start, by group, with reasons."),
        ("trend", "Each scanned group over the years: trend tests for rates and relative likelihoods."),
    ):
        make(kind, summary)
    app.add_typer(explore_app, name="explore")
