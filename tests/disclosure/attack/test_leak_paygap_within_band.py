"""Within-band pay gap group sizes across organisations (found by hand after issue 10's fix).

A generated region (parity.synth, 2 organisations, 300 staff, seed 11): each organisation's report
protects its within-band table on its own, but the within-band rows are not yet part of the linked
system in which organisations are margins (`parity.disclosure.paygap._model` did not model them),
so all organisations minus one organisation gave back the other's withheld band size (9).
Fixed: `parity.disclosure.paygap.protect_within_band_levels` protects every level's table together.
"""

from __future__ import annotations

import json

import pytest
from attack_audit import audit
from attack_release import build_release

import parity.synth as synth


@pytest.fixture(scope="module")
def generated_region():
    tables = synth.build(staff=300, years=2, orgs=2, seed=11)
    con = synth.connect(tables)  # as stored on import (survey responses long)
    orgs = sorted(tables["workforce"]["org_code"].unique())
    year = int(tables["workforce"]["snapshot_date"].max().year)
    return build_release(con, orgs=orgs, years=[year], formats=())


@pytest.mark.slow
def test_within_band_sizes_are_protected_across_levels(generated_region):
    found = [str(f) for f in audit(generated_region, formats=False).findings if "within_band" in f.target.name]
    assert found == [], json.dumps(found, indent=1)
