"""Issue 14: the overview opens with "What the board should know" — on the demo trust of `parity demo`
(7,000 staff, five years, seed 2025), the appointment gap ranks first and WRES 3 is labelled uncertain."""

from __future__ import annotations

import re
import shutil

import pytest
from web_helpers import add_user, settings, sign_in

YEAR = 2025


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    from parity.commands.demo import CANONICAL_FILES, DEMO_BIAS, DEMO_SEED
    from parity.ingest import import_file
    from parity.synth import generate
    from parity.web import create_app
    from parity.workspace import Workspace

    root = tmp_path_factory.mktemp("board-demo")
    data, path = root / "data", root / "ws"
    generate(data, staff=7000, years=5, seed=DEMO_SEED, bias=DEMO_BIAS)
    ws = Workspace.open(path, create=True)
    import_file(ws, data / "esr" / "staff_in_post.csv", "workforce", preset="esr-staff-in-post")
    for table in CANONICAL_FILES:
        if (data / f"{table}.csv").exists():
            import_file(ws, data / f"{table}.csv", table)
    shutil.copy(data / "survey_question_map.csv", path / "survey_question_map.csv")
    app = create_app(path, settings())
    add_user(app, "viewer@example.org", role="viewer")
    return app


def panel_items(html: str) -> list[str]:
    """The findings of the top panel (before "All … findings"), as text, in order."""
    start = html.index('id="board-panel"')
    panel = html[start:html.index("</ol>", start)]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip()
            for item in re.findall(r'<li class="parity-finding">(.*?)</li>', panel, re.S)]


def test_demo_overview_ranks_the_appointment_gap_first_and_wres3_uncertain(demo_app):
    html = sign_in(demo_app, "viewer@example.org").get(f"/o/R0A/overview?year={YEAR}").text
    assert "What the board should know" in html
    assert html.index("What the board should know") < html.index("<h2>WRES</h2>")  # it leads the page
    items = panel_items(html)
    assert items[0].startswith("Adverse — clear WRES: Appointment from shortlisting")
    # its interval and trend, in words, and a link to the evidence
    assert "1.49 times as likely" in items[0] and "(95% interval 1.31 to 1.68)" in items[0]
    assert "Trend: no clear change over the last four years" in items[0]
    assert f'href="/o/R0A/indicator/wres.2?year={YEAR}"' in html
    wres3 = [i for i in items if "Entering the formal disciplinary process" in i]
    assert wres3 and wres3[0].startswith("Adverse — uncertain: could be chance")
    assert "0.90 to 1.87" in wres3[0]
    # adverse and clear before adverse and uncertain, throughout the panel
    labels = [i.split(" WRES:")[0].split(" WDES:")[0] for i in items]
    assert labels == sorted(labels, key=lambda s: (not s.endswith("clear"),))
