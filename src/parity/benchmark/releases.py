"""Every organisation's protected figures for the comparisons (issue 18): each standard counted once
and protected as ONE release of every organisation, the all-organisations level and the trend years
(`parity.report.release.protected_release`, exactly as `parity report` publishes them), never one
protection per organisation. `parity benchmark build` and `parity report --national` read it; the
dashboard's `/compare` reads the dashboard's own release (`parity.web.results.Results.release`, one
per standard, kept until the workspace's data version changes).

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
                       cache: dict[str, Any] | None = None) -> dict[str, tuple[dict, list[str]]]:
    """{"WRES": (protected docs by (unit, year), organisations), "WDES": …} over the trend years to
    `year`; a standard without data is left out (callers compare only two or more organisations)."""
    from parity.report.build import TREND_YEARS
    from parity.report.release import protected_release, standard_results

    tick = progress or (lambda _message: None)
    out: dict[str, tuple[dict, list[str]]] = {}
    for name in STANDARDS:
        cached = (cache or {}).get(name)
        if cached is not None:
            _results, orgs, protected = cached
        else:
            tick(f"Counting {name.upper()} for every organisation ({backend})")
            try:
                results, orgs = standard_results(name, source, first=year - TREND_YEARS + 1, last=year,
                                                 backend=backend)
            except (ValueError, KeyError):  # no data for this standard
                continue
            years = sorted({y for _unit, y in results})
            tick(f"Protecting {name.upper()}: {len(orgs)} organisations x {len(years)} year(s), one release")
            protected = protected_release(results, rule)
            if cache is not None:
                cache[name] = (results, orgs, protected)
        out[name.upper()] = (protected, orgs)
    return out
