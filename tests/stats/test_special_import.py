"""`parity.stats.special` loads SciPy's ufuncs without `scipy.special`'s package import (issue 19).

Each check runs in a fresh interpreter: what is imported is per process. The functions must be the
very objects ``scipy.special`` exports (so every p-value is SciPy's, bit for bit), SciPy's array-API
layer must not be loaded by them, and a later ``import scipy.special`` / ``scipy.stats`` /
``scipy.optimize`` must work as usual with the same objects.
"""

from __future__ import annotations

import json
import subprocess
import sys

FRESH = """
import json, sys
import parity.stats.special as s
out = {"array_api": "scipy._lib._array_api" in sys.modules, "package": "scipy.special" in sys.modules,
       "values": [float(s.ndtr(1.5)), float(s.ndtri(0.975)), float(s.chdtrc(1, 3.2))]}
import scipy.special, scipy.stats
from scipy.optimize import linprog
out["same"] = [getattr(scipy.special, n) is getattr(s, n) for n in s.NAMES]
out["stats"] = [float(scipy.stats.norm.cdf(1.5)), float(scipy.stats.norm.ppf(0.975)), float(scipy.stats.chi2.sf(3.2, 1))]
out["fisher"] = float(scipy.stats.fisher_exact([[1, 9], [11, 3]]).pvalue)
out["linprog"] = float(linprog([1, 2], A_ub=[[-1, -1]], b_ub=[-1]).fun)
out["erfc"] = float(scipy.special.erfc(0.5))
print(json.dumps(out))
"""

THREADED = """
import json, sys, threading
threading.Thread(target=threading.Event().wait, args=(5,), daemon=True).start()
import parity.stats.special as s
import scipy.special
print(json.dumps({"array_api": "scipy._lib._array_api" in sys.modules,
                  "same": [getattr(scipy.special, n) is getattr(s, n) for n in s.NAMES]}))
"""


def _run(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_ufuncs_alone_then_scipy_as_usual():
    out = _run(FRESH)
    assert out["array_api"] is False and out["package"] is False  # the package's __init__ did not run
    assert out["same"] == [True] * 4  # ndtr, ndtri, chdtrc, gammaincinv
    assert out["values"] == out["stats"]  # scipy.stats's own answers, exactly
    assert abs(out["fisher"] - 0.002759456185220088) < 1e-12  # hypergeometric sum by hand (math.comb)
    assert out["linprog"] == 1.0 and abs(out["erfc"] - 0.4795001221869535) < 1e-15


def test_other_threads_take_the_ordinary_import():
    out = _run(THREADED)
    assert out["array_api"] is True and out["same"] == [True] * 4
