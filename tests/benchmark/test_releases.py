"""One protection (issue 18): `parity benchmark build` and `parity report --national` protect every
organisation, WRES and WDES, as ONE release per year set (never one per organisation or per standard:
leak 12), say so as they go, and `--all-orgs`'s national summary reuses the release its reports protected."""

from __future__ import annotations

import pandas as pd
import pytest

from parity.benchmark import figures
from parity.benchmark.build import protected_frame
from parity.benchmark.releases import protected_releases
from parity.disclosure import DisclosureRule
from parity.disclosure.release import Release
from parity.indicators.catalogue import CATALOGUE
from parity.report.national import national_summary


@pytest.fixture
def protects(monkeypatch):
    """The list of Release.protect calls, each the number of units it protected together."""
    calls: list[int] = []
    real = Release.protect

    def counting(self, *args, **kwargs):
        out = real(self, *args, **kwargs)
        calls.append(len({key[0] for key in out}))
        return out

    monkeypatch.setattr(Release, "protect", counting)
    return calls


def test_build_protects_once_per_standard_and_says_so(make_region, tmp_path, protects):
    ws = make_region(tmp_path / "ws", orgs=3, staff=900, seed=3)
    said: list[str] = []
    frame = protected_frame(ws.path, year=2025, progress=said.append)
    assert set(frame["org_code"]) == {"R0A", "R0B", "R0C"}
    # WRES and WDES: one release of the three organisations and all organisations together
    assert protects == [4]
    assert "Protecting WRES and WDES: 3 organisations x 1 year(s), one release" in said
    assert any(m.startswith("Counting WDES") for m in said)


def test_national_reuses_the_releases_it_is_given(make_region, tmp_path, protects):
    ws = make_region(tmp_path / "ws", orgs=3, staff=900, seed=3)
    cache: dict = {}
    first = protected_releases(ws.path, year=2025, rule=DisclosureRule(), cache=cache)
    assert len(protects) == 1 and set(cache) == {"wres", "wdes"}
    said: list[str] = []
    summary = national_summary(ws.path, year=2025, charts=False, progress=said.append, release_cache=cache)
    assert len(protects) == 1, "the national summary protected again"
    assert not any(m.startswith(("Counting", "Protecting")) for m in said)
    assert any(m.startswith("Comparing wres.2: 3 organisations") for m in said)
    wres2 = next(i for i in summary["indicators"] if i["indicator"] == "wres.2")
    docs, _orgs = first["WRES"]
    shown = {o: next(i["value"] for i in docs[((o,), 2025)]["indicators"] if i["id"] == "wres.2")
             for o in ("R0A", "R0B", "R0C")}
    assert {r["org"]: r["value"] for r in wres2["rows"]} == shown


def test_build_protects_the_reporting_year_with_the_trend_releases_decisions(make_region, tmp_path, protects):
    """`parity benchmark build` protects the reporting year's release alone (issue 18, "Scale"): every
    stored figure is the one the report's five-year release publishes, withheld where it withholds."""
    ws = make_region(tmp_path / "ws", orgs=4, staff=1600, seed=11, years=3)
    said: list[str] = []
    built = protected_frame(ws.path, year=2025, progress=said.append)
    assert "Protecting WRES and WDES: 4 organisations x 1 year(s), one release" in said
    trend = protected_releases(ws.path, year=2025, rule=DisclosureRule())
    assert len(protects) == 2
    rows = []
    for docs, orgs in trend.values():
        assert {y for _unit, y in docs} == {2023, 2024, 2025}  # the report's release: three years
        for org in orgs:
            for ind in docs[((org,), 2025)]["indicators"]:
                defn = CATALOGUE.get(ind["id"])
                if defn is not None and defn.kind in figures.COMPARABLE_KINDS and defn.group_b:
                    rows.append(figures.indicator_row(org, 2025, defn, ind))
    cols = ["org_code", "indicator", "value", "numerator_a", "denominator_a", "numerator_b", "denominator_b"]

    def table(frame):
        frame = frame[cols].astype(object).where(frame[cols].notna(), None)
        return sorted(map(tuple, frame.to_numpy().tolist()), key=lambda r: (r[0], r[1]))

    expected = pd.DataFrame(rows, columns=figures.COLUMNS)
    assert table(built) == table(expected)
    counts = built[["numerator_a", "denominator_a", "numerator_b", "denominator_b"]]
    assert counts.isna().to_numpy().any() and counts.notna().to_numpy().any(), "no withheld count: a weak test"
