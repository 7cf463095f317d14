"""Issue 10 leak 13 (session 26): the bias explorer's scan against WRES 2.

The scan (`/o/{org}/explore`, the report's "What the board should know", `parity explore scan
--protected`) publishes appointment from shortlisting by ethnicity (and x sex) from the same
applicants as WRES 2, protected as a release of its own (`protect_explore`). WRES 2 groups the same
people into White / BME / Unknown. So WRES 2's BME figure is the sum of the scan's cells of every
ethnic group but White and Unknown, and a cell the scan withholds comes back by subtraction.

RXE 2025: shortlisted White 30 (10 appointed), Asian 21 (10), Black 4 (1). The scan withholds Black's
4 and 1 and prints Asian 10 of 21; WRES 2 prints BME 11 of 25: 25 - 21 = 4, 11 - 10 = 1.

The attacker: every published appointment count of the scan (cells, references) and of WRES 2, the
scan's margins (an ethnic group = the sum of its sex cells), and the identities between the two
(WRES 2's White = the scan's White; BME = the sum of the other known ethnic groups; Unknown =
Unknown), each only when it holds on the raw figures; `linprog` bounds every 1-9 count.

Fixed (session 26): the scan is protected with WRES 2's published figures as known sums of its cells
(`parity.disclosure.explore_wres`).
"""

from __future__ import annotations

import json

import pytest
from attack_lp import System
from attack_model import Model
from attack_trusts import WRES2_APPLICANTS, wres2_trust

from parity.disclosure import DisclosureRule

YEAR = 2025
APPLICANTS = WRES2_APPLICANTS
WRES_GROUP = {"White": "White", "Unknown": "Unknown"}  # every other ethnic group is BME


@pytest.fixture(scope="module")
def rxe(rxe_trust):
    return rxe_trust.connect()


@pytest.fixture(scope="module")
def rxe_trust():
    return wres2_trust("RXE", YEAR)


def _published(con, *, protected: bool) -> tuple[dict, dict, dict, dict]:
    """(scan published, scan raw, WRES 2 published, WRES 2 raw) as every channel shows them."""
    from parity.explore import explore
    from parity.report.explorer import BY, protected_scan
    from parity.report.release import protected_standards

    rule = DisclosureRule()
    raw_scan = explore(con, kind="scan", year=YEAR, by=BY, org="RXE").to_dict()
    found = protected_standards(con, rule, years=[YEAR])
    results, _orgs, docs = found["wres"]
    key = (("RXE",), YEAR)
    raw_wres = next(i for i in results[key].to_dict()["indicators"] if i["id"] == "wres.2")
    if not protected:
        return raw_scan, raw_scan, raw_wres, raw_wres
    scan = protected_scan(con, year=YEAR, org="RXE", rule=rule)
    wres = next(i for i in docs[key]["indicators"] if i["id"] == "wres.2")
    return scan, raw_scan, wres, raw_wres


def _cells(scan: dict) -> dict[tuple, dict]:
    """{(group as sorted pairs, field): value} of the appointment cells of YEAR (a group and its reference)."""
    out: dict[tuple, object] = {}
    for item in (scan.get("findings") or []) + (scan.get("not_tested") or []):
        if item.get("outcome") != "appointment" or (item.get("context") or {}).get("year") != YEAR:
            continue
        counts = item.get("counts") if isinstance(item.get("counts"), dict) else item
        group = tuple(sorted((item.get("group") or {}).items()))
        out[(group, "events")], out[(group, "n")] = counts.get("events"), counts.get("n")
        ref = item.get("reference_group")
        if isinstance(ref, dict):
            r = tuple(sorted(ref.items()))
            out.setdefault((r, "events"), counts.get("reference_events"))
            out.setdefault((r, "n"), counts.get("reference_n"))
    return out


def attack(scan, raw_scan, wres, raw_wres) -> list[str]:
    """Every 1-9 count (scan cell, WRES 2 group, and the people not appointed) pinned by `linprog`."""
    m = Model()
    truth = _cells(raw_scan)
    for (group, f), v in truth.items():
        if isinstance(v, int):
            m.truth[("scan", group, f)] = v
    for g, fig in raw_wres["groups"].items():
        m.truth[("wres", g, "events")], m.truth[("wres", g, "n")] = fig["numerator"], fig["denominator"]
    for (group, f), v in _cells(scan).items():
        if isinstance(v, int) and ("scan", group, f) in m.truth:
            m.add({("scan", group, f): 1.0}, v, v, {"scan"}, f"scan publishes {group} {f}", check=False)
    for g, fig in wres["groups"].items():
        for f, name in (("events", "numerator"), ("n", "denominator")):
            if isinstance(fig.get(name), int):
                m.add({("wres", g, f): 1.0}, fig[name], fig[name], {"wres"}, f"WRES 2 publishes {g} {name}",
                      check=False)
    ethnic = sorted({dict(g)["ethnicity"] for (g, _f) in truth if len(g) == 1 and g[0][0] == "ethnicity"})
    for f in ("events", "n"):
        for e in ethnic:  # the scan's margin: an ethnic group = its sex cells
            subs = {("scan", g, f): 1.0 for (g, ff) in truth if ff == f and ("ethnicity", e) in g and len(g) == 2}
            m.add({**subs, ("scan", (("ethnicity", e),), f): -1.0}, 0, 0, {"scan"}, "group = sum of its sex cells")
        for w in ("White", "BME", "Unknown"):  # across the two releases: the same applicants
            mine = [e for e in ethnic if WRES_GROUP.get(e, "BME") == w]
            coefs = {("scan", (("ethnicity", e),), f): 1.0 for e in mine}
            m.add({**coefs, ("wres", w, f): -1.0}, 0, 0, {"scan", "wres"}, f"WRES 2 {w} = the scan's {mine}")
        for (g, ff) in truth:
            if ff == f:
                m.add({("scan", g, "events"): 1.0, ("scan", g, "n"): -1.0}, -float("inf"), 0, {"scan"}, "events <= n")
    system = System(m.constraints)
    found = []
    for var, value in m.truth.items():
        targets = [({var: 1.0}, value)]
        if var[-1] == "n":
            events = (*var[:-1], "events")
            targets.append(({var: 1.0, events: -1.0}, value - m.truth.get(events, value)))
        for coefs, v in targets:
            if 0 < v < 10 and system.bounds(coefs).pinned:
                found.append(f"{' - '.join(str(k[1:]) for k in coefs)} = {v}")
    return sorted(found)


def test_the_attack_recovers_the_unprotected_view(rxe):
    """The attack can fail: on the figures as counted, every small cell is read or pinned."""
    found = attack(*_published(rxe, protected=False))
    assert "((('ethnicity', 'Black'),), 'n') = 4" in found and "((('ethnicity', 'Black'),), 'events') = 1" in found


def test_the_scan_and_wres2_together_give_back_no_withheld_count(rxe):
    found = attack(*_published(rxe, protected=True))
    assert found == [], json.dumps(found, indent=1)


def test_the_command_line_scan_is_protected_around_wres2_too(rxe_trust, tmp_path):
    """`parity explore scan --protected --format json`: the same published view as the dashboard's."""
    from typer.testing import CliRunner

    from parity.cli import app

    workspace = rxe_trust.workspace(tmp_path / "ws")
    out = CliRunner().invoke(app, ["explore", "scan", "-w", str(workspace), "--year", str(YEAR), "--org", "RXE",
                                   "--protected", "--format", "json"])
    assert out.exit_code == 0, out.output
    _scan, raw_scan, wres, raw_wres = _published(workspace, protected=True)
    assert attack(json.loads(out.output), raw_scan, wres, raw_wres) == []
