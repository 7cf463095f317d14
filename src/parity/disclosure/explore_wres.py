"""The bias explorer's appointment cells beside WRES 2: the same applicants (issue 10 leak 13).

The scan's outcome "appointment" counts shortlisted applications and appointments by ethnic group
(White, Mixed, Asian, Black, Other, Unknown) from the same rows, with declined offers left out by the
same default, as WRES 2 does by White / BME / Unknown (NHS England, *WRES technical guidance* 2023,
indicator 2). So WRES 2's BME figure is the sum of the scan's Mixed, Asian, Black and Other cells,
and a scan cell withheld as small comes back as WRES 2's BME minus the others (RXE: 25 BME
shortlisted - 21 Asian = 4 Black; `tests/disclosure/attack/test_leak_explore_wres2.py`).

WRES 2 is published first, by the release of both standards (`parity.report.release.
protected_standards`), and does not depend on the scan; so the scan is protected with WRES 2's
*published* figures as facts every reader knows: each published WRES 2 figure (a group's shortlisted
or appointed, and ``data_quality.total``) becomes a known identity on the sum of the scan cells it
covers, **only when the values agree** (a scan with other settings, e.g. declined offers kept, counts
different applicants and needs no link). Secondary suppression then withholds scan cells so that no
subtraction from WRES 2 gives one back. WRES 2's withheld figures are not known and add nothing.

The recruitment funnel (`/o/{org}/explore/funnel`, `parity explore funnel --protected`) counts the same
applicants step by step: the people of its step out of "shortlisted" are WRES 2's shortlisted and the
events of its step into "appointed" WRES 2's appointed (declined offers left out), so it is linked the
same way (session 26, `tests/disclosure/attack/test_leak_funnel_wres2.py`).
"""

from __future__ import annotations

import json
from typing import Any

from parity.disclosure.system import System, Vector, plus

OUTCOME = "appointment"
#: the funnel's outcomes ("funnel:appointed": a step into that stage)
FUNNEL = "funnel:"
ETHNICITY = ("ethnicity", "ethnicity_wres")
#: scan ethnic group -> WRES 2 group (every other known group is BME)
WRES_GROUP = {"White": "White", "Unknown": "Unknown", "BME": "BME"}

Cells = dict[tuple, tuple[tuple[Vector, Vector], tuple[int, int]]]


def link_wres2(sys: System, cells: Cells, published: dict[int, dict[str, Any]] | None) -> int:
    """Add WRES 2's published figures of each year as known sums of the explorer's cells.
    ``cells``: `protect_explore`'s {(outcome, context JSON, group items): ((events, n) vectors, values)};
    ``published``: {year: protected WRES result dict} of the explored organisation. Returns the number added."""
    added = 0
    for (year, attr, wres_field), found in _by_year(cells).items():
        wres2 = _wres2((published or {}).get(year))
        if wres2 is None:
            continue
        parts: dict[str, list[tuple[Vector, int]]] = {}
        for label, cell in found.items():
            parts.setdefault(WRES_GROUP.get(label, "BME"), []).append(cell)
        known = [(f"{g}.{wres_field}", parts[g], fig.get(wres_field))
                 for g, fig in (wres2.get("groups") or {}).items() if g in parts]
        if wres_field == "denominator":
            known.append(("data_quality.total", [c for cs in parts.values() for c in cs],
                          (wres2.get("data_quality") or {}).get("total")))
        for name, mine, value in known:
            if isinstance(value, int) and sum(v for _, v in mine) == value:
                sys.known(f"wres.2 {year} {name} ({attr}: the explorer's cells)", plus(*(vec for vec, _ in mine)),
                          value)
                added += 1
    return added


def _by_year(cells: Cells) -> dict[tuple[int, str, str], dict[str, tuple[Vector, int]]]:
    """{(year, attribute, WRES 2 field): {ethnic group: (vector, value)}} of the cells of one ethnicity
    attribute alone that count WRES 2's people: the scan's appointment cells (events = appointed,
    n = shortlisted) and the funnel's steps (events of the step into appointed = appointed; people of
    the step out of shortlisted = shortlisted; declined offers are left out of both as WRES 2 does,
    and the values-agree check links nothing where a setting makes them differ)."""
    out: dict[tuple[int, str, str], dict[str, tuple[Vector, int]]] = {}
    for (outcome, ctx, group), (vectors, values) in cells.items():
        items = dict(group)
        if len(items) != 1 or next(iter(items)) not in ETHNICITY:
            continue
        context = json.loads(ctx) if ctx else {}
        if not isinstance(context.get("year"), int):
            continue
        attr, label = next(iter(items.items()))
        for j, field in _fields(outcome, context):
            out.setdefault((context["year"], attr, field), {})[str(label)] = (vectors[j], values[j])
    return out


def _fields(outcome: str, context: dict[str, Any]) -> list[tuple[int, str]]:
    """Which of a cell's (events, n) are WRES 2's numerator or denominator; [] for other cells (a
    stratum other than the year and the funnel's step — a unit, a band — is not WRES 2's population)."""
    if outcome == OUTCOME and set(context) == {"year"}:
        return [(0, "numerator"), (1, "denominator")]
    if str(outcome).startswith(FUNNEL) and set(context) == {"year", "step"}:
        before, _, after = str(context["step"]).partition(" → ")
        return ([(0, "numerator")] if after == "appointed" else []) + \
               ([(1, "denominator")] if before == "shortlisted" else [])
    return []


def _wres2(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    if not doc:
        return None
    return next((i for i in doc.get("indicators") or [] if i.get("id") == "wres.2"), None)


def wres_by_year(docs: dict[tuple, dict[str, Any]], orgs: list[str], org: str | None) -> dict[int, dict[str, Any]]:
    """{year: protected WRES dict} of `org` (None: all organisations) from a release's documents."""
    from parity.report.release import unit_for

    unit = unit_for(org, orgs)
    return {y: d for (u, y), d in docs.items() if u == unit}
