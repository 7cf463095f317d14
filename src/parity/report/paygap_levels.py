"""The pay gap comparisons published side by side: all organisations and each organisation.

A report for one organisation sits beside the all-organisations report and the other organisations'
reports, so a withheld pay gap count must not follow from subtracting them (issue 10, leak 6). The
comparison is therefore protected together with the same comparison of every other unit
(`parity.disclosure.paygap.protect_paygap_levels`), whichever report is being written.
"""

from __future__ import annotations

import copy
from typing import Any

Unit = tuple[str, ...]


def level_reports(source, *, year: int, by: str, org: str | None, mine: dict[str, Any],
                  cache: dict | None = None, employees: dict | None = None) -> dict[Unit, dict[str, Any]]:
    """Unprotected `PayGapReport` dicts of `by` for all organisations and each organisation; `mine`
    (the report being written, for `org`) is used as it is. One organisation: no other level.
    ``cache``: a dict shared by the reports of several organisations (``parity report --all-orgs``),
    so that every unit's comparison is computed once rather than once per report (issue 19).
    ``employees``: `parity.paygap.api.employees_of`'s cache (the pay data read once for all units)."""
    from parity.indicators.source import open_source
    from parity.paygap.api import employees_of, paygap

    key = (year, by)
    if cache is None or key not in cache:
        con, _ = open_source(source)
        orgs = sorted(set(employees_of(con, year=year, org=None, cache=employees)["org_code"].astype(str)))
        units = [((), None), *(((o,), o) for o in orgs)]
        computed: dict[Unit, dict[str, Any]] = {}
        for unit, code in units if len(orgs) > 1 else ():
            if code == org and cache is None:
                continue  # `mine` stands here
            try:  # the bootstrap interval is not a count: one resample is enough here
                computed[unit] = paygap(source, year=year, by=by, org=code, n_resamples=1,
                                        employees=employees).to_dict()
            except ValueError:  # no pay rows or a group missing: that unit publishes no comparison
                continue
        if cache is not None:
            cache[key] = (units, computed)
    else:
        units, computed = cache[key]
    if len(units) <= 2:
        return {(): mine}
    out: dict[Unit, dict[str, Any]] = {}
    for unit, code in units:
        if code == org:
            out[unit] = mine
        elif unit in computed:
            out[unit] = computed[unit]
    return out


def same_comparisons(levels: dict[Unit, dict[str, Any]], result: dict[str, Any]) -> dict[Unit, dict[str, Any]]:
    """`result`'s comparison (same reference and comparison group) in every unit that has it."""
    pair = (result.get("reference_group"), result.get("comparison_group"))
    out = {}
    for unit, pg in levels.items():
        for r in pg.get("results") or []:
            if (r.get("reference_group"), r.get("comparison_group")) == pair:
                out[unit] = r
                break
    return out


def protected_together(protect, inputs: dict[Unit, Any], rule, *, unit: Unit, memo: dict | None,
                       key: tuple) -> Any:
    """``protect(inputs, rule)[unit]``: every unit's comparison (or within-band table) protected
    together. ``memo``: a dict shared by the reports of every organisation (``parity report
    --all-orgs``): each report protects the same inputs — every unit's figures, its own among them —
    so the protection is solved once and each report reads its unit, a copy (issue 19). The inputs
    are compared in full before a stored answer is used: any difference solves again."""
    if memo is None:
        return protect(inputs, rule)[unit]
    key = (*key, repr(rule.to_dict()))
    stored = memo.get(key)
    if stored is None or stored[0] != inputs:
        stored = memo[key] = (copy.deepcopy(inputs), protect(inputs, rule))
    return copy.deepcopy(stored[1][unit])
