"""Issue 10 leak 13, the funnel (session 26): the recruitment funnel against WRES 2.

The funnel (`/o/{org}/explore/funnel`, `parity explore funnel --protected`) publishes, step by step
and by ethnicity (and x sex), the applicants WRES 2 counts: the people of its step out of
"shortlisted" are WRES 2's shortlisted, the events of its step into "appointed" WRES 2's appointed
(declined offers left out of both). WRES 2 groups the same people into White / BME / Unknown, so a
funnel cell withheld as small comes back as WRES 2's BME minus the other BME groups.

RXF 2025: shortlisted White 30 (10 appointed), Asian 21 (10), Black 4 (1); everyone shortlisted is
interviewed, and the appointed were offered the post. The funnel withholds Black's 4 and 1; WRES 2
prints BME 11 of 25 and the funnel Asian 10 of 21: 25 - 21 = 4, 11 - 10 = 1.

The attacker: every published count of the funnel's first step out of shortlisted (people) and its
step into appointed (events), WRES 2's published figures, the funnel's margins (an ethnic group = the
sum of its sex cells) and the identities between the two (White = White, BME = the other known groups,
Unknown = Unknown), each only when it holds on the raw figures; `linprog` bounds every 1-9 count.

Fixed (session 26): the funnel is protected with WRES 2's published figures as known sums of its
cells, on the dashboard and the command line (`parity.disclosure.explore_wres`).
"""

from __future__ import annotations

import json

import pytest
from attack_lp import System
from attack_model import Model
from attack_trusts import WRES2_APPLICANTS, wres2_trust

from parity.disclosure import DisclosureRule

YEAR = 2025
ORG = "RXF"
APPLICANTS = WRES2_APPLICANTS
WRES_GROUP = {"White": "White", "Unknown": "Unknown"}  # every other ethnic group is BME
#: (step, funnel field) -> the WRES 2 field it counts
STEPS = {("shortlisted → interviewed", "n"): "n", ("offered → appointed", "events"): "events"}


@pytest.fixture(scope="module")
def trust():
    return wres2_trust(ORG, YEAR, funnel=True)


@pytest.fixture(scope="module")
def workspace(trust, tmp_path_factory):
    return trust.workspace(tmp_path_factory.mktemp("funnel") / "ws")


def _wres2(workspace, *, protected: bool) -> dict:
    from parity.report.release import protected_standards

    results, _orgs, docs = protected_standards(workspace, DisclosureRule(), years=[YEAR])["wres"]
    key = ((ORG,), YEAR)
    doc = docs[key] if protected else results[key].to_dict()
    return next(i for i in doc["indicators"] if i["id"] == "wres.2")


def _raw_funnel(workspace) -> dict:
    from parity.explore import explore

    return explore(workspace, kind="funnel", year=YEAR, org=ORG).to_dict()


def _cells(funnel: dict) -> dict[tuple, object]:
    """{(step, group as sorted pairs, field): value} of the two steps WRES 2 counts (a group and its reference)."""
    out: dict[tuple, object] = {}
    for item in (funnel.get("findings") or []) + (funnel.get("not_tested") or []):
        context = item.get("context") or {}
        if context.get("year") != YEAR:
            continue
        counts = item.get("counts") if isinstance(item.get("counts"), dict) else item
        for group, events, n in ((item.get("group"), "events", "n"),
                                 (item.get("reference_group"), "reference_events", "reference_n")):
            if not isinstance(group, dict):
                continue
            g = tuple(sorted(group.items()))
            for field, name in (("events", events), ("n", n)):
                if (context.get("step"), field) in STEPS:
                    out.setdefault((context["step"], g, field), counts.get(name))
    return out


def attack(funnel: dict, raw_funnel: dict, wres: dict, raw_wres: dict) -> list[str]:
    """Every 1-9 count (funnel cell of the two steps, WRES 2 group) pinned by `linprog`."""
    m = Model()
    truth = _cells(raw_funnel)
    for key, v in truth.items():
        if isinstance(v, int):
            m.truth[("funnel", *key)] = v
    for g, fig in raw_wres["groups"].items():
        m.truth[("wres", g, "events")], m.truth[("wres", g, "n")] = fig["numerator"], fig["denominator"]
    for key, v in _cells(funnel).items():
        if isinstance(v, int) and ("funnel", *key) in m.truth:
            m.add({("funnel", *key): 1.0}, v, v, {"funnel"}, f"the funnel publishes {key}", check=False)
    for g, fig in wres["groups"].items():
        for f, name in (("events", "numerator"), ("n", "denominator")):
            if isinstance(fig.get(name), int):
                m.add({("wres", g, f): 1.0}, fig[name], fig[name], {"wres"}, f"WRES 2 publishes {g} {name}",
                      check=False)
    ethnic = sorted({dict(g)["ethnicity"] for (_s, g, _f) in truth if len(g) == 1 and g[0][0] == "ethnicity"})
    for (step, field), wres_field in STEPS.items():
        for e in ethnic:  # the funnel's margin: an ethnic group = its sex cells
            subs = {("funnel", step, g, field): 1.0 for (s, g, f) in truth
                    if (s, f) == (step, field) and ("ethnicity", e) in g and len(g) == 2}
            if subs:
                m.add({**subs, ("funnel", step, (("ethnicity", e),), field): -1.0}, 0, 0, {"funnel"},
                      "group = sum of its sex cells")
        for w in ("White", "BME", "Unknown"):  # across the two: the same applicants
            mine = [e for e in ethnic if WRES_GROUP.get(e, "BME") == w]
            if mine and ("wres", w, wres_field) in m.truth:
                coefs = {("funnel", step, (("ethnicity", e),), field): 1.0 for e in mine}
                m.add({**coefs, ("wres", w, wres_field): -1.0}, 0, 0, {"funnel", "wres"},
                      f"WRES 2 {w} = the funnel's {mine}")
    system = System(m.constraints)
    return sorted(f"{var[1:]} = {value}" for var, value in m.truth.items()
                  if 0 < value < 10 and system.bounds({var: 1.0}).pinned)


def test_the_attack_recovers_the_unprotected_view(workspace):
    """The attack can fail: on the figures as counted, Black's shortlisted and appointed are read."""
    raw, wres = _raw_funnel(workspace), _wres2(workspace, protected=False)
    found = attack(raw, raw, wres, wres)
    assert "('shortlisted → interviewed', (('ethnicity', 'Black'),), 'n') = 4" in found, found
    assert "('offered → appointed', (('ethnicity', 'Black'),), 'events') = 1" in found, found


def test_the_funnel_without_wres2_leaks(workspace):
    """Protected on its own (as before session 26's link), the funnel's withheld Black cells come back."""
    from parity.disclosure.explore import protect_explore

    raw = _raw_funnel(workspace)
    found = attack(protect_explore(raw, DisclosureRule()), raw, _wres2(workspace, protected=True),
                   _wres2(workspace, protected=False))
    assert "('shortlisted → interviewed', (('ethnicity', 'Black'),), 'n') = 4" in found, found


def test_the_dashboard_funnel_and_wres2_together_give_back_no_withheld_count(workspace):
    from parity.web.results import Results
    from parity.web.views.explore_funnel import FunnelCache

    funnel = FunnelCache(Results(workspace, DisclosureRule())).get(ORG, YEAR)
    assert isinstance(funnel, dict), funnel
    found = attack(funnel, _raw_funnel(workspace), _wres2(workspace, protected=True),
                   _wres2(workspace, protected=False))
    assert found == [], json.dumps(found, indent=1)


def test_the_command_line_funnel_is_protected_around_wres2_too(workspace):
    """`parity explore funnel --protected --format json`: the same published view as the dashboard's."""
    from typer.testing import CliRunner

    from parity.cli import app

    out = CliRunner().invoke(app, ["explore", "funnel", "-w", str(workspace), "--year", str(YEAR), "--org", ORG,
                                   "--protected", "--format", "json"])
    assert out.exit_code == 0, out.output
    found = attack(json.loads(out.output), _raw_funnel(workspace), _wres2(workspace, protected=True),
                   _wres2(workspace, protected=False))
    assert found == [], json.dumps(found, indent=1)
