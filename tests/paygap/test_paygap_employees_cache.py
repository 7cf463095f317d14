"""Pay gaps read the relevant employees once for every organisation and slice them (issue 19): the
same results as reading each organisation's own, whichever order the calls come in."""

from __future__ import annotations

import json

import pytest

import parity.paygap.api as api
from parity.synth import build as synth
from parity.synth.stored import stored_tables
from parity.workspace import Workspace


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    ws = Workspace.open(tmp_path_factory.mktemp("region") / "ws", create=True)
    with ws.connect() as con:
        for name, frame in stored_tables(synth(staff=1200, years=1, orgs=3, seed=17)).items():
            con.register("t", frame)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM t')
            con.unregister("t")
    return ws.path


def test_sliced_pay_gaps_equal_each_organisations_own(region, monkeypatch):
    year = 2025
    reads = []
    real = api.relevant_employees
    monkeypatch.setattr(api, "relevant_employees", lambda con, **k: reads.append(k) or real(con, **k))
    orgs = sorted(set(real(api.open_source(region)[0], year=year)["org_code"]))
    assert len(orgs) == 3
    shared: dict = {}
    for by in ("sex", "ethnicity", "disability"):
        for org in [*orgs, None]:
            alone = api.paygap(region, year=year, by=by, org=org, n_resamples=200).to_dict()
            sliced = api.paygap(region, year=year, by=by, org=org, n_resamples=200, employees=shared).to_dict()
            assert json.dumps(sliced) == json.dumps(alone), (by, org)
    # 12 reads without the cache (one per call), one with it
    assert sum(1 for k in reads if k.get("org") is None) == 3 + 1
    assert len(reads) == 12 + 1


def test_rows_come_in_one_order(region):
    con = api.open_source(region)[0]
    every = api.relevant_employees(con, year=2025)
    assert list(zip(every["org_code"], every["person_id"], strict=True)) == sorted(
        zip(every["org_code"], every["person_id"], strict=True))


def test_a_call_on_read_employees_opens_no_connection(region, monkeypatch):
    opened = []
    real = api.open_source
    monkeypatch.setattr(api, "open_source", lambda *a, **k: opened.append(1) or real(*a, **k))
    shared: dict = {}
    first = api.paygap(region, year=2025, by="sex", org="R0A", n_resamples=50, employees=shared).to_dict()
    for org in ("R0B", "R0C", "R0A"):
        api.paygap(region, year=2025, by="ethnicity", org=org, n_resamples=50, employees=shared)
    assert len(opened) == 1  # the first call read every organisation's rows; the others slice them
    assert json.dumps(api.paygap(region, year=2025, by="sex", org="R0A", n_resamples=50,
                                 employees=shared).to_dict()) == json.dumps(first)
    with pytest.raises(ValueError, match="No pay rows"):  # a year with no pay rows still says so
        api.paygap(region, year=2019, by="sex", org="R0A", employees=shared)
