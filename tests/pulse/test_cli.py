"""`parity pulse` end to end through CliRunner: create, codes, answer, close, results, list."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, timedelta

from typer.testing import CliRunner

from parity.cli import app
from parity.pulse.store import PulseStore

runner = CliRunner()
SURVEY_YAML = f"""\
title: Speaking up pulse
opens: {date.today() - timedelta(days=3)}
closes: {date.today() + timedelta(days=10)}
access: codes
questions:
  - id: q1
    text: I feel able to speak up about things that concern me
    type: agree5
  - id: q2
    bank: equal_opportunities
about_you: [ethnicity, disability]
"""  # open now: the CLI uses today


def _run(*args):
    result = runner.invoke(app, ["pulse", *map(str, args)])
    return result.exit_code, result.output


def test_end_to_end(tmp_path):
    (tmp_path / "s.yaml").write_text(SURVEY_YAML)
    code, out = _run("create", "--workspace", tmp_path, "--org", "r0a", "--file", tmp_path / "s.yaml")
    assert code == 0, out
    sid = re.search(r"Link: /pulse/(\S+)", out).group(1)
    assert f"Created survey {sid}: Speaking up pulse (R0A)" in out

    code, out = _run("codes", "--workspace", tmp_path, "--survey", sid, "--count", 12, "--out", tmp_path / "c.csv")
    assert code == 0 and "Wrote 12 single-use codes" in out
    with open(tmp_path / "c.csv", newline="") as fh:
        codes = [r["code"] for r in csv.DictReader(fh)]
    assert len(set(codes)) == 12
    code, out = _run("codes", "--workspace", tmp_path, "--survey", sid, "--count", 1, "--out", tmp_path / "c.csv")
    assert code == 2 and "never overwritten" in out

    store = PulseStore(tmp_path)
    for i, c in enumerate(codes):
        store.submit(sid, {"q1": "agree" if i < 9 else "disagree", "q2": "yes"},
                     {"ethnicity": "A", "disability": "no"}, code=c)
    code, out = _run("results", "--workspace", tmp_path, "--survey", sid, "--format", "json")
    res = json.loads(out)
    assert code == 0 and res["published"] is True and res["responses"] == 12 and res["used"] == 11
    assert (res["questions"][0]["overall"]["n"], res["questions"][0]["overall"]["positive"]) == (11, 9)
    code, out = _run("results", "--workspace", tmp_path, "--survey", sid)
    flat = " ".join(out.split())
    assert code == 0 and "the first 11 responses" in flat and "appear when the survey closes" in flat
    assert "Ethnicity" not in flat and "81.8%" in flat  # 9 of 11; no group rows while open

    assert _run("close", "--workspace", tmp_path, "--survey", sid) == (0, f"Closed survey {sid}: 12 responses.\n")
    code, out = _run("results", "--workspace", tmp_path, "--survey", sid, "--format", "csv")
    rows = list(csv.DictReader(out.splitlines()))
    assert code == 0 and rows[0]["group"] == "everyone" and rows[0]["n"] == "11" and rows[0]["positive"] == "9"
    bme = next(r for r in rows if r["group"] == "BME" and r["question_id"] == "q1")
    assert bme["withheld"] == "True" and bme["n"] == ""

    code, out = _run("results", "--workspace", tmp_path, "--survey", sid)
    flat = " ".join(out.split())
    assert code == 0 and "Everyone" in flat and "withheld" in flat and "11 responses (the survey is closed; the last answer is counted but left out" in flat
    code, out = _run("list", "--workspace", tmp_path)
    assert code == 0 and sid in out and "closed" in out


def test_errors_are_clear(tmp_path):
    (tmp_path / "s.yaml").write_text(SURVEY_YAML.replace("access: codes", "access: codes\nthreshold: 5"))
    code, out = _run("create", "--workspace", tmp_path, "--org", "R0A", "--file", tmp_path / "s.yaml")
    assert code == 2 and "threshold is 5" in out and "Traceback" not in out
    (tmp_path / "t.yaml").write_text("org: RXX\n" + SURVEY_YAML)
    code, out = _run("create", "--workspace", tmp_path, "--org", "R0A", "--file", tmp_path / "t.yaml")
    assert code == 2 and "--org is 'R0A'" in out
    code, out = _run("results", "--workspace", tmp_path, "--survey", "nope")
    assert code == 2 and "No pulse survey nope" in out
    code, out = _run("results", "--workspace", tmp_path, "--survey", "nope", "--format", "xml")
    assert code == 2 and "Unknown format 'xml'" in out
    (tmp_path / "o.yaml").write_text(SURVEY_YAML.replace("access: codes", "access: open"))
    code, out = _run("create", "--workspace", tmp_path, "--org", "R0A", "--file", tmp_path / "o.yaml")
    sid = re.search(r"Link: /pulse/(\S+)", out).group(1)
    code, out = _run("codes", "--workspace", tmp_path, "--survey", sid, "--count", 3, "--out", tmp_path / "x.csv")
    assert code == 2 and "open-link" in out and not (tmp_path / "x.csv").exists()
    code, out = _run("close", "--workspace", tmp_path, "--survey", "nope")
    assert code == 2 and "No pulse survey nope" in out
