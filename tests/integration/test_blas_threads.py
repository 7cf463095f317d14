"""One BLAS thread unless the user asks for more (issue 18, "Scale"): the protection's matrices are
small, and OpenBLAS's thread pool on them made `parity benchmark build` and `parity report` about ten
times slower on 2 cores (44 organisations' release: 47.5 s instead of 4.8 s of wall time)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = ("import os, parity, numpy; "
         "print(os.environ.get('OPENBLAS_NUM_THREADS'), len(os.listdir('/proc/self/task')))")


def _run(env: dict[str, str]) -> list[str]:
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return out.stdout.split()


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="threads are counted through Linux's /proc")
def test_importing_parity_before_numpy_leaves_numpy_one_blas_thread():
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    setting, threads = _run(env)
    assert setting == "1"
    assert threads == "1", f"numpy started {threads} threads: OpenBLAS's pool is running"


def test_a_users_own_setting_is_kept():
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2"}
    assert _run(env)[0] == "2"
