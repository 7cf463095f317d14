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
    positives, n = (4, 6, 8), 11  # 11 answers a pulse: one whole step each
    for i, pos in enumerate(positives):
        sid = s.create(survey(access="open", title=f"Pulse {i}", opens=f"2026-01-0{i + 1}", closes=f"2026-01-1{i}"))
        for j in range(n):
            s.submit(sid, {"q1": "agree" if j < pos else "disagree", "q2": "yes"}, {"ethnicity": "A", "disability": "no"})
        s.close(sid)
    s.create(survey(access="open", title="Other org", org="RXX"))
    out = trend(s, "R0A", "q1")
    assert [p["title"] for p in out["points"]] == ["Pulse 0", "Pulse 1", "Pulse 2"]
    percents = [round(100 * pos / n, 2) for pos in positives]
    assert [p["percent"] for p in out["points"]] == percents
    # Laney p′ by hand: p̄ = 18/33; σ = √(p̄(1−p̄)/11); z = (p − p̄)/σ; σz = mean|Δz|/1.128
    pbar = 18 / 33
    sigma = math.sqrt(pbar * (1 - pbar) / n)
    z = [(pos / n - pbar) / sigma for pos in positives]
    sigma_z = (abs(z[1] - z[0]) + abs(z[2] - z[1])) / 2 / 1.128
    assert out["spc"]["centre"] == round(100 * pbar, 2)
    assert out["spc"]["upper"][0] == round(100 * (pbar + 3 * sigma * sigma_z), 2)
    got = CliRunner().invoke(app, ["pulse", "trend", "-w", str(tmp_path), "--org", "r0a", "-q", "q1", "--format", "json"])
    assert got.exit_code == 0 and [p["percent"] for p in json.loads(got.output)["points"]] == percents
    got = CliRunner().invoke(app, ["pulse", "trend", "-w", str(tmp_path), "--org", "R0A", "-q", "q1"])
    assert got.exit_code == 0 and "Pulse 2" in got.output and f"{100 * 8 / 11:.1f}%" in got.output
    assert trend(s, "R0A", "nope") == {"org": "R0A", "question": "nope", "points": [], "spc": None}
