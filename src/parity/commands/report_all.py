"""`parity report --all-orgs --out DIR`: one report per organisation from one counting pass (issue 19).

Each standard is counted once for every organisation and year, its statistics computed as arrays
and the whole release protected once (`parity.report.release`, the same pass a single report
makes); each organisation's report then reads its slice (``build_report(..., release_cache=...)``), so
its figures and withheld cells are exactly those of ``parity report --org ORG``. Reports go to
``DIR/ORG/``; with ``--national`` available (issue 18) the national summary goes to ``DIR/national/``.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from parity.commands.common import console

NO_ORGANISATIONS = "{workspace}: no organisation has staff in post to report on (import the workforce table first)"


def organisations(workspace: Path) -> list[str]:
    """Organisation codes in the workspace's staff in post, sorted."""
    from parity.indicators.source import open_source

    con, _ = open_source(workspace)
    if "workforce" not in con.list_tables():
        return []
    codes = con.table("workforce").select("org_code").distinct().to_pandas()["org_code"]
    return sorted(str(c) for c in codes.dropna())


def run_all_orgs(workspace: Path, *, year: int, standards: list[str], out: Path, formats: list[str],
                 unsuppressed: bool = False, k: int = 10, national: bool = True) -> dict[str, dict[str, Path]]:
    """Write every organisation's report into ``out/ORG/``; returns ``{org: {format: path}}``."""
    from parity.disclosure import DisclosureRule
    from parity.report import build_report, write_report
    from parity.report.chart_worker import background_charts

    orgs = organisations(workspace)
    if not orgs:
        raise ValueError(NO_ORGANISATIONS.format(workspace=workspace))
    rule = DisclosureRule(k=k)
    releases: dict = {}  # each standard counted and protected once, read by every report
    written: dict[str, dict[str, Path]] = {}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TimeRemainingColumn())
    # each report's charts are drawn in a second process while the report is computed (issue 19)
    drawing = background_charts() if {"html", "pdf"} & {f.strip().lower() for f in formats} else nullcontext()
    with drawing as worker, Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("Counting every organisation", total=len(orgs))
        for org in orgs:
            report = build_report(workspace, year=year, org=org, standards=standards, rule=rule,
                                  unsuppressed=unsuppressed, generated_on=date.today().isoformat(),
                                  release_cache=releases)
            written[org] = write_report(report, out / _safe(org), formats=formats)
            if worker is not None:
                worker.forget()
            progress.update(task, advance=1, description=f"Written {org}")
    console.print(f"[bold]{len(orgs)} reports for {year}[/] in {out.resolve()}")
    if national and not unsuppressed and len(orgs) > 1:
        try:
            from parity.report.national import write_national
        except ImportError:  # the national report (issue 18) is optional
            return written
        written["national"] = write_national(workspace, year=year, out=out / "national", rule=rule,
                                             release_cache=releases)  # protected once, above
    return written


def _safe(org: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in org) or "org"
