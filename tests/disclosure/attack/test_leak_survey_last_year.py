"""Survey "last year" figures (issue 10 leak 1, survey form): "Last year −32.5" → 3 of 40.

RXS: in the 2023 staff survey 3 of 40 BME respondents (WRES 5) and 3 of 40 Disabled respondents
(WDES 5) said yes, against 40 of 100 in the other group; in 2024, 12 of 40. Reporting year 2024 reads
the 2023 survey and withholds the 3s. Reporting year 2025 reads the 2024 survey and would show last
year's difference (7.5 - 40.0 = -32.5 points), group A's percentage last year (7.5) and its change
(+22.5): with the published responses (40, 100) and the other group's 40, each gives back the 3.
"""

from __future__ import annotations

import re

import pytest

from conftest import recovered

CELLS = ["RXS 2024 WRES indicators.wres.5.groups.BME.numerator",
         "RXS 2024 WDES indicators.wdes.5.groups.Disabled.numerator"]


@pytest.mark.parametrize(("std", "ind_id", "group"), [("WRES", "wres.5", "BME"), ("WDES", "wdes.5", "Disabled")])
def test_the_scenario(survey_release, std, ind_id, group):
    docs = {d.name: d for d in survey_release.documents}
    raw = {y: next(i for i in docs[f"RXS {y}"].raw[std]["indicators"] if i["id"] == ind_id) for y in (2024, 2025)}
    assert (raw[2024]["groups"][group]["numerator"], raw[2024]["groups"][group]["denominator"]) == (3, 40)
    assert raw[2025]["previous"]["value"] == pytest.approx(100 * 3 / 40 - 100 * 40 / 100)  # -32.5
    assert raw[2025]["change"]["previous"] == pytest.approx(7.5)
    shown = next(i for i in docs["RXS 2024"].published[std]["indicators"] if i["id"] == ind_id)
    assert shown["groups"][group]["numerator"] is None  # withheld in its own year


def test_the_cells_are_targets(survey_audit):
    names = {t.name for t in survey_audit.targets}
    assert set(CELLS) <= names


@pytest.mark.parametrize("cell", CELLS)
def test_last_year_s_survey_figures_do_not_give_back_a_withheld_count(survey_audit, cell):
    assert recovered(survey_audit, cell) == []


def test_the_attack_would_find_it(survey_release):
    """The same release with last year's figures printed as they really are: the attack pins the 3s
    (so the test above can fail)."""
    from attack_audit import audit
    from attack_model import Document

    docs = []
    for d in survey_release.documents:
        published = {std: dict(pub) for std, pub in d.published.items()}
        if d.year == 2025:
            for std in ("WRES", "WDES"):
                raw = {i["id"]: i for i in d.raw[std]["indicators"]}
                published[std]["indicators"] = [
                    {**i, "previous": raw[i["id"]].get("previous"), "change": raw[i["id"]].get("change")}
                    for i in published[std]["indicators"]]
        docs.append(Document(d.org, d.year, published, d.raw))
    release = type("R", (), {"documents": docs, "rule": survey_release.rule, "web": {}})()
    found = {f.target.name for f in audit(release, formats=False).findings}
    assert set(CELLS) <= found


def test_last_year_is_not_printed_in_the_report(survey_release):
    """The HTML report of 2025 prints neither last year's difference (-32.5) nor last year's 7.5%."""
    from attack_extract import html_text

    doc = next(d for d in survey_release.documents if d.name == "RXS 2025")
    text = html_text(doc.files["html"]).replace("−", "-")
    assert re.search(r"-32\.5(?!\d)", text) is None and re.search(r"(?<![\d.])7\.5%", text) is None
    assert "12 of 40" in text  # this year's figures are there (the check reads the right file)
