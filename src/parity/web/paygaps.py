"""Protected pay gap results for the pages: sex, ethnicity and disability, per organisation and year.

Computed as the report computes them (`parity.paygap.api.paygap`, then
`parity.report.build.protect_paygap_report` with every organisation's same comparison as levels,
issue 10), cached in memory and cleared when the workspace's data version changes. Pages read only
these protected dicts: the statutory gender figures as published, ethnicity and disability protected.
"""

from __future__ import annotations

import gc
import threading
from typing import Any

BY = ("sex", "ethnicity", "disability")
TITLES = {"sex": "Gender pay gap", "ethnicity": "Ethnicity pay gap", "disability": "Disability pay gap"}
NO_PAY = "There is no pay gap by {what} for the year ending 31 March {year}: {reason}"
WHAT = {"sex": "sex", "ethnicity": "ethnicity", "disability": "disability"}


class PayGaps:
    def __init__(self, results, resamples: int):
        self.results = results
        self.resamples = resamples
        self._cache: dict[tuple, dict[str, Any] | str] = {}
        self._version = None
        self._lock = threading.Lock()

    def get(self, org: str, year: int, by: str) -> dict[str, Any] | str:
        """The protected `PayGapReport` dict, or the reason there is none (no pay data, a group missing)."""
        version = self.results.workspace.data_version
        with self._lock:
            if version != self._version:
                self._cache.clear()
                self._version = version
        key = (org, year, by)
        if key not in self._cache:
            with self.results.lock:  # one DuckDB user at a time in this process (parity.web.results)
                if key not in self._cache:
                    self._cache[key] = self._compute(org, year, by)
        return self._cache[key]

    def _compute(self, org: str, year: int, by: str) -> dict[str, Any] | str:
        from parity.disclosure import protect_paygap
        from parity.paygap.api import paygap
        from parity.report.build import protect_paygap_report
        from parity.report.paygap_levels import level_reports

        source = self.results.workspace.path
        try:
            raw = paygap(source, year=year, by=by, org=org, n_resamples=self.resamples).to_dict()
            levels = None if by == "sex" else level_reports(source, year=year, by=by, org=org, mine=raw)
        except ValueError as exc:  # no pay rows for the year, or a group missing
            return NO_PAY.format(what=WHAT[by], year=year, reason=_plain(str(exc)))
        finally:
            gc.collect()
        unit = (org,)
        if levels is not None and unit not in levels:  # the only organisation: its figures are the top level
            levels = None
        return protect_paygap_report(raw, self.results.rule, protect_paygap, levels=levels, unit=unit)


def _plain(message: str) -> str:
    """The reason without command-line advice (web messages name no CLI flags)."""
    return message.split(" (import ")[0].split(" (use ")[0].rstrip(".") + "."


_made = threading.Lock()


def paygaps(app) -> PayGaps:
    """The app's pay gap cache (made on first use)."""
    state = app.state
    with _made:
        if getattr(state, "paygaps", None) is None:
            state.paygaps = PayGaps(state.results, int(state.settings.report_resamples))
    return state.paygaps
