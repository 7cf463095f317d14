"""Run every generator with its own random stream and collect the canonical tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa

from parity.synth import config as C
from parity.synth.arrays import stream
from parity.synth.bias import BiasError, Biases, resolve
from parity.synth.casework import capability, disciplinary
from parity.synth.pay import pay
from parity.synth.population import Population, simulate
from parity.synth.recruitment import applications
from parity.synth.survey import question_map, responses
from parity.synth.training import training
from parity.synth.units import DIVISIONS, with_units
from parity.synth.units import assign as assign_units
from parity.synth.workforce import assignment_rows, leavers_table, workforce_table

#: canonical tables in the order they are written
TABLES = ("workforce", "applications", "disciplinary", "capability", "training", "survey_responses",
          "pay", "leavers")

REALISED = {"applications": "appointment", "survey_responses": "survey"}


@dataclass
class Synth:
    """Everything one generation produced: tables (pyarrow), the population, and the truths."""

    staff: int
    years: list[int]
    orgs: int
    seed: int
    bias: Biases
    pop: Population
    rows: dict
    tables: dict[str, pa.Table] = field(default_factory=dict)
    realised: dict[str, dict] = field(default_factory=dict)
    question_map: pa.Table | None = None


def check_sizes(staff: int, years: int, orgs: int, last_year: int) -> None:
    if staff < 1 or years < 1 or orgs < 1:
        raise ValueError("staff, years and orgs must be positive")
    if staff < 20 * orgs:
        raise ValueError(f"{staff} staff is too few for {orgs} organisations (at least 20 each)")
    if not 2000 <= last_year <= 2100:
        raise ValueError(f"last_year {last_year} is out of range")


def run(*, staff: int = C.DEFAULT_STAFF, years: int = C.DEFAULT_YEARS, orgs: int = 1,
        seed: int = C.DEFAULT_SEED, bias: dict[str, object] | None = None,
        last_year: int = C.DEFAULT_LAST_YEAR,
        on_table: Callable[[str, Synth], None] | None = None, improve: dict[str, object] | None = None) -> Synth:
    """Generate every table; `on_table(name, synth)` is called as each table is ready (so a
    writer can start while the next table is generated)."""
    check_sizes(staff, years, orgs, last_year)
    biases = resolve(bias, improve)
    year_list = list(range(last_year - years + 1, last_year + 1))
    pop = simulate(stream(seed, "population"), staff=staff, years=year_list, orgs=orgs, bias=biases)
    unknown = sorted({org for _, org in biases.by_org} - set(pop.org_codes))
    if unknown:
        raise BiasError(f"No organisation {', '.join(unknown)} in the generated trust(s): "
                        f"codes are {', '.join(pop.org_codes)} (--orgs sets how many)")
    biases = _divisions(biases)
    assign_units(seed, pop)  # hierarchy and further characteristics: their own streams (issue 17)
    rows = assignment_rows(pop)
    s = Synth(staff, year_list, orgs, seed, biases, pop, rows)
    steps = [
        ("workforce", lambda: (workforce_table(pop, rows), None)),
        ("applications", lambda: applications(stream(seed, "applications"), pop, biases)),
        ("disciplinary", lambda: disciplinary(stream(seed, "disciplinary"), pop, biases)),
        ("capability", lambda: capability(stream(seed, "capability"), pop, biases)),
        ("training", lambda: training(stream(seed, "training"), pop, biases)),
        ("survey_responses", lambda: responses(stream(seed, "survey"), pop)),
        ("pay", lambda: pay(stream(seed, "pay"), pop, biases)),
        ("leavers", lambda: (leavers_table(pop, stream(seed, "leavers")), None)),
    ]
    for name, step in steps:
        tab, realised = step()
        s.tables[name] = with_units(name, tab, pop, seed)
        if realised is not None:
            s.realised[REALISED.get(name, name)] = realised
        if on_table is not None:
            on_table(name, s)
    s.realised["progression"] = pop.promotions
    s.question_map = question_map([y - 1 for y in year_list])
    return s


def _divisions(biases: Biases) -> Biases:
    """``NAME@DIVISION`` biases with the division spelt as generated (case ignored); unknown ones refused."""
    known = {d.lower(): d for d in DIVISIONS}
    unknown = sorted(d for _, d in biases.by_unit if d.lower() not in known)
    if unknown:
        raise BiasError(f"No division {', '.join(map(repr, unknown))} in the generated trust: divisions are "
                        f"{', '.join(DIVISIONS)}")
    biases.by_unit.update({(n, known[d.lower()]): biases.by_unit.pop((n, d)) for n, d in list(biases.by_unit)})
    return biases
