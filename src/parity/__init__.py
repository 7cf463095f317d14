"""Parity: workforce equality indicators for NHS organisations.

Read HR extracts, validate them, keep them as canonical tables in a workspace, and compute the
Workforce Race Equality Standard (WRES), the Workforce Disability Equality Standard (WDES) and pay
gaps, with statistics that say how sure we are.

The public names below are imported on first use (PEP 562), so `import parity.<module>` — every
CLI command does — does not pay for pandas, Ibis and SciPy before it needs them (issue 19).
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING

# One BLAS thread unless the user sets another number, before NumPy loads (issue 18): Parity's
# matrices are small (a block of one organisation's tables), and OpenBLAS's thread pool on them costs
# far more than it gives: protecting 44 organisations took 47.5 s instead of 4.8 s on 2 cores. A
# program that imports NumPy before Parity keeps its pool: set OPENBLAS_NUM_THREADS=1 there.
for _blas in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_blas, "1")
del _blas

__version__ = "0.1.0"

#: public name -> the module that defines it
_LAZY = {
    "results": "parity.analysis",
    "WdesConfig": "parity.standards.wdes",
    "wdes": "parity.standards.wdes",
    "WresConfig": "parity.standards.wres",
    "wres": "parity.standards.wres",
    "wres_all": "parity.standards.wres",
}

__all__ = ["WdesConfig", "WresConfig", "results", "wdes", "wres", "wres_all", "__version__"]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from parity.analysis import results
    from parity.standards.wdes import WdesConfig, wdes
    from parity.standards.wres import WresConfig, wres, wres_all


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'parity' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
