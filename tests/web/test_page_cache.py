"""Issue 11 (load): cached results and charts never cross organisations or roles, and a new import
(the workspace's data version) invalidates them.

Pages read results and drawn charts from a cache (`parity.web.results.Results`). Each check compares
what a warm app serves with what a cold app over the same workspace (a new cache) serves, after other
organisations, other roles and older data have filled the warm cache; and each first shows that the
compared views differ, so the test could fail.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from web_helpers import add_user, import_demo, settings, sign_in

from parity.web import create_app

#: (indicator, chart) pairs whose Vega-Lite spec carries the page's figures
CHARTS = [("wres.2", "groups"), ("wres.2", "trend"), ("wres.3", "groups"), ("wres.6", "groups"),
          ("wres.7", "groups"), ("wdes.2", "groups"), ("wdes.4a.i", "groups"), ("wres.1", "distribution")]


@pytest.fixture(scope="module")
def two_trusts(tmp_path_factory):
    from parity.synth import generate

    data = tmp_path_factory.mktemp("two-trusts-data")
    generate(data, staff=700, years=2, orgs=2, seed=23)
    ws = tmp_path_factory.mktemp("two-trusts") / "ws"
    import_demo(ws, data)
    return ws, data


@pytest.fixture
def workspace(tmp_path, two_trusts):
    ws = tmp_path / "ws"
    shutil.copytree(two_trusts[0], ws)
    return ws


def _orgs(app) -> list[str]:
    orgs = app.state.results.organisations()
    assert len(orgs) == 2, orgs
    return orgs


def _specs(client, org: str, view: str = "") -> dict:
    out = {}
    for ind, name in CHARTS:
        r = client.get(f"/o/{org}/indicator/{ind}/chart/{name}.json" + (f"?view={view}" if view else ""))
        if r.status_code == 200:
            out[(ind, name)] = r.json()
    assert out, "no chart could be read"
    return out


def _users(app, orgs):
    add_user(app, "viewer-a@example.org", role="viewer", org=orgs[0])
    add_user(app, "viewer-b@example.org", role="viewer", org=orgs[1])
    add_user(app, "analyst-b@example.org", role="analyst", org=orgs[1])


def test_cached_results_never_cross_organisations(workspace):
    warm = create_app(workspace, settings())
    a, b = _orgs(warm)
    _users(warm, [a, b])
    first_a = _specs(sign_in(warm, "viewer-a@example.org"), a)  # organisation A fills the cache first
    served_b = _specs(sign_in(warm, "viewer-b@example.org"), b)
    assert served_b != first_a  # the two trusts' figures differ: a crossed cache would show
    cold = create_app(workspace, settings())
    assert served_b == _specs(sign_in(cold, "viewer-b@example.org"), b)
    assert sign_in(warm, "viewer-b@example.org").get(f"/o/{a}/overview").status_code == 403


def test_cached_unsuppressed_results_never_reach_a_viewer(workspace):
    warm = create_app(workspace, settings())
    _a, b = _orgs(warm)
    _users(warm, [_a, b])
    unsuppressed = _specs(sign_in(warm, "analyst-b@example.org"), b, view="unsuppressed")  # cached first
    viewer = sign_in(warm, "viewer-b@example.org")
    served = _specs(viewer, b)
    assert served != unsuppressed  # suppression withholds something here: a crossed cache would show
    cold = create_app(workspace, settings())
    assert served == _specs(sign_in(cold, "viewer-b@example.org"), b)
    assert viewer.get(f"/o/{b}/indicator/wres.2/chart/groups.json?view=unsuppressed").status_code == 403
    page = viewer.get(f"/o/{b}/indicator/wres.2")
    assert page.status_code == 200 and "Not for publication" not in page.text


def test_a_new_import_invalidates_cached_results(workspace, two_trusts, tmp_path):
    from parity.ingest import import_file
    from parity.workspace import Workspace

    app = create_app(workspace, settings())
    _a, b = _orgs(app)
    _users(app, [_a, b])
    viewer = sign_in(app, "viewer-b@example.org")
    before = _specs(viewer, b)
    assert _specs(viewer, b) == before  # served from the cache
    # an import from outside the server (the CLI): every shortlisted applicant of B now appointed
    apps = pd.read_csv(two_trusts[1] / "applications.csv", dtype=str)
    apps.loc[(apps["org_code"] == b) & (apps["shortlisted"] == "true"), "appointed"] = "true"
    changed = tmp_path / "applications.csv"
    apps.to_csv(changed, index=False)
    import_file(Workspace.open(workspace), changed, "applications")
    after = _specs(viewer, b)
    assert after != before
    cold = create_app(workspace, settings())
    assert after == _specs(sign_in(cold, "viewer-b@example.org"), b)
