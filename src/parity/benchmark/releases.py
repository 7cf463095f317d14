"""Every organisation's protected figures for the comparisons (issue 18): each standard counted once
and WRES and WDES protected as ONE release of every organisation, the all-organisations level and
the trend years (`parity.report.release.protected_standards`, exactly as `parity report` publishes
them), never one protection per organisation or per standard. `parity benchmark build` and
`parity report --national` read it; the dashboard's `/compare` reads the dashboard's own release
(`parity.web.results.Results.release`, both standards, kept until the workspace's data version changes).

``reporting_year_only`` (`parity benchmark build`): protect the release of the reporting year alone.
Its figures are those of the trend release: years share no atoms and no identity (a two-year window's
last year is taken as known, `parity.disclosure.windows`), so each year's cells are decided from that
year's figures alone; only the figures that compare with last year (``previous``, ``change``, the
narrative's last-year clause) need the year before, and those are withheld here — the benchmarks table
stores none of them. About a fifth of the national protection (issue 18, "Scale"); tested against the
trend release in tests/benchmark/test_releases.py. It also counts only the years that release reads,
the reporting year and the one before (`parity.report.release.standard_results`' ``restrict_years``):
the stored figures are those of counting every year (tests/benchmark/test_count_years.py).

``cache`` is `parity report --all-orgs`'s release cache ({standard: (results, orgs, protected)}, the
same year set and rule): its national summary then protects nothing again. ``progress`` is called
with a message before each step (the CLI shows it with Rich).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

STANDARDS = ("wres", "wdes")


def protected_releases(source, *, year: int, rule, backend: str = "duckdb",
                       progress: Callable[[str], None] | None = None,
                       cache: dict[str, Any] | None = None,
                       reporting_year_only: bool = False) -> dict[str, tuple[dict, list[str]]]:
    """{"WRES": (protected docs by (unit, year), organisations), "WDES": …} over the trend years to
    `year`; a standard without data is left out (callers compare only two or more organisations)."""
    from parity.report.build import TREND_YEARS
    from parity.report.release import STANDARDS as BOTH
    from parity.report.release import protected_standards

    cache = cache if cache is not None else {}
    if not any(name in cache for name in BOTH):  # one pass fills every standard that has data
        span = {"years": [year]} if reporting_year_only else {"first": year - TREND_YEARS + 1, "last": year}
        cache.update(protected_standards(source, rule, **span, backend=backend, progress=progress,
                                         restrict_years=reporting_year_only))
    return {name.upper(): (cache[name][2], cache[name][1]) for name in STANDARDS if name in cache}
