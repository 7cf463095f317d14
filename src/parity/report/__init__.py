"""Board-ready reports: HTML, PDF, Excel and CSV from protected results, with questions to ask.

`build_report` computes the standards for one organisation and year (and earlier years for the
trends), passes every result through `parity.disclosure`, and returns a `Report`; `write_report`
renders it in each requested format. Renderers read only the protected report, never raw results.

>>> from parity.report import build_report, write_report          # doctest: +SKIP
>>> report = build_report("parity-demo", year=2025)                # doctest: +SKIP
>>> write_report(report, "out", formats=("html", "xlsx"))          # doctest: +SKIP
{'html': PosixPath('out/report-...-2025.html'), 'xlsx': PosixPath('out/report-...-2025.xlsx')}
"""

from parity.report.build import DEFAULT_STANDARDS, NOT_FOR_PUBLICATION, Report, build_report
from parity.report.write import FORMATS, write_demo_report, write_report

__all__ = ["DEFAULT_STANDARDS", "FORMATS", "NOT_FOR_PUBLICATION", "Report", "build_report", "write_demo_report",
           "write_report"]
