"""Apply disclosure control to a result dict (``StandardResult.to_dict()``)."""

from __future__ import annotations

import copy
from typing import Any

from parity.disclosure.release import NOT_A_RESULT, Release
from parity.disclosure.rules import DisclosureRule

MARKING = "Not for publication — contains small numbers"


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
    release = Release(rule)
    release.add(result, year=int(result.get("year") or 0))
    return next(iter(release.protect().values()))
