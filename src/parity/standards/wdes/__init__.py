"""Workforce Disability Equality Standard: the ten metrics (with sub-parts 4a.i–iii, 4b, 9a, 9b).

`WdesConfig` and `wdes` are imported on first use (PEP 562): the catalogue imports
`parity.standards.wdes.definitions`, which must not load the counting (Ibis, pandas) with it (issue 19).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["WdesConfig", "wdes"]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from parity.standards.wdes.api import WdesConfig, wdes


def __getattr__(name: str):
    if name in __all__:
        from parity.standards.wdes import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
