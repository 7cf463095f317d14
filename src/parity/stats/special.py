"""SciPy's special-function ufuncs the statistics use: ``ndtr``, ``ndtri``, ``chdtrc``, ``gammaincinv`` (issue 19).

These are the very ufunc objects ``scipy.special`` exports (the p-values stay SciPy's bit for bit:
README "Start-up and report speed" says why `math.erfc` cannot replace them), loaded without running
``scipy/special/__init__.py``: that package's import loads SciPy's array-API layer
(``array_api_compat``, which imports ``numpy.random``, ``numpy.f2py``, ``numpy.testing`` and
``unittest``), about two thirds of `parity wres`'s SciPy import and a tenth of the whole command.

How: for the moment of one import, ``scipy.special`` is a bare package object with the real
package's folder as its path, so ``scipy.special._ufuncs`` (the compiled extension module) loads
alone; the bare package is then taken out of ``sys.modules``. A later ``import scipy.special`` (Fisher
on scipy.stats, the disclosure engine's scipy.optimize) runs the real ``__init__``, which finds
``_ufuncs`` already loaded and exports the same objects (`tests/stats/test_special_import.py`).
The shortcut is taken only when ``scipy.special`` is not loaded yet and only one Python thread runs
(no other thread can import ``scipy.special`` while the bare package stands in); anything unexpected
falls back to the ordinary import.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types
from pathlib import Path

import numpy as np

NAMES = ("ndtr", "ndtri", "chdtrc", "gammaincinv")


def _ufuncs() -> types.ModuleType:
    if "scipy.special" not in sys.modules and threading.active_count() == 1:
        try:
            return _extension_alone()
        except Exception:  # noqa: BLE001 (any surprise: the ordinary import below)
            pass
    return importlib.import_module("scipy.special")


def _extension_alone() -> types.ModuleType:
    import scipy

    bare = types.ModuleType("scipy.special")
    bare.__path__ = [str(Path(scipy.__file__).parent / "special")]
    sys.modules["scipy.special"] = bare
    try:
        module = importlib.import_module("scipy.special._ufuncs")
    finally:
        if sys.modules.get("scipy.special") is bare:
            del sys.modules["scipy.special"]
    if not all(isinstance(getattr(module, n, None), np.ufunc) for n in NAMES):
        raise ImportError("scipy.special._ufuncs lacks the ufuncs")
    return module


_module = _ufuncs()
ndtr = _module.ndtr
ndtri = _module.ndtri
chdtrc = _module.chdtrc
gammaincinv = _module.gammaincinv

__all__ = list(NAMES)
