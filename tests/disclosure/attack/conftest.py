"""Releases built once per session from the constructed trusts (attack_trusts.py), and their audits.

- `org_release`: RXA alone, 2024 and 2025, every report format (PDF for 2025 only: WeasyPrint is
  slow), plus the viewer's web pages — leaks 1 (last year's figures), 2 (breakdowns), 3 (pay gap
  decomposition).
- `region_release`: RXA and RXB and all organisations, 2025, tidy CSV — leak 4 (levels).
- `rolling_release`: RXR, 2024 and 2025, JSON — leak 7 (two-year rolling windows share a year).
- `board_release`: RXO, 2025, JSON — board members not in a group (13 members - 10 White = 3).
- `many_orgs_audit`: twelve organisations with small cells and all organisations, 2024 and 2025, JSON
  (issue 18: the release of many organisations is protected block by block, `parity.disclosure.modular`).
- `survey_release`: RXS, 2024 and 2025, JSON and HTML — survey "last year" figures (issue 10 leak 1's
  survey form: "Last year −32.5" against last year's published cells).

The attack counts of every audit are written to ``attack-summary.json`` in the session's temporary
directory and printed at the end (``pytest -s tests/disclosure/attack``).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # --import-mode=importlib: make the helper modules importable

from attack_audit import audit  # noqa: E402
from attack_release import build_release, json_release, viewer_pages, workspace_from  # noqa: E402
from attack_trusts import (  # noqa: E402
    OrgPlan,
    board_org,
    build,
    crowded_org,
    leaky_region,
    many_orgs,
    rolling_org,
    survey_org,
)

SUMMARY: dict[str, dict] = {}


@pytest.fixture(scope="session")
def org_release(tmp_path_factory):
    rxa = [p for p in leaky_region() if p.code == "RXA"]
    trust = build(rxa)
    out = tmp_path_factory.mktemp("attack-org")
    release = build_release(trust.connect(), orgs=["RXA"], years=[2024, 2025], out_dir=out, levels=False,
                            pdf={"RXA 2025"})
    release.web = viewer_pages(workspace_from(trust, out / "ws"), ["RXA"], [2024, 2025])
    return release


@pytest.fixture(scope="session")
def region_release(tmp_path_factory):
    plans = [OrgPlan("RXA", training=(30, 3)), OrgPlan("RXB")]  # no pay extract: pay gaps are the org release's
    out = tmp_path_factory.mktemp("attack-region")
    return build_release(build(plans).connect(), orgs=["RXA", "RXB"], years=[2025], out_dir=out,
                         formats=("csv",))


@pytest.fixture(scope="session")
def crowded_release(tmp_path_factory):
    """Small cells in every table the leaks did not force (no known leak): must give nothing away."""
    trust = build([crowded_org()])
    out = tmp_path_factory.mktemp("attack-crowded")
    release = build_release(trust.connect(), orgs=["RXC"], years=[2024, 2025], out_dir=out, levels=False)
    release.web = viewer_pages(workspace_from(trust, out / "ws"), ["RXC"], [2025])
    return release


@pytest.fixture(scope="session")
def rolling_release(tmp_path_factory):
    """Consecutive two-year rolling windows (WRES 3, WDES 3) whose difference is one year's few cases."""
    return build_release(build([rolling_org()]).connect(), orgs=["RXR"], years=[2024, 2025], levels=False,
                         formats=())


@pytest.fixture(scope="session")
def rolling_audit(rolling_release):
    return _record("rolling release (RXR, 2024-2025, JSON)", audit(rolling_release))


@pytest.fixture(scope="session")
def board_release():
    return build_release(build([board_org()]).connect(), orgs=["RXO"], years=[2025], levels=False, formats=())


@pytest.fixture(scope="session")
def board_audit(board_release):
    return _record("board release (RXO, 2025, JSON)", audit(board_release))


@pytest.fixture(scope="session")
def survey_release(tmp_path_factory):
    """Last year's survey difference and change, printed in year Y, over year Y-1's withheld 3 of 40."""
    out = tmp_path_factory.mktemp("attack-survey")
    return build_release(survey_org().connect(), orgs=["RXS"], years=[2024, 2025], levels=False, out_dir=out,
                         formats=("html",))


@pytest.fixture(scope="session")
def survey_audit(survey_release):
    return _record("survey release (RXS, 2024-2025, JSON/HTML)", audit(survey_release))


@pytest.fixture(scope="session")
def crowded_audit(crowded_release):
    return _record("crowded release (RXC, 2024-2025, html/xlsx/csv/web 2025)", audit(crowded_release))


@pytest.fixture(scope="session")
def org_audit(org_release):
    return _record("org release (RXA, 2024-2025, html/pdf/xlsx/csv/web)", audit(org_release))


@pytest.fixture(scope="session")
def region_audit(region_release):
    return _record("region release (all organisations, RXA, RXB, 2025)", audit(region_release))


@pytest.fixture(scope="session")
def many_orgs_audit():
    """Twelve organisations and all organisations, 2024-2025, WRES and WDES (issue 18: solved block by block)."""
    release = json_release(build(many_orgs()).connect(), [2024, 2025])
    return _record("many organisations (12 + all, 2024-2025, JSON)", audit(release, formats=False))


def _record(name: str, result):
    SUMMARY[name] = {**result.summary(), "recovered": sorted({str(f) for f in result.findings})}
    return result


def recovered(result, target: str, *, method: str | None = None, channel: str | None = None) -> list[str]:
    """Findings whose target name contains `target` (and by `method`, through `channel` prefix)."""
    return [str(f) for f in result.findings if target in f.target.name and (method is None or f.method == method)
            and (channel is None or f.channel.split(" ")[0] == channel)]


def pytest_configure(config):
    config.addinivalue_line("markers", "region: a generated region's whole release, minutes long; collected "
                                       "only when -m names slow or region (make test-slow)")


def pytest_collection_modifyitems(config, items):
    """``region`` tests run only when asked for by marker (``-m slow``, ``-m region``): not in
    ``make test`` (they take minutes) nor in ``-m "not spark"``."""
    expr = config.getoption("markexpr") or ""
    if re.search(r"(?<!not )\b(slow|region)\b", expr):
        return
    keep = [i for i in items if i.get_closest_marker("region") is None]
    if len(keep) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i.get_closest_marker("region") is not None])
        items[:] = keep


def pytest_sessionfinish(session, exitstatus):
    if not SUMMARY:
        return
    total = {"cells_tried": sum(s["cells_tried"] for s in SUMMARY.values()),
             "cells_recovered": sum(s["cells_recovered"] for s in SUMMARY.values())}
    path = Path(session.config._tmp_path_factory.getbasetemp()) / "attack-summary.json"
    path.write_text(json.dumps({"total": total, "releases": SUMMARY}, indent=2), encoding="utf-8")
    print(f"\nattack: cells tried {total['cells_tried']}, recovered {total['cells_recovered']} "
          f"(details: {path})")
    for name, s in SUMMARY.items():
        print(f"  {name}: tried {s['cells_tried']}, recovered {s['cells_recovered']}, by method {s['by_method']}, "
              f"by channel {s['by_channel']}")
