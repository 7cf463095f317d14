"""`parity explore ... --protected`: the published view of the explorer (issue 10)."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from parity.commands.explore import register

from .conftest import plan_workspace

#: (ethnic category, sex, staff, disciplinary cases): Black male has 4 cases (1..9: withheld)
PLAN = (("A", "female", 300, 20), ("A", "male", 300, 15), ("N", "female", 200, 25), ("N", "male", 200, 4))


@pytest.fixture
def workspace(trust, tmp_path):
    return plan_workspace(trust, tmp_path, PLAN)


def run(workspace, *extra: str) -> dict:
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["explore", "scan", "-w", str(workspace), "--year", "2025", "--outcome",
                                      "disciplinary", "--by", "ethnicity,sex", "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cells(payload: dict) -> dict:
    return {tuple(sorted(f["group"].items())): f for f in payload["findings"]}


def test_small_cells_are_withheld_with_their_statistics_and_narrative(workspace):
    raw, shown = run(workspace), run(workspace, "--protected")
    assert raw["disclosure"]["protected"] is False and shown["disclosure"]["protected"] is True
    raw_cells, shown_cells = cells(raw), cells(shown)
    black_male = (("ethnicity", "Black"), ("sex", "male"))
    assert raw_cells[black_male]["counts"]["events"] == 4  # the scenario
    small = shown_cells[black_male]
    assert small["counts"]["events"] is None
    for name in ("relative_likelihood", "ci_low", "ci_high", "p_value", "rate"):
        assert small[name] is None
    assert "4 of" not in small["narrative"] and small["narrative"].startswith("Too few")
    # every count left is 0 or at least 10 (k = 10), and a shown cell keeps its figures
    for f in shown["findings"]:
        for n in f["counts"].values():
            assert n is None or n == 0 or n >= 10, f
    for g, f in shown_cells.items():  # a cell whose counts are all shown keeps its statistics
        c = f["counts"]
        if None not in c.values() and c["events"] and c["reference_events"]:
            rl = (c["events"] / c["n"]) / (c["reference_events"] / c["reference_n"])
            assert f["relative_likelihood"] == pytest.approx(rl, abs=0.01), g
            assert f["narrative"] == raw_cells[g]["narrative"]
    assert [g for g, f in shown_cells.items() if None not in f["counts"].values()], "nothing left to publish"
    assert shown["tables"] == {}


def test_no_subtraction_of_cells_gives_the_small_cell_back(workspace):
    shown = run(workspace, "--protected")
    found = cells(shown)
    black = found.get((("ethnicity", "Black"),))
    black_female = found[(("ethnicity", "Black"), ("sex", "female"))]
    # Black (29 cases) - Black female (25) = Black male (4): one of the two must be withheld
    assert black is None or black["counts"]["events"] is None or black_female["counts"]["events"] is None
    males = [f for g, f in found.items() if dict(g) == {"sex": "male"}]
    for f in males:  # male (19) - White male reference (15) = Black male (4)
        assert f["counts"]["events"] is None or f["counts"]["reference_events"] is None
