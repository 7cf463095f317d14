"""A question repeated across pulses gives a trend, with a Laney p′ chart from three pulses."""

from __future__ import annotations

import json
import math

from pulse_helpers import store, survey
from typer.testing import CliRunner

from parity.cli import app
from parity.pulse.trend import trend


def test_trend_across_three_pulses(tmp_path):
    s = store(tmp_path)
    positives = (6, 9, 12)
    for i, pos in enumerate(positives):
        sid = s.create(survey(access="open", title=f"Pulse {i}", opens=f"2026-01-0{i + 1}", closes=f"2026-01-1{i}"))
        for j in range(15):
            s.submit(sid, {"q1": "agree" if j < pos else "disagree", "q2": "yes"}, {"ethnicity": "A", "disability": "no"})
        s.close(sid)
    s.create(survey(access="open", title="Other org", org="RXX"))
    out = trend(s, "R0A", "q1")
    assert [p["title"] for p in out["points"]] == ["Pulse 0", "Pulse 1", "Pulse 2"]
    assert [p["percent"] for p in out["points"]] == [40.0, 60.0, 80.0]
    # Laney p′ by hand: p̄ = 27/45 = 0.6; σ = √(0.6·0.4/15); z = (−1.58, 0, 1.58); σz = mean|Δz|/1.128
    sigma = math.sqrt(0.6 * 0.4 / 15)
    z = [(p - 0.6) / sigma for p in (0.4, 0.6, 0.8)]
    sigma_z = (abs(z[1] - z[0]) + abs(z[2] - z[1])) / 2 / 1.128
    assert out["spc"]["centre"] == 60.0
    assert out["spc"]["upper"][0] == round(100 * (0.6 + 3 * sigma * sigma_z), 2)
    got = CliRunner().invoke(app, ["pulse", "trend", "-w", str(tmp_path), "--org", "r0a", "-q", "q1", "--format", "json"])
    assert got.exit_code == 0 and [p["percent"] for p in json.loads(got.output)["points"]] == [40, 60, 80]
    got = CliRunner().invoke(app, ["pulse", "trend", "-w", str(tmp_path), "--org", "R0A", "-q", "q1"])
    assert got.exit_code == 0 and "Pulse 2" in got.output and "80.0%" in got.output
    assert trend(s, "R0A", "nope") == {"org": "R0A", "question": "nope", "points": [], "spc": None}
