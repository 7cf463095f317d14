"""Write a report in each requested format; the demo's one-call entry point."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from parity.disclosure.audit import check_report
from parity.report.build import Report, build_report

FORMATS = ("html", "pdf", "xlsx", "csv")
UNKNOWN_FORMAT = "unknown format {name!r}: choose from html, pdf, xlsx, csv"


def report_stem(report: Report) -> str:
    """File name stem, e.g. ``report-R0A-2025`` (organisation reduced to safe characters)."""
    org = re.sub(r"[^A-Za-z0-9]+", "-", report.organisation).strip("-") or "all"
    stem = f"report-{org}-{report.year}"
    return stem + ("-NOT-FOR-PUBLICATION" if report.unsuppressed else "")


def write_report(report: Report, out_dir, formats: Iterable[str] = FORMATS,
                 progress: Callable[[str], None] | None = None) -> dict[str, Path]:
    """Render `report` into `out_dir` (created if needed); returns ``{format: path}``.

    CSV writes the tidy results and, when pay data exists, the GOV.UK gender pay gap CSV: the
    ``csv`` entry is the tidy file and ``csv_gov_uk`` the GOV.UK one. A protected report is audited
    first (`parity.disclosure.audit.check_report`): `ReleaseRefused` names any figure that breaks the
    rule, and nothing is written.
    """
    names = [f.strip().lower() for f in formats if f.strip()]
    for name in names:
        if name not in FORMATS:
            raise ValueError(UNKNOWN_FORMAT.format(name=name))
    check_report(report)  # the release gate: refuse, naming the figure, rather than write a leaky file
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem, tick = report_stem(report), progress or (lambda _m: None)
    paths: dict[str, Path] = {}
    pages = None
    if {"html", "pdf"} & set(names):
        from parity.report.pages import attach_section_charts, build_pages

        tick("Drawing charts")
        # the PDF shows only the summary's forest plot: it can start before the other charts are drawn
        pages = build_pages(report, section_charts=False)
    pdf, child = out / f"{stem}.pdf", None
    if "pdf" in names:
        from parity.report.ahead import pdf_child
        from parity.report.pdf import pdf_document, render_pdf

        tick("Writing PDF")
        document = pdf_document(report, pages)
        # laid out by `parity report`'s forked child while the other formats are written (issue 19)
        child = pdf_child()
        if child is None or not child.send_pdf(*document, pdf):
            child = None
            render_pdf(*document, pdf)
    if "html" in names:
        from parity.report.html import write_html

        tick("Writing HTML")
        paths["html"] = write_html(report, out / f"{stem}.html", pages=attach_section_charts(pages))
    if "pdf" in names:
        paths["pdf"] = pdf
    if "xlsx" in names:
        from parity.report.excel import write_excel

        tick("Writing Excel")
        paths["xlsx"] = write_excel(report, out / f"{stem}.xlsx")
    if "csv" in names:
        from parity.report.csv import write_csvs

        tick("Writing CSV")
        paths.update(write_csvs(report, out, stem))
    if report.actions is not None and report.actions.actions:
        from parity.actions.exchange import write_plan

        tick("Writing the action plan")
        # the organisation's WRES/WDES action plan (actions, owners, dates, progress; no figures)
        write_plan(report.actions.actions, out / f"{stem}-action-plan.xlsx")
        paths["action_plan"] = out / f"{stem}-action-plan.xlsx"
    if child is not None and not child.pdf_written():  # the child failed: written here after all
        render_pdf(*document, pdf)
    return paths


def write_demo_report(workspace, year: int, *, out_dir=None, formats: Iterable[str] = FORMATS) -> Path:
    """`parity demo`'s last step: the full, protected report into ``<workspace>/outputs``; returns the HTML path."""
    report = build_report(workspace, year=year)
    paths = write_report(report, Path(out_dir) if out_dir else Path(workspace) / "outputs",
                         formats=tuple(dict.fromkeys(("html", *formats))))
    return paths["html"]
