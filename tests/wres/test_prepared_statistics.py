"""Results assembled with every organisation-year's statistics computed as arrays (issue 19) are
the results assembled table by table, and the arrays cover every table the assembly asks for."""

from __future__ import annotations

import pytest

import parity.stats
from parity.indicators.batch import prepared_statistics
from parity.indicators.survey import load_question_map, score_counts
from parity.standards.wdes.api import WdesConfig, by_disability, count_wdes
from parity.standards.wdes.api import assemble as assemble_wdes
from parity.standards.wres.api import WresConfig, count_wres
from parity.standards.wres.api import assemble as assemble_wres
from parity.synth import build, connect


@pytest.fixture(scope="module")
def con():
    return connect(build(staff=1500, orgs=3, years=3, seed=19, bias={"appointment": 1.5, "disciplinary": 1.4}))


def _every(assemble, counts):
    units = [*counts.orgs(), None]
    return [assemble(year=y, org=o).to_dict() for y in counts.years() for o in units]


def test_prepared_results_equal_scalar_results_and_need_no_scalar_call(con, monkeypatch):
    wres_counts = count_wres(con)
    wdes_counts = count_wdes(con)
    scores = score_counts(con, by_disability, load_question_map(None), ["wdes.9a"])
    runs = {
        "WRES": (wres_counts, WresConfig(), lambda **k: assemble_wres(wres_counts, config=WresConfig(), **k)),
        "WDES": (wdes_counts, WdesConfig(), lambda **k: assemble_wdes(wdes_counts, scores, config=WdesConfig(), **k)),
    }
    assert len(wres_counts.orgs()) == 3 and not wres_counts.survey.empty
    for standard, (counts, config, assemble) in runs.items():
        one_by_one = _every(assemble, counts)
        with monkeypatch.context() as m:
            for name in ("wilson", "difference_of_proportions", "relative_likelihood"):
                m.setattr(parity.stats, name, _refuse(name))  # every table must come from the arrays
            m.setattr("parity.stats.prepared.two_by_two_p_value", _refuse("two_by_two_p_value"))
            with prepared_statistics(counts, standard=standard, settings=config.stats) as store:
                at_once = _every(assemble, counts)
        assert store.rates and store.proportions and store.differences
        assert at_once == one_by_one, standard


def _refuse(name):
    def refuse(*args, **kwargs):
        raise AssertionError(f"{name}{args}: a table the arrays did not prepare")
    return refuse
