"""Issue 19: a report on a DuckDB workspace counts WRES and WDES from the compiled-SQL cache, so once
the SQL is cached the release is counted and protected without importing Ibis or opening an Ibis
connection (about 0.5 s of the report's CPU), and the protected release is the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import YEAR, make_trust

RELEASE = """
import json, sys
from parity.disclosure import DisclosureRule
from parity.report.release import protected_standards
found = protected_standards(sys.argv[1], DisclosureRule(), first={first}, last={last})
print(json.dumps({{"ibis": "ibis" in sys.modules,
                   "release": {{n: {{repr(k): v for k, v in found[n][2].items()}} for n in ("wres", "wdes")}}}},
                 sort_keys=True, default=repr))
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    trust = make_trust()
    return trust.workspace(tmp_path_factory.mktemp("release-no-ibis") / "ws")


def _release(workspace, **env):
    code = RELEASE.format(first=YEAR - 1, last=YEAR)
    done = subprocess.run([sys.executable, "-c", code, str(workspace)], capture_output=True, text=True,
                          check=True, env={**os.environ, **env})
    return json.loads(done.stdout)


def test_a_cached_release_needs_no_ibis(workspace):
    first = _release(workspace)  # compiles the SQL through Ibis and caches it
    assert first["ibis"]
    cached = _release(workspace)
    assert not cached["ibis"]
    assert cached["release"] == first["release"]
    uncached = _release(workspace, PARITY_SQL_CACHE="0")  # the Ibis path: opened only when needed
    assert uncached["ibis"] and uncached["release"] == first["release"]
