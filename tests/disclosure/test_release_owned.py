"""A release that owns its results (`Release.add(..., owned=True)`: dicts made for it) writes the
protected copies into them: the same copies as protecting copies of them, the caller's results
untouched, and a second `protect` refused."""

from __future__ import annotations

import copy

import pytest
from reference_checks import release_of

from parity.disclosure import DisclosureRule
from parity.disclosure.release import Release
from parity.report.release import protect_standards, standard_results
from parity.synth.api import build as synth
from parity.synth.stored import connect

RULE = DisclosureRule()


@pytest.fixture(scope="module")
def region():
    con = connect(synth(staff=300, years=2, orgs=3, seed=31, last_year=2025))
    return {name: standard_results(name, con, years=[2024, 2025])[0] for name in ("wres", "wdes")}


def test_owned_results_get_the_same_protected_copies_and_the_callers_results_stay_as_they_were(region):
    before = {name: {key: r.to_dict() for key, r in found.items()} for name, found in region.items()}
    copied = release_of(region, RULE).protect()  # the results as dicts the release does not own
    owned = protect_standards(region, RULE)  # dicts made from the results: owned, written in place
    assert {(unit, year, name.upper()): doc for name, docs in owned.items()
            for (unit, year), doc in docs.items()} == copied
    withheld = [v for doc in copied.values() for ind in doc["indicators"] for v in (ind.get("value"),) if v is None]
    assert withheld  # something was withheld, so in place or not was exercised
    assert {name: {key: r.to_dict() for key, r in found.items()} for name, found in region.items()} == before


def test_a_release_that_owned_its_results_is_protected_once(region):
    release = Release(RULE)
    docs = {key: result.to_dict() for key, result in region["wres"].items()}
    for (unit, year), doc in docs.items():
        release.add(doc, year=year, unit=unit, owned=True)
    protected = release.protect()
    assert all(protected[key] is doc for key, doc in docs.items())  # written in place: no copy made
    with pytest.raises(RuntimeError, match="protected already"):
        release.protect()


def test_results_not_owned_are_copied(region):
    docs = {key: r.to_dict() for key, r in region["wres"].items()}
    kept = copy.deepcopy(docs)
    release = Release(RULE)
    for (unit, year), doc in docs.items():
        release.add(doc, year=year, unit=unit)
    first = release.protect()
    assert docs == kept and release.protect() == first  # untouched, and protected again alike
