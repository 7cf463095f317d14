"""Issue 14: the bias explorer's significant cells join "What the board should know", ranked by
severity and certainty like the standards' findings (`parity.report.explorer`)."""

from __future__ import annotations

import pytest

from parity.report.explorer import explorer_findings
from parity.report.findings import Finding, NotProtected, rank


def cell(outcome: str, group: dict, rl, low, high, *, significant: bool = True, **extra) -> dict:
    """A protected scan finding as `protect_explore` leaves it (None where withheld)."""
    label = {"ethnicity": {"Black": "Black staff", "Asian": "Asian staff"}}
    return {"outcome": outcome, "group": group, "reference_group": {"ethnicity": "White"},
            "group_label": label["ethnicity"].get(group.get("ethnicity"), "other staff"),
            "reference_label": "White staff", "relative_likelihood": rl, "ci_low": low, "ci_high": high,
            "confidence": 0.95, "significant": significant, **extra}


def scan(*cells: dict) -> dict:
    return {"kind": "scan", "findings": list(cells), "disclosure": {"protected": True}}


def test_significant_published_cells_become_findings_worded_by_the_outcome():
    found = explorer_findings(scan(
        cell("disciplinary", {"ethnicity": "Black"}, 1.80, 1.30, 2.49),           # bad event: the group first
        cell("appointment", {"ethnicity": "Asian"}, 1.40, 1.10, 1.78),           # good event: the reference first
        cell("training", {"ethnicity": "Black"}, 1.10, 0.80, 1.51, significant=False),
        cell("promotion", {"ethnicity": "Asian"}, None, None, None)))             # withheld
    assert [f.id for f in found] == ["explore.disciplinary", "explore.appointment"]
    disciplinary, appointment = found
    assert disciplinary.sentence == ("Black staff were 1.80 times as likely as White staff to enter the formal "
                                     "disciplinary process (95% interval 1.30 to 2.49).")
    assert appointment.sentence == ("White staff were 1.40 times as likely as Asian staff to be appointed from "
                                    "shortlisting (95% interval 1.10 to 1.78).")
    assert (disciplinary.severity, disciplinary.certainty, disciplinary.label) == ("adverse", "clear", "Adverse — clear")
    assert disciplinary.link == "explore?outcome=disciplinary" and disciplinary.source == "Bias explorer"
    assert disciplinary.exploratory and disciplinary.trend is None


def test_one_finding_per_outcome_its_most_serious_cell_naming_the_others():
    found = explorer_findings(scan(
        cell("disciplinary", {"ethnicity": "Asian"}, 1.40, 1.10, 1.78),
        cell("disciplinary", {"ethnicity": "Black"}, 1.80, 1.30, 2.49),
        cell("disciplinary", {"sex": "male"}, 1.20, 1.05, 1.37, group_label="men"),
        cell("disciplinary", {"ethnicity": "Other"}, 1.50, 0.95, 2.37)))  # adverse though uncertain: before men (within range)
    (f,) = found
    assert f.sentence == ("Black staff were 1.80 times as likely as White staff to enter the formal disciplinary "
                          "process (95% interval 1.30 to 2.49); Asian staff, other staff and men also differ "
                          "beyond chance.")
    assert (f.severity, f.certainty) == ("adverse", "clear")


@pytest.mark.parametrize(("rl", "low", "high", "severity", "certainty"), [
    (1.30, 1.05, 1.61, "adverse", "clear"),        # beyond 1.25, the non-adverse range's top
    (1.20, 1.02, 1.41, "within_range", "clear"),
    (0.70, 0.55, 0.89, "not_adverse", "clear"),    # the group better off
    (1.30, 0.98, 1.72, "adverse", "uncertain"),    # significant after FDR, but the 95% interval holds 1
])
def test_severity_and_certainty_as_for_a_relative_likelihood(rl, low, high, severity, certainty):
    (found,) = explorer_findings(scan(cell("disciplinary", {"ethnicity": "Black"}, rl, low, high)))
    assert (found.severity, found.certainty) == (severity, certainty)


def test_ranked_after_the_standards_of_the_same_tier_before_a_lower_tier():
    def standard(ind_id: str, severity: str, certainty: str, size: float) -> Finding:
        return Finding(ind_id, "WRES", "", "recruitment", severity, certainty, "", None, size, f"indicator/{ind_id}")
    big = explorer_findings(scan(cell("disciplinary", {"ethnicity": "Black"}, 3.0, 2.0, 4.5)))[0]
    small_explore = explorer_findings(scan(cell("disciplinary", {"ethnicity": "Asian"}, 1.5, 1.3, 1.7)))[0]
    clear = standard("wres.2", "adverse", "clear", 0.1)       # smaller than the explorer cell, still first
    uncertain = standard("wres.3", "adverse", "uncertain", 2.0)
    assert rank([uncertain, small_explore, big, clear]) == [clear, big, small_explore, uncertain]


def test_only_a_protected_scan_is_read():
    with pytest.raises(NotProtected, match="bias explorer scan"):
        explorer_findings({"findings": [cell("disciplinary", {"ethnicity": "Black"}, 1.8, 1.3, 2.5)]})
    assert explorer_findings(None) == [] and explorer_findings({}) == []


def test_the_report_opens_with_them_in_the_html_and_the_pdf(report):
    """The report's page 1 ranks the explorer's findings with the rest (a protected scan put in the
    report, as `build_report` does with the organisation's own)."""
    from dataclasses import replace

    from parity.report import pdf
    from parity.report.html import render_html
    from parity.report.pages import build_pages

    with_scan = replace(report, explore=scan(cell("disciplinary", {"ethnicity": "Black"}, 1.80, 1.30, 2.49)))
    pages = build_pages(with_scan, with_charts=False)
    assert "explore.disciplinary" in [f.id for f in pages.board_findings]
    sentence = ("Bias explorer: Black staff compared with White staff. Black staff were 1.80 times as likely as "
                "White staff to enter the formal disciplinary process (95% interval 1.30 to 2.49).")
    html = render_html(with_scan, pages=pages)
    assert sentence in html[html.index('id="board"'):html.index('id="board-questions"')]
    pack = pdf.pdf_html(with_scan, pages, "")
    assert sentence in pack[:pack.index('id="board-questions"')]
