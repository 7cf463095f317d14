"""Two-year rolling windows in the release model (`parity.disclosure.windows`, issue 10 leak 7).

Hand-made results, so the expected cells follow from arithmetic a reader would do, not from the code.
"""

from __future__ import annotations

from parity.disclosure import DisclosureRule
from parity.disclosure.release import Release


def _rate(rule: str, white: tuple[int, int], bme: tuple[int, int]) -> dict:
    return {"id": "wres.3", "kind": "relative_likelihood", "direction": "BME ÷ White", "period_rule": rule,
            "value": (bme[0] / bme[1]) / (white[0] / white[1]) if white[0] else None,
            "groups": {"White": {"numerator": white[0], "denominator": white[1]},
                       "BME": {"numerator": bme[0], "denominator": bme[1]}}}


def _band(white: int, bme: int) -> dict:
    total = white + bme
    return {"id": "wres.1", "kind": "distribution",
            "groups": {"White": {"numerator": white, "denominator": total}, "BME": {"numerator": bme, "denominator": total}},
            "rows": [{"band": "5", "total": total, "groups": {"White": {"count": white}, "BME": {"count": bme}}}]}


def _result(year: int, *indicators: dict) -> dict:
    return {"standard": "WRES", "year": year, "indicators": list(indicators)}


def _bme(protected: dict, ind_id: str = "wres.3") -> dict:
    return next(i for i in protected["indicators"] if i["id"] == ind_id)["groups"]["BME"]


def test_a_window_whose_year_is_small_is_withheld_however_large():
    """2024: 12 of 40 BME (one year); 2025: 16 of 80 (two years). 16 - 12 = 4 cases in 2024/25."""
    release = Release(DisclosureRule())
    release.add(_result(2024, _rate("single_year", (12, 60), (12, 40))), year=2024)
    release.add(_result(2025, _rate("two_year_rolling", (24, 120), (16, 80))), year=2025)
    out = release.protect()
    assert _bme(out[((), 2024)])["numerator"] == 12  # its own year: 12, published
    assert _bme(out[((), 2025)])["numerator"] is None  # would give 16 - 12 = 4
    assert out[((), 2025)]["indicators"][0]["value"] is None  # and the ratio computed from it


def test_the_caller_s_one_year_counts_decide():
    """Told that 14 of 2025's 16 cases are 2024/25's (so 2 are 2023/24's), nothing is small."""
    release = Release(DisclosureRule())
    release.add(_result(2025, _rate("two_year_rolling", (24, 120), (16, 80))), year=2025,
                one_year={("wres.3", None): {"White": 12, "BME": 14}})
    assert _bme(release.protect()[((), 2025)])["numerator"] == 16
    small = Release(DisclosureRule())
    small.add(_result(2025, _rate("two_year_rolling", (24, 120), (16, 80))), year=2025,
              one_year={("wres.3", None): {"White": 12, "BME": 3}})
    assert _bme(small.protect()[((), 2025)])["numerator"] is None


def test_a_rolling_denominator_does_not_give_back_a_withheld_headcount():
    """5 BME staff at 31 March 2025 (withheld in the band table); the two-year denominator 17 minus last
    year's 12 (published in 2024's band table) would give the 5 back, so the denominator is withheld."""
    release = Release(DisclosureRule())
    release.add(_result(2025, _band(60, 5), _rate("two_year_rolling", (20, 120), (0, 17))), year=2025,
                one_year={("wres.3", None): {"White": 10, "BME": 0}})
    out = release.protect()[((), 2025)]
    assert _bme(out, "wres.1")["numerator"] is None
    assert _bme(out)["denominator"] is None
    unlinked = Release(DisclosureRule())  # a single-year rate of the same figures has no such identity
    unlinked.add(_result(2025, _band(60, 5), _rate("single_year", (20, 120), (0, 17))), year=2025)
    assert _bme(unlinked.protect()[((), 2025)])["denominator"] == 17
