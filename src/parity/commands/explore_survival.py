"""Output of `parity explore progression|retention --method survival` (issue 17): a table of
medians and hazard ratios with the sentence, JSON (fields in docs/explore.md) or CSV."""

from __future__ import annotations

import json
import sys

from rich.table import Table

from parity.commands.common import console
from parity.commands.render import ANALYST_VIEW, write_csv


def _num(x, fmt: str = "{:.2f}") -> str:
    return "" if x is None else fmt.format(x)


def _median(m, low, high) -> str:
    if m is None:
        return "not reached"
    return f"{m:.1f} ({_num(low, '{:.1f}') or '–'}–{_num(high, '{:.1f}') or 'open'})"


def print_survival(doc: dict, top: int) -> None:
    """Rich tables from a result dict (analyst's `to_dict()` or the protected payload)."""
    s = doc["settings"]
    noun = "in band before promotion" if s["outcome"] == "promotion" else "in post before leaving"
    groups = Table(title=f"Median years {noun} (95% CI), up to 31 March {s['year']}")
    for col in ("Attribute", "Group", "Spells", "Events", "Median (95% CI)"):
        groups.add_column(col)
    for g in (doc.get("tables") or {}).get("groups") or []:
        groups.add_row(g["attribute"], g["group"] + (" (reference)" if g.get("reference") else ""),
                       _num(g.get("n"), "{:,}"), _num(g.get("events"), "{:,}"),
                       _median(g.get("median"), g.get("median_ci_low"), g.get("median_ci_high")))
    console.print(groups)
    adjust = ", ".join(s.get("adjust") or []) or "nothing"
    table = Table(title=f"Hazard ratios against the reference, adjusted for {adjust} "
                        f"({doc['comparisons']:,} comparisons, FDR {s['fdr']:.0%})", show_lines=True)
    for col in ("#", "Group", "HR (95% CI)", "Log-rank p", "Adj. p", "Finding"):
        table.add_column(col, ratio=1 if col == "Finding" else None)
    for i, f in enumerate(doc["findings"][:top], 1):
        hr = f.get("hazard_ratio")
        shown = f"{hr:.2f} ({f['ci_low']:.2f}–{f['ci_high']:.2f})" if hr is not None else "—"
        group = ", ".join(f"{k}={v}" for k, v in f["group"].items())
        text = f["narrative"]
        table.add_row(str(i), group, shown, _num(f.get("logrank_p"), "{:.3g}"), _num(f.get("p_adjusted"), "{:.3g}"),
                      f"[bold red]{text}[/]" if f.get("significant") else text)
    console.print(table)
    if doc.get("not_tested"):
        console.print(f"{len(doc['not_tested']):,} groups not compared (too small or no reference): see --format json.")
    for note in doc.get("notes") or []:
        console.print(f"[yellow]Note:[/] {note}")


def write_survival(result, fmt: str, top: int, *, protected: bool = False) -> None:
    doc = result.to_dict()
    if protected:
        from parity.disclosure.survival import protect_survival

        doc = protect_survival(doc)
    elif fmt == "json":
        doc = {**doc, "disclosure": dict(ANALYST_VIEW)}
    if fmt == "json":
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        import pandas as pd

        write_csv(pd.json_normalize(doc["findings"]).assign(protected=protected))
    else:
        print_survival(doc, top)
