"""Career progression between consecutive 31 March snapshots.

Who is counted: people in post (bank excluded) at both 31 March ``year - 1`` and 31 March ``year``
in the same organisation, matched by pseudonym; people who changed organisation, joined or left in
between are out. Progression = moving up at least one place on the person's ladder:

- Agenda for Change bands 1 … 9 then VSM (`parity.contract.codes.BAND_ORDER`);
- medical grade groups trainee → career grade → consultant (a trainee becoming a consultant or a
  career-grade doctor counts as progression); ``medical_other`` is on no ladder;
- a move between the two ladders (or from/to ``medical_other``) is not comparable: left out.

Demotions (moving down) are counted (``demoted``) but are not progression. Results are by group
within each starting band and for all bands together (``start_band = "All"``); the relative
likelihood is favourable-oriented (reference rate ÷ group rate: above 1 = the group progresses less).
"""

from __future__ import annotations

import pandas as pd

from parity.contract.codes import BAND_ORDER
from parity.explore.attributes import available
from parity.explore.compare import Settings, combos, compare
from parity.explore.outcomes import MEDICAL_ORDER, moves, outcome
from parity.explore.scan import DEFAULT_BY, count_cells, empty_frame, finish
from parity.explore.sources import open_sources

ALL = "All"
_ORDER = {b: i for i, b in enumerate([*BAND_ORDER, *MEDICAL_ORDER, ALL])}


def progression(source, *, year: int, by=DEFAULT_BY, reference=None, fdr: float = 0.05, min_cell: int = 30,
                min_expected: float = 1.0, org: str | None = None):
    """Likelihood of moving up at least one band from 31 March ``year - 1`` to 31 March ``year``."""

    settings = Settings.make(reference, fdr=fdr, min_cell=min_cell, min_expected=min_expected)
    o = outcome("promotion")
    src = open_sources(source, org=org, years=[year])
    frames, notes = [], []
    try:
        if src.has("workforce"):
            pop = moves(src)
            pop = pop.filter(pop.year == year)
            if org is not None:
                pop = pop.filter(pop.org_code == org)
            pop = pop.cache()
            try:
                usable = [a for a in by if available(pop, a)]
                for combo in combos(usable, settings):
                    cells = count_cells(pop, list(combo), ["start_band"], extra=("demoted",))
                    total = cells.groupby(list(combo), as_index=False)[["n", "events", "demoted"]].sum()
                    cells = pd.concat([cells, total.assign(start_band=ALL)], ignore_index=True)
                    cells = cells.sort_values("start_band", key=lambda s: s.map(_ORDER), kind="stable")
                    part = compare(cells, list(combo), strata=["start_band"], adverse=False, settings=settings)
                    frames.append(part.assign(outcome=o.name, label=o.label, noun=o.noun,
                                              attributes="+".join(combo), year=year))
            finally:
                pop.release()
    finally:
        src.release()
    if not frames:
        notes.append(f"Nobody was in post at both 31 March {year - 1} and 31 March {year}.")
    frame = pd.concat(frames, ignore_index=True) if frames else empty_frame(by, ("year", "start_band"))
    return finish("progression", frame, notes, settings, by=by, context=["year", "start_band"],
                  lead=["outcome", "start_band", "attributes", "year"],
                  extra_settings={"year": year, "org": org, "from_snapshot": f"{year - 1}-03-31",
                                  "to_snapshot": f"{year}-03-31"})
