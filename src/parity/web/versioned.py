"""A per-process cache of protected results, emptied when the workspace's data change.

The Explore pages (scan, by unit, time to event) each compute one protected result per key
(organisation, year, ...) — seconds of DuckDB and disclosure work — and serve it until a new import
changes the workspace's data version.
"""

from __future__ import annotations

import threading
from typing import Any


class VersionedCache:
    """``get(*key)`` returns ``self._compute(*key)``, computed once per key and data version."""

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
                    self._cache[key] = self._compute(*key)
        return self._cache[key]

    def _compute(self, *key) -> Any:
        raise NotImplementedError
