"""Leak 7: two-year rolling windows (WRES 3, WDES 3) share a year, so their difference is one year.

RXR disciplined 12 BME staff in 2023/24 and 4 in 2024/25. 2024's window is that year alone (there is
no 2023 snapshot), 2025's window the two years: 12 and 16 BME cases, both large enough to publish,
and 16 - 12 = 4. The same for 12 and 3 Disabled capability cases (WDES 3: 12 and 15).

Fixed (`parity.disclosure.windows`): a window whose own year holds 1-9 cases is withheld, last
year's cases taken as known to the reader; each year's protection depends on that year only, so the
2024 report and the 2025 report withhold the same 2024 cells.
"""

from __future__ import annotations

import pytest

from conftest import recovered

DISCIPLINARY = "RXR 2025 WRES indicators.wres.3.groups.BME.numerator.this year"
CAPABILITY = "RXR 2025 WDES indicators.wdes.3.groups.Disabled.numerator.this year"


def _raw(release, name: str, std: str, ind_id: str, *, yearly: bool = False) -> dict:
    doc = next(d for d in release.documents if d.name == name)
    result = doc.yearly[std] if yearly else doc.raw[std]
    return next(i for i in result["indicators"] if i["id"] == ind_id)


@pytest.mark.parametrize(("std", "ind_id", "group", "first", "window", "alone"),
                         [("WRES", "wres.3", "BME", 12, 16, 4), ("WDES", "wdes.3", "Disabled", 12, 15, 3)])
def test_the_windows_are_large_and_one_year_is_small(rolling_release, std, ind_id, group, first, window, alone):
    y1, y2 = _raw(rolling_release, "RXR 2024", std, ind_id), _raw(rolling_release, "RXR 2025", std, ind_id)
    assert (y1["period_rule"], y2["period_rule"]) == ("single_year", "two_year_rolling")
    assert (y1["groups"][group]["numerator"], y2["groups"][group]["numerator"]) == (first, window)
    assert _raw(rolling_release, "RXR 2025", std, ind_id, yearly=True)["groups"][group]["numerator"] == alone
    assert window - first == alone  # the attack: one window minus the other


def test_the_year_is_a_target(rolling_audit):
    names = {t.name for t in rolling_audit.targets}
    assert {DISCIPLINARY + " cases of one year", CAPABILITY + " cases of one year"} <= names


@pytest.mark.parametrize("cell", [DISCIPLINARY, CAPABILITY])
def test_one_year_of_cases_is_not_the_difference_of_two_windows(rolling_audit, cell):
    assert recovered(rolling_audit, cell) == []


@pytest.mark.parametrize("name", ["wres", "wdes"])
def test_a_year_is_protected_the_same_in_every_later_release(name):
    """2024 as its own report shows it (years up to 2024) and as 2025's report and pages show it."""
    from attack_trusts import build, rolling_org

    from parity.disclosure import DisclosureRule
    from parity.report.release import protected_release, standard_results

    con = build([rolling_org()]).connect()
    alone = protected_release(standard_results(name, con, first=2020, last=2024)[0], DisclosureRule())
    later = protected_release(standard_results(name, con, first=2020, last=2025)[0], DisclosureRule())
    key = (("RXR",), 2024)
    assert alone[key] == later[key]
    assert later[(("RXR",), 2025)]["suppressed"]  # 2025 did withhold something (its window)
