"""Disclosure control for pay gap results (``parity.paygap.PayGapResult.to_dict()``).

The gender pay gap figures are statutory (Equality Act 2010 (Specific Duties and Public
Authorities) Regulations 2017) and are published unsuppressed, as the regulations require; only the
analysis-only ``unrounded`` values are dropped. Ethnicity and disability comparisons, and any
within-band breakdown, are protected: the quarters form a quarter x group table whose row totals
(``size``) and column totals (the groups' ``full_pay`` counts) are published, so it gets primary and
secondary suppression like any other table; a group's gaps are withheld when it has fewer than k
full-pay employees (hourly gaps) or bonus recipients (bonus gaps).
"""

from __future__ import annotations

import copy
from typing import Any

from parity.disclosure.rules import SUPPRESSED, DisclosureRule
from parity.disclosure.system import System, get, path_text, plus, put

STATUTORY = ("Gender pay gap figures are statutory and published unsuppressed; "
             "the analysis-only unrounded values are removed.")
NOT_PAYGAP = "protect_paygap() expects PayGapResult.to_dict(): a dict with 'attribute', 'counts' and 'quarters'"
HOURLY = ("mean_hourly_gap", "median_hourly_gap")
BONUS = ("mean_bonus_gap", "median_bonus_gap")


def protect_paygap(result: dict[str, Any], rule: DisclosureRule | None = None) -> dict[str, Any]:
    """A copy of one pay gap comparison that is safe to publish (None where withheld)."""
    rule = rule or DisclosureRule()
    if not isinstance(result, dict) or not {"attribute", "counts", "quarters"} <= set(result):
        raise TypeError(NOT_PAYGAP)
    out = copy.deepcopy(result)
    withheld = ["unrounded"] if out.get("unrounded") else []
    out["unrounded"] = {}
    if out["attribute"] == "sex":
        out["disclosure"] = {"rule": rule.to_dict(), "statutory": True, "note": STATUTORY, "suppressed": withheld}
        return out
    quarters = out.get("quarters") or []
    # ethnicity quarters hold every published group, the comparison's counts only its two groups
    groups = list(dict.fromkeys([*out["counts"], *(g for q in quarters for g in q["counts"])]))
    sys = System(rule=rule)
    cells = {(i, g): sys.atom() for i in range(len(quarters)) for g in groups}
    for i, q in enumerate(quarters):
        size = plus(*(cells[i, g] for g in groups if g in q["counts"]))
        sys.quantity(("quarters", i, "size"), size, q["size"])
        for g, n in q["counts"].items():
            sys.quantity(("quarters", i, "counts", g), cells[i, g], n, priority=2)
            if (q.get("percent") or {}).get(g) is not None:
                sys.depends(("quarters", i, "percent", g), [cells[i, g], size])
    for g, c in out["counts"].items():
        in_quarters = sum(q["counts"].get(g, 0) for q in quarters)
        full = plus(*(cells[i, g] for i in range(len(quarters)))) if quarters and in_quarters == c["full_pay"] \
            else sys.atom()
        sys.quantity(("counts", g, "full_pay"), full, c["full_pay"], priority=2)
        relevant = sys.quantity(("counts", g, "relevant"), plus(full, sys.atom()), c["relevant"], priority=2)
        paid = sys.quantity(("counts", g, "bonus_recipients"), sys.atom(), c["bonus_recipients"], priority=2)
        sys.link(f"counts.{g}.bonus", relevant, plus(paid, sys.atom()))
        if (out.get("bonus_percent") or {}).get(g) is not None:
            sys.depends(("bonus_percent", g), [paid, relevant])
    for reason, n in (out.get("excluded") or {}).items():
        sys.quantity(("excluded", reason), sys.atom(), n)
    solution = sys.solve(rule)
    for path, p, s in zip(sys.paths, solution.primary, solution.secondary, strict=True):
        if path is not None and (p or s):
            put(out, path, SUPPRESSED)
            withheld.append(path_text(path))
    for d in sys.derived:
        if get(out, d.path) is not None and not all(solution.determined(sys.dense(v)) for v in d.deps):
            put(out, d.path, SUPPRESSED)
            withheld.append(path_text(d.path))
    for names, key in ((HOURLY, "full_pay"), (BONUS, "bonus_recipients")):
        if any(rule.is_small_count(c[key]) for c in result["counts"].values()):
            for name in names:
                if out.get(name) is not None:
                    out[name] = SUPPRESSED
                    withheld.append(name)
    out["disclosure"] = {"rule": rule.to_dict(), "statutory": False, "methods_note": rule.methods_note(),
                         "suppressed": withheld}
    return out
