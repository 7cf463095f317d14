"""A per-process cache of protected results, emptied when the workspace's data change.

The Explore pages (scan, by unit, time to event) each compute one protected result per key
(organisation, year, ...) — seconds of DuckDB and disclosure work — and serve it until a new import
changes the workspace's data version.
"""

from __future__ import annotations

import gc
import threading
from typing import Any

_APP_LOCK = threading.Lock()


class VersionedCache:
    """``get(*key)`` returns ``self._compute(*key)``, computed once per key and data version; the key
    starts (organisation, year). A year the computation cannot cover (it raises ``ValueError``) gives
    ``unavailable`` with the reason, a sentence the page shows instead."""

    #: the page's sentence for a year with no result: ``{year}`` and ``{reason}`` filled in
    unavailable = "Not available for the year ending 31 March {year}: {reason}."

    @classmethod
    def of(cls, app, name: str):
        """The application's one cache of this kind, kept in ``app.state.<name>``."""
        with _APP_LOCK:
            if getattr(app.state, name, None) is None:
                setattr(app.state, name, cls(app.state.results))
        return getattr(app.state, name)

    def __init__(self, results):
        self.results = results
        self._cache: dict[tuple, Any] = {}
        self._version = None
        self._lock = threading.Lock()

    def get(self, *key) -> Any:
        version = self.results.workspace.data_version
        with self._lock:
            if version != self._version:
                self._cache.clear()
                self._version = version
        if key not in self._cache:
            with self.results.lock:  # one DuckDB user at a time in this process
                if key not in self._cache:
                    self._cache[key] = self._result(key)
        return self._cache[key]

    def _result(self, key: tuple) -> Any:
        try:
            return self._compute(*key)
        except ValueError as exc:  # no data for this year
            return self.unavailable.format(year=key[1], reason=str(exc).split(" (")[0])
        finally:
            gc.collect()  # the scans' frames are large: give their memory back between pages

    def _compute(self, *key) -> Any:
        raise NotImplementedError
