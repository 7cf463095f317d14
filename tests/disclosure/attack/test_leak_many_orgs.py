"""Issue 18: a region of 12 organisations, protected block by block (`parity.disclosure.modular`).

Twelve constructed trusts, each forcing small cells somewhere (3 BME staff on training, 4 BME
appointments, 2 BME staff disciplined, 5 Disabled capability cases of which 2 on ill-health grounds,
a board with 2 BME members, ...), two years (2024, 2025), WRES and WDES at default settings
(two-year rolling WRES 3 / WDES 3), every organisation and all organisations: one release, solved
modularly (13 units a year, more than `MIN_BLOCKS`). The attacker holds every published JSON, knows
all organisations = the sum of the organisations figure by figure and year Y's "last year" is year
Y-1's figures, and runs `scipy.optimize.linprog` (min and max of each 1-9 count over every
non-negative table consistent with all of it): nothing may be pinned.
"""

from __future__ import annotations

import json

from attack_trusts import many_orgs

from parity.disclosure.modular import MIN_BLOCKS


def test_twelve_organisations_give_nothing_away(many_orgs_audit):
    assert len(many_orgs()) + 1 >= MIN_BLOCKS  # the modular path, not the joint engine
    summary = many_orgs_audit.summary()
    print(f"\nmany organisations: {summary}")
    assert summary["cells_tried"] >= 40  # the forced small cells were tried
    assert [str(f) for f in many_orgs_audit.findings] == [], json.dumps([str(f) for f in many_orgs_audit.findings],
                                                                        indent=1)
