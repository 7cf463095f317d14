"""Issue 14: the overview opens with "What the board should know" — on the demo trust of `parity demo`
(7,000 staff, five years, seed 2025), the appointment gap ranks first and WRES 3 is labelled uncertain."""

from __future__ import annotations

import re

import pytest
from web_helpers import add_user, settings, sign_in

YEAR = 2025


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    from parity.commands.demo import build_demo_workspace
    from parity.web import create_app

    root = tmp_path_factory.mktemp("board-demo")
    build_demo_workspace(root / "data", root / "ws")
    app = create_app(root / "ws", settings())
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
    assert html.index("What the board should know") < html.index("<h2>Recruitment</h2>")  # it leads the page
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


def test_demo_panel_ranks_a_bias_explorer_finding_with_its_interval(demo_app):
    """The explorer's significant cells (the Explore page's protected scan) join the ranking: after the
    standards' adverse and clear findings, before the uncertain ones, each with its interval and a link
    to the Explore page; the figures checked against the cell's published counts (Katz interval)."""
    import math

    from parity.web.views.explore import scans

    html = sign_in(demo_app, "viewer@example.org").get(f"/o/R0A/overview?year={YEAR}").text
    items = panel_items(html)
    found = [n for n, i in enumerate(items) if " Bias explorer: " in i]
    assert found, items
    first = items[found[0]]
    assert first.startswith("Adverse — clear Bias explorer: ")
    assert all(i.startswith("Adverse — clear") for i in items[:found[0]])
    scan = scans(demo_app).get("R0A", YEAR)
    cell = next(f for f in scan["findings"] if f["significant"] and
                f"Bias explorer: {f['group_label'][:1].upper()}{f['group_label'][1:]} compared with" in first)
    c = cell["counts"]
    assert cell["outcome"] == "appointment"  # a good outcome: the reference's rate over the group's
    rl = (c["reference_events"] / c["reference_n"]) / (c["events"] / c["n"])
    se = math.sqrt(1 / c["events"] - 1 / c["n"] + 1 / c["reference_events"] - 1 / c["reference_n"])
    low, high = rl * math.exp(-1.959964 * se), rl * math.exp(1.959964 * se)
    assert f"were {rl:.2f} times as likely as" in first and f"(95% interval {low:.2f} to {high:.2f})" in first
    assert f'href="/o/R0A/explore?outcome=appointment&amp;year={YEAR}"' in html


def test_cards_grouped_by_topic_with_trend_lines_and_one_quality_statement(shared_app):
    html = sign_in(shared_app, "viewer@example.org").get("/o/R0A/overview").text
    headings = re.findall(r"<h2>([^<]+)</h2>", html)
    assert headings == ["Recruitment", "Discipline and capability", "Training and development",
                        "Staff experience (survey)", "Representation", "Pay"]

    def section(title: str) -> str:
        start = html.index(f"<h2>{title}</h2>")
        nxt = html.find("<h2>", start + 5)
        return html[start:nxt if nxt > 0 else None]
    assert "indicator/wres.2?" in section("Recruitment") and "indicator/wdes.2?" in section("Recruitment")
    assert "indicator/wres.3?" in section("Discipline and capability")
    assert "indicator/wres.1?" in section("Representation") and "indicator/wres.9?" in section("Representation")
    # every year of the demo (2024, 2025) on each trend line, a withheld year said so, not drawn
    lines = re.findall(r'<svg class="parity-sparkline"[^>]*><title>([^<]+)</title>', html)
    assert len(lines) >= 15 and all("2024" in t and "2025" in t for t in lines)
    assert "Trend: " in section("Recruitment")
    # data-quality notes: one statement, not a list per indicator
    assert html.count('nhsuk-warning-callout__label">Data quality') == 1
    callout = html[html.index('Data quality</h2>'):]
    assert "<ul" not in callout[:callout.index("</div>")]


def test_sparkline_leaves_withheld_years_as_gaps():
    from parity.web.sparkline import sparkline

    svg = sparkline([(2021, 1.0), (2022, None), (2023, 1.2), (2024, 1.3)], label="Relative likelihood", ratio=True)
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 3  # 2021 stands alone; 2023-2024 joined
    assert "2022: withheld or not available" in svg and 'fill="#e8edee"' in svg  # the non-adverse band
    # log scale: 0.80 and 1.25 lie equally far from 1
    top, height = (float(v) for v in re.search(r'<rect x="0" y="([\d.]+)" width="160" height="([\d.]+)"', svg).groups())
    one = float(re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)[0])
    assert one - top == pytest.approx(top + height - one, abs=0.15)
    assert sparkline([(2025, 1.0)], label="x") == ""  # one year: no line


def test_panel_is_the_protected_ranking_in_every_view(shared_app):
    # an analyst's unsuppressed (marked) view shows the same panel: it is ranked from the protected release
    client = sign_in(shared_app, "analyst@example.org")
    suppressed = panel_items(client.get("/o/R0A/overview").text)
    unsuppressed = panel_items(client.get("/o/R0A/overview?view=unsuppressed").text)
    assert suppressed and unsuppressed == suppressed
