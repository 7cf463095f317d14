"""Issue 14: the pay gap pages (sex, ethnicity, disability) and the GOV.UK CSV, from protected results."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from web_helpers import ORG, sign_in


@pytest.fixture(scope="module")
def viewer(shared_app):
    return sign_in(shared_app, "viewer@example.org")


def latest(app) -> int:
    return app.state.results.years(ORG)[0]


def independent_mean_gap(workspace, year: int) -> float:
    """Men's and women's mean hourly pay from the pay rows by hand (regulation 6: ordinary pay x 7 /
    days in the pay period / weekly hours, full-pay relevant employees only)."""
    from parity.indicators.source import open_source
    from parity.paygap.api import relevant_employees

    con, _ = open_source(workspace)
    df = relevant_employees(con, year=year)
    df = df[df["full_pay"]]
    hourly = df["hourly_rate"].fillna(df["ordinary_pay"] * 7 / df["pay_period_days"] / df["weekly_hours"])
    men, women = hourly[df["sex"] == "male"].mean(), hourly[df["sex"] == "female"].mean()
    return 100 * (men - women) / men


def test_gender_pay_gap_page_and_gov_uk_csv(shared_app, viewer):
    year = latest(shared_app)
    page = viewer.get(f"/o/{ORG}/paygap/sex?year={year}").text
    for measure in ("Mean hourly pay gap", "Median hourly pay gap", "Mean bonus pay gap", "Median bonus pay gap",
                    "Men receiving a bonus", "Women receiving a bonus", "Pay quarters"):
        assert measure in page
    assert "Gaps within pay bands" in page and "Trend across years" in page
    assert 'class="parity-quarters" role="img"' in page
    rows = list(csv.DictReader(io.StringIO(viewer.get(f"/o/{ORG}/paygap/sex/gov-uk.csv?year={year}").text)))
    assert len(rows) == 1 and len(rows[0]) == 14
    gap = float(rows[0]["DiffMeanHourlyPercent"])
    assert gap == pytest.approx(independent_mean_gap(shared_app.state.workspace, year), abs=0.06)
    assert f"<td class=\"nhsuk-table__cell nhsuk-table__cell--numeric\">{gap:.1f}%</td>" in page
    quarters = [float(rows[0][f"{s}{q}Quartile"]) for q in ("Lower", "LowerMiddle", "UpperMiddle", "Top")
                for s in ("Male", "Female")]
    assert all(abs(quarters[i] + quarters[i + 1] - 100) < 0.2 for i in range(0, 8, 2))


def test_ethnicity_page_shows_no_small_count(shared_app, viewer):
    year = latest(shared_app)
    page = viewer.get(f"/o/{ORG}/paygap/ethnicity?year={year}").text
    assert "Ethnicity pay gap" in page and "By group" in page
    start = page.index("Gaps within pay bands")
    table = page[start:page.index("</table>", start)]
    counts = [c for c in re.findall(r'numeric">([^<]*)</td>', table) if not c.endswith("%") and c != "Withheld"]
    assert counts, "the within-band table lists the group sizes"
    k = shared_app.state.results.rule.k
    assert all(c == "–" or int(c.replace(",", "")) >= k or int(c.replace(",", "")) == 0 for c in counts), counts
    protected = shared_app.state.paygaps.get(ORG, year, "ethnicity")
    assert protected["disclosure"]["methods_note"] in unescape(page)


def test_pay_gaps_in_the_menu_overview_and_no_command_line_advice(shared_app, viewer):
    year = latest(shared_app)
    overview = viewer.get(f"/o/{ORG}/overview").text
    assert f'href="/o/{ORG}/paygaps">Pay gaps</a>' in overview
    assert "<h2>Pay</h2>" in overview and f'href="/o/{ORG}/paygap/sex?year={year}"' in overview
    index = viewer.get(f"/o/{ORG}/paygaps").text
    for title in ("Gender pay gap", "Ethnicity pay gap", "Disability pay gap"):
        assert title in index
    for by in ("sex", "ethnicity", "disability"):
        page = viewer.get(f"/o/{ORG}/paygap/{by}?year={year}").text
        assert "--table" not in page and "parity import" not in page and "`" not in page
    assert viewer.get(f"/o/{ORG}/paygap/religion").status_code == 404
    assert "Show unsuppressed" not in viewer.get(f"/o/{ORG}/paygap/sex").text  # protected figures only


def test_pay_band_names_are_written_for_people():
    from parity.web.views.paygap import band_label

    assert [band_label(b) for b in ("career_grade", "consultant", "8a", "VSM", 5)] == \
        ["Career grade", "Consultant", "8a", "VSM", "5"]
