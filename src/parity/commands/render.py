"""Render standard results (WRES, WDES) as a Rich table, JSON or CSV."""

from __future__ import annotations

import sys

from parity.commands.common import console
from parity.indicators.results import IndicatorResult, StandardResult

ASSESSMENT_STYLE = {"adverse": "bold red", "favourable": "green", "within_range": "green", "inconclusive": "yellow"}


def headline(ind: IndicatorResult) -> str:
    if ind.kind == "narrative":
        return "text" if ind.undefined_reason is None else "not supplied"
    if ind.value is None:
        return "undefined"
    if ind.kind == "relative_likelihood":
        return f"{ind.value:.2f} ({ind.ci_low:.2f}–{ind.ci_high:.2f})" if ind.ci_low is not None else f"{ind.value:.2f}"
    if ind.kind == "distribution" or (ind.unit == "%"):
        return f"{ind.value:.1f}%"
    if ind.kind == "score":
        return f"{ind.value:+.2f}" + (f" ({ind.ci_low:+.2f} to {ind.ci_high:+.2f})" if ind.ci_low is not None else "")
    if ind.ci_low is not None:
        return f"{ind.value:+.1f} pp ({ind.ci_low:+.1f} to {ind.ci_high:+.1f})"
    return f"{ind.value:+.1f} pp"


ASSESSMENT_WORDS = {"adverse": "Adverse", "favourable": "Favourable", "within_range": "Within non-adverse range",
                    "inconclusive": "Inconclusive"}


def assessment_cell(ind: IndicatorResult) -> str:
    """The table's short reading: "adverse (uncertain)", "worse (clear)"; "not available" when a
    table is missing. The full words follow in the paragraph (`verdict`)."""
    if ind.value is None and ind.missing_tables:
        return "not available"
    word = (ind.assessment or (ind.statement.split(" ")[0] if ind.statement else "")).replace("_", " ")
    text = f"{word}, {ind.certainty}" if word and ind.certainty else word
    style = ASSESSMENT_STYLE.get(ind.assessment or "", "")
    return f"[{style}]{text}[/]" if style and text else text


def verdict(ind: IndicatorResult) -> str:
    """"Adverse — uncertain: could be chance." before a ratio's narrative; empty otherwise."""
    from parity.stats import with_certainty

    if ind.value is None and ind.missing_tables:
        return ""
    # differences carry their words and chance in the narrative itself
    words = ASSESSMENT_WORDS.get(ind.assessment or "")
    return f"{with_certainty(words, ind.certainty)}. " if words else ""


def print_table(result: StandardResult, groups: tuple[str, str, str]) -> None:
    """A compact summary table, then each indicator's narrative as a paragraph (fits 80 columns)."""
    from rich.table import Table  # here, not at the top: JSON and CSV need no tables (issue 19)

    table = Table(title=f"{result.standard} {result.year} — {result.organisation}")
    table.add_column("Indicator", style="bold", no_wrap=True, min_width=11)
    table.add_column("Value (95% CI)", no_wrap=True)
    for g in groups[:2]:
        table.add_column(f"{g} n/N", justify="right", no_wrap=True)
    table.add_column("Assessment", no_wrap=True)
    for ind in result.indicators:
        cells = []
        for g in groups[:2]:
            fig = ind.groups.get(g)
            cells.append("" if fig is None or fig.numerator is None else f"{fig.numerator:,}/{fig.denominator:,}")
        table.add_row(ind.id, headline(ind), *cells, assessment_cell(ind))
    console.print(table)
    for ind in result.indicators:
        console.print(f"[bold]{ind.id} {ind.title}.[/] {verdict(ind)}{ind.narrative}", highlight=False)
    console.print()


def write(result: StandardResult | list[StandardResult], fmt: str, groups: tuple[str, str, str], *,
          protected: dict | None = None, marker: str = "*") -> None:
    """JSON / CSV / table of the analyst's (unprotected) result, or of ``protected``, the published view.

    The unprotected JSON says so (``"disclosure": {"protected": false, ...}``) and its CSV has a
    ``protected`` column; text cells of every CSV are neutralised against formula injection."""
    results = result if isinstance(result, list) else [result]
    if fmt == "json":
        import json

        if protected is not None:
            payload = protected
        else:
            payload = results[0].to_dict() if len(results) == 1 else [r.to_dict() for r in results]
            for doc in payload if isinstance(payload, list) else [payload]:
                doc["disclosure"] = dict(ANALYST_VIEW)
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        import pandas as pd

        if protected is not None:
            from parity.report.tidy import standard_rows

            frame = pd.DataFrame(standard_rows(protected, marker))
            frame["protected"] = True
        else:
            frame = pd.concat([r.to_frame() for r in results])
            frame["protected"] = False
        write_csv(frame)
    elif protected is not None:
        print_protected(protected)
    else:
        for r in results:
            print_table(r, groups)


#: what the analyst's JSON says about itself (issue 10: analyst outputs stay honest)
ANALYST_VIEW = {"protected": False, "marking": "Not for publication — contains small numbers",
                "note": "Analyst's view: no disclosure control. Use --protected for the published view."}


def write_csv(frame) -> None:
    """CSV to stdout with text cells neutralised (a leading =, +, -, @, tab or CR gets ')."""
    import pandas as pd

    from parity.report.safety import neutralise

    out = frame.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].astype(object).map(neutralise)
    out.to_csv(sys.stdout, index=False)


def print_protected(doc: dict) -> None:
    """The published view as a table: withheld figures show the marker."""
    from rich.table import Table

    table = Table(title=f"{doc['standard']} {doc['year']} — {doc['organisation']} (protected)")
    for col in ("Indicator", "Value", "Withheld"):
        table.add_column(col)
    for ind in doc["indicators"]:
        value = ind.get("value")
        shown = "*" if value is None and ind.get("disclosure") else ("" if value is None else f"{value:.2f}")
        table.add_row(ind["id"], shown, str(len((ind.get("disclosure") or {}).get("suppressed_fields", []))))
    console.print(table)
    for ind in doc["indicators"]:
        console.print(f"[bold]{ind['id']} {ind['title']}.[/] {ind.get('narrative') or ''}", highlight=False)
