"""Render standard results (WRES, WDES) as a Rich table, JSON or CSV."""

from __future__ import annotations

import sys

from rich.table import Table

from parity.commands.common import console
from parity.indicators.results import IndicatorResult, StandardResult

ASSESSMENT_STYLE = {"adverse": "bold red", "favourable": "green", "within_range": "green", "inconclusive": "yellow"}


def headline(ind: IndicatorResult) -> str:
    if ind.value is None:
        return "undefined"
    if ind.kind == "relative_likelihood":
        return f"{ind.value:.2f} ({ind.ci_low:.2f}–{ind.ci_high:.2f})" if ind.ci_low is not None else f"{ind.value:.2f}"
    if ind.kind == "distribution":
        return f"{ind.value:.1f}%"
    if ind.ci_low is not None:
        return f"{ind.value:+.1f} pp ({ind.ci_low:+.1f} to {ind.ci_high:+.1f})"
    return f"{ind.value:+.1f} pp"


def print_table(result: StandardResult, groups: tuple[str, str, str]) -> None:
    table = Table(title=f"{result.standard} {result.year} — {result.organisation}", show_lines=True)
    table.add_column("Indicator", style="bold", no_wrap=True)
    table.add_column("Value (95% CI)")
    for g in groups:
        table.add_column(f"{g} n/N", justify="right")
    table.add_column("Assessment")
    table.add_column("What it says", ratio=1)
    for ind in result.indicators:
        cells = []
        for g in groups:
            fig = ind.groups.get(g)
            cells.append("" if fig is None else f"{fig.numerator:,}/{fig.denominator:,}")
        style = ASSESSMENT_STYLE.get(ind.assessment or "", "")
        assessment = f"[{style}]{ind.assessment}[/]" if ind.assessment and style else (ind.assessment or "")
        table.add_row(f"{ind.id}\n{ind.title}", headline(ind), *cells, assessment, ind.narrative)
    console.print(table)


def write(result: StandardResult | list[StandardResult], fmt: str, groups: tuple[str, str, str]) -> None:
    results = result if isinstance(result, list) else [result]
    if fmt == "json":
        import json

        payload = results[0].to_dict() if len(results) == 1 else [r.to_dict() for r in results]
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        import pandas as pd

        pd.concat([r.to_frame() for r in results]).to_csv(sys.stdout, index=False)
    else:
        for r in results:
            print_table(r, groups)
