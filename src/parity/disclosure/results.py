"""Apply disclosure control to a result dict (``StandardResult.to_dict()``)."""

from __future__ import annotations

import copy
from typing import Any

from parity.disclosure.model import build
from parity.disclosure.rules import (
    REASON_DERIVED,
    REASON_PRIMARY,
    REASON_SECONDARY,
    REASON_SURVEY,
    SUPPRESSED,
    WITHHELD_NARRATIVE,
    WITHHELD_SURVEY_NARRATIVE,
    DisclosureRule,
)
from parity.disclosure.system import get, path_text, put

NOT_A_RESULT = "protect() expects a result dict with an 'indicators' list (StandardResult.to_dict())"
MARKING = "Not for publication — contains small numbers"
SURVEY_KINDS = ("percentages", "score")


def protect(result: dict[str, Any], rule: DisclosureRule | None = None, *, unsuppressed: bool = False) -> dict[str, Any]:
    """A copy of ``result`` that is safe to publish under ``rule``.

    Every withheld number becomes None (``SUPPRESSED``) and its JSON path is listed in
    ``suppressed``; each indicator with anything withheld gets ``disclosure`` with the fields and the
    reason, and the top level gets ``disclosure`` with the rule, its methods note and the numbers of
    primary and complementary cells. With ``unsuppressed=True`` the copy is unchanged but marked
    ``not_for_publication`` (the analyst's own view).
    """
    rule = rule or DisclosureRule()
    if not isinstance(result, dict) or not isinstance(result.get("indicators"), list):
        raise TypeError(NOT_A_RESULT)
    out = copy.deepcopy(result)
    if unsuppressed:
        out.update(not_for_publication=True, marking=MARKING)
        return out
    system = build(result, rule)
    solution = system.solve(rule)
    withheld: dict[tuple, str] = {}
    for path, primary, secondary in zip(system.paths, solution.primary, solution.secondary, strict=True):
        if path is not None and (primary or secondary):
            if withheld.get(path) != "primary":
                withheld[path] = "primary" if primary else "secondary"
            put(out, path, SUPPRESSED)
    for d in system.derived:
        if get(out, d.path) is None or all(solution.determined(system.dense(v)) for v in d.deps):
            continue
        kind = out["indicators"][d.path[1]].get("kind")
        text = WITHHELD_SURVEY_NARRATIVE if kind in SURVEY_KINDS else WITHHELD_NARRATIVE
        put(out, d.path, text.format(k=rule.k, n=rule.survey_min_responses) if d.text else SUPPRESSED)
        withheld.setdefault(d.path, "derived")
    paths = sorted(withheld, key=_order)
    for i, ind in enumerate(out["indicators"]):
        mine = [p for p in paths if p[1] == i]
        if mine:
            ind["disclosure"] = {"suppressed_fields": [path_text(p) for p in mine],
                                 "reason": _reason(rule, [withheld[p] for p in mine],
                                                   any(p in system.survey_paths for p in mine))}
    out["suppressed"] = [path_text(p) for p in paths]
    out["disclosure"] = {
        "rule": rule.to_dict(), "methods_note": rule.methods_note(),
        "cells_suppressed": sum(1 for p in paths if withheld[p] == "primary"),
        "complementary": sum(1 for p in paths if withheld[p] == "secondary"),
    }
    return out


def _order(path: tuple) -> tuple:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in path)


def _reason(rule: DisclosureRule, why: list[str], survey: bool) -> str:
    parts = []
    if "primary" in why:
        parts.append(REASON_SURVEY.format(n=rule.survey_min_responses) if survey
                     else REASON_PRIMARY.format(top=rule.k - 1))
    if "secondary" in why:
        parts.append(REASON_SECONDARY)
    if "derived" in why:
        parts.append(REASON_DERIVED)
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."
