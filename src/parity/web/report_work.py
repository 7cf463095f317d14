"""The work of a report job, as run inside the limited child process (see `runner`).

`parity report` for one organisation and year: `build_report` + `write_report` into the job's
folder, returning the file names by format. In a child process the report's CPU-heavy work (the
bootstrap, charts, the PDF) does not hold the server's interpreter lock, so pages keep answering.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

# loaded once in the forkserver (runner.PRELOAD), not in every job
import parity.report  # noqa: F401


def build(*, workspace: str, year: int, org: str, rule, unsuppressed: bool, resamples: int,
          out_dir: str) -> dict[str, str]:
    from parity.report import build_report, write_report

    report = build_report(Path(workspace), year=year, org=org, rule=rule, unsuppressed=unsuppressed,
                          generated_on=date.today(), paygap_resamples=resamples)
    paths = write_report(report, Path(out_dir))
    return {fmt: Path(p).name for fmt, p in paths.items()}
