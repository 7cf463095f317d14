"""`spc_every_org` (issue 19): every organisation's series from one grouped count, each the same as
`spc(workspace, org=ORG)` — including an organisation without a table's rows, one with a snapshot
missing (its events that year are outside its own denominator, though other organisations have that
snapshot) and one with applications but no workforce."""

from __future__ import annotations

import pytest

from parity.spc import spc, spc_every_org
from parity.spc.series import MEASURES
from parity.synth import build as synth
from parity.synth.stored import stored_tables
from parity.workspace import Workspace


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    ws = Workspace.open(tmp_path_factory.mktemp("spc-region") / "ws", create=True)
    with ws.connect() as con:
        for name, frame in stored_tables(synth(staff=1500, years=3, orgs=3, seed=5)).items():
            con.register("t", frame)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM t')
            con.unregister("t")
        con.execute("DELETE FROM capability WHERE org_code = 'R0C'")
        con.execute("DELETE FROM workforce WHERE org_code = 'R0B' AND snapshot_date = DATE '2024-03-31'")
        con.execute("INSERT INTO applications SELECT * REPLACE ('R9Z' AS org_code, application_id || 'z' AS "
                    "application_id) FROM applications WHERE org_code = 'R0A'")
        con.execute("INSERT INTO training SELECT * REPLACE ('R9Z' AS org_code) FROM training WHERE org_code = 'R0A'")
    return ws.path


def _one(workspace, org, measure, by):
    try:
        return spc(workspace, org=org, measure=measure, by=by).to_dict()
    except ValueError as exc:
        return f"ValueError: {exc}"


@pytest.mark.parametrize("by", ["ethnicity", "disability"])
def test_every_organisation_is_its_own_spc(region, by):
    seen_outside = seen_missing = 0
    for name in MEASURES:
        every = spc_every_org(region, measure=name, by=by)
        assert set(every) == {"R0A", "R0B", "R0C", "R9Z"} - ({"R0C"} if name == "capability" else set()) \
            - (set() if name in ("appointment", "training") else {"R9Z"})
        for org in ("R0A", "R0B", "R0C", "R9Z"):
            alone = _one(region, org, name, by)
            got = every.get(org)
            if isinstance(got, ValueError) or got is None:
                assert isinstance(alone, str) and alone.startswith("ValueError"), (name, org)
                assert got is None or str(got) in alone
                seen_missing += 1
                continue
            assert got.to_dict() == alone, (name, by, org)
            seen_outside += "in a reporting year with no staff snapshot" in got.excluded
    assert seen_missing >= 3  # R0C's capability, R9Z's staff measures
    assert seen_outside >= 1  # R0B's events of the year whose snapshot is gone


def test_the_missing_snapshot_is_counted_against_the_organisation_alone(region):
    every = spc_every_org(region, measure="training", by="ethnicity")
    # R0B lost its 31 March 2024 snapshot, the others kept theirs: only R0B has events outside
    assert "in a reporting year with no staff snapshot" in every["R0B"].excluded
    assert "in a reporting year with no staff snapshot" not in every["R0A"].excluded
    # R9Z has training rows but no workforce: no staff rate, the error `spc` gives
    assert isinstance(every["R9Z"], ValueError) and "workforce" in str(every["R9Z"])
