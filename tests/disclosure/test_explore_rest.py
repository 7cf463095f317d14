"""`parity explore scan --reference rest --protected`: a "rest" reference is everyone else in the
stratum, so it is the stratum's total minus the cell (issue 10).

Scenario (as tests/explore/test_explore_protected.py): disciplinary cases of White women 20 of 300,
White men 15 of 300, Black women 25 of 200, Black men 4 of 200. With the rest reference, any finding
shown whole gives the total (64 cases), so a withheld cell's events are the total minus its published
reference (64 - 60 = 4). The attack here is independent of the code: every published count is a
linear function of the four finest cells' events and people; `scipy.optimize.linprog` bounds the
Black men's events, which must keep at least two integer values.
"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest
import typer
from scipy.optimize import linprog
from typer.testing import CliRunner

from parity.commands.explore import register

_spec = importlib.util.spec_from_file_location("explore_workspace_helper",
                                               Path(__file__).parents[1] / "explore" / "conftest.py")
_helper = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_helper)  # the explorer tests' workspace builder (no sys.path change)
plan_workspace = _helper.plan_workspace

PLAN = (("A", "female", 300, 20), ("A", "male", 300, 15), ("N", "female", 200, 25), ("N", "male", 200, 4))
CELLS = [("White", "female"), ("White", "male"), ("Black", "female"), ("Black", "male")]


def _run(workspace: Path, *extra: str) -> dict:
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["explore", "scan", "-w", str(workspace), "--year", "2025", "--outcome",
                                      "disciplinary", "--by", "ethnicity,sex", "--format", "json",
                                      "--reference", "rest", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _bounds(payload: dict, target: tuple[str, str]) -> tuple[float, float]:
    """Least and greatest events of `target` over non-negative cells consistent with what is shown."""
    index = {(c, k): i for i, (c, k) in enumerate((c, k) for c in CELLS for k in ("events", "n"))}
    rows, rhs = [], []
    for f in payload["findings"] + (payload.get("not_tested") or []):
        group = f["group"]
        counts = f.get("counts") or f
        inside = [c for c in CELLS if all(dict(ethnicity=c[0], sex=c[1])[a] == v for a, v in group.items())]
        for name, cells, kind in (("events", inside, "events"), ("n", inside, "n"),
                                  ("reference_events", [c for c in CELLS if c not in inside], "events"),
                                  ("reference_n", [c for c in CELLS if c not in inside], "n")):
            if counts.get(name) is not None:
                row = [0.0] * len(index)
                for c in cells:
                    row[index[(c, kind)]] = 1.0
                rows.append(row)
                rhs.append(counts[name])
    for c in CELLS:  # events <= people
        row = [0.0] * len(index)
        row[index[(c, "events")]], row[index[(c, "n")]] = 1.0, -1.0
        rows.append(row)
        rhs.append(0.0)
    eq = [(r, b) for r, b in zip(rows[:-len(CELLS)], rhs[:-len(CELLS)], strict=True)]
    cost = [0.0] * len(index)
    cost[index[(target, "events")]] = 1.0
    kw = dict(A_eq=[r for r, _ in eq], b_eq=[b for _, b in eq], A_ub=rows[-len(CELLS):], b_ub=rhs[-len(CELLS):],
              bounds=(0, None), method="highs")
    low, high = linprog(cost, **kw), linprog([-x for x in cost], **kw)
    assert low.status == 0
    return low.fun, (math.inf if high.status == 3 else -high.fun)


@pytest.fixture
def workspace(trust, tmp_path):
    return plan_workspace(trust, tmp_path, PLAN)


def test_the_attack_pins_the_cell_when_everything_is_shown(workspace):
    """Unprotected, the LP pins the 4 (so the test below can fail)."""
    low, high = _bounds(_run(workspace), ("Black", "male"))
    assert math.floor(high + 1e-6) - math.ceil(low - 1e-6) + 1 == 1 and round(low) == 4


def test_a_rest_reference_does_not_give_back_a_withheld_cell(workspace):
    shown = _run(workspace, "--protected")
    low, high = _bounds(shown, ("Black", "male"))
    assert math.floor(high + 1e-6) - math.ceil(low - 1e-6) + 1 >= 2, (low, high)
    for f in shown["findings"]:  # and nothing published is a count of 1 to 9
        for n in f["counts"].values():
            assert n is None or n == 0 or n >= 10, f
