"""The ethnicity pay gap — government guidance "Ethnicity pay reporting: guidance for employers"
(April 2023), which reuses the method of the Gender Pay Gap Information Regulations 2017.

Each ethnic group is compared with White British (NHS code A), and all ethnic minority staff
(D–S) together with White staff (A–C). Not stated / not known (Z, 99, blank) stay outside every
comparison and are reported as ``not_disclosed_percent`` of all relevant employees.

Small groups (fewer than ``min_group_size`` full-pay relevant employees — the population of the
hourly measures): with ``by="broad"`` a small Asian, Black or Mixed group is merged into Other
(reported as e.g. "Other (incl. Mixed)"); if the merged group is still small it is withheld, as
is a small White other group (merging it into an ethnic-minority group would blur the
White / minority line) and every comparison when White British itself is small. With
``by="category"`` small categories are withheld. Every withheld or merged group says so in
``notes``. Withheld groups' staff are left out of the shared quarter table.
"""

from __future__ import annotations

import pandas as pd

from parity.contract.codes import ETHNIC_CATEGORIES, UNKNOWN_CODES
from parity.paygap.groups import (
    ALL_MINORITY,
    BROAD_MINORITY,
    MERGE_TARGET,
    UNKNOWN,
    WHITE,
    WHITE_BRITISH,
    WHITE_OTHER,
    binary_labels,
    ethnicity_labels,
)
from parity.paygap.inputs import prepare
from parity.paygap.pair import build_result, not_disclosed, quarters_for, withheld_result
from parity.paygap.results import PayGapResult

TOO_SMALL = "{group}: fewer than {minimum} full-pay relevant employees, comparison withheld"
MERGED_INTO = "{group}: fewer than {minimum} full-pay relevant employees, merged into {target}"
MERGED_STILL_SMALL = "{group}: fewer than {minimum} full-pay relevant employees even merged with {target}; withheld"
INCLUDES = "{target} includes {groups} (each fewer than {minimum} full-pay relevant employees)"
REFERENCE_SMALL = "reference group {group} has fewer than {minimum} full-pay relevant employees: withheld"


def ethnicity_pay_gap(
    df: pd.DataFrame, *, reference: str = WHITE_BRITISH, min_group_size: int = 10, by: str = "broad"
) -> list[PayGapResult]:
    """One result per ethnic group against `reference`, then "All ethnic minority" against White.

    `reference` is "White British" (code A) or "White" (A–C; then White other is not a separate
    group). `by` is "broad" (Asian, Black, Mixed, Other, White other) or "category" (each NHS
    category B–S against White British). The list always has the same groups in the same order;
    withheld comparisons have ``withheld=True`` and the reason in ``notes``.
    """
    if reference not in (WHITE_BRITISH, WHITE):
        raise ValueError(f"reference must be {WHITE_BRITISH!r} or {WHITE!r}, not {reference!r}")
    if by not in ("broad", "category") or (by == "category" and reference != WHITE_BRITISH):
        raise ValueError("by must be 'broad', or 'category' with reference='White British'")
    frame = prepare(df, "ethnic_category")
    labels = ethnicity_labels(frame["attr"], by=by, reference=reference)
    common = {
        "attribute": "ethnicity",
        "not_disclosed_percent": not_disclosed(labels, UNKNOWN),
        "excluded": {"not_disclosed": int((labels == UNKNOWN).sum())},
    }
    size = labels[frame["full_pay"]].value_counts().to_dict()
    groups = _comparison_groups(by, reference)
    final, notes, merged = _plan(groups, reference, size, min_group_size, merge=(by == "broad"))
    # merged groups take the merged label; withheld groups keep theirs but join no comparison
    relabelled = labels.replace(merged)
    shown = list(dict.fromkeys(v for v in final.values() if v is not None))  # reference first
    quarters = quarters_for(frame, relabelled, shown) if final[reference] else None
    results = []
    for group in groups:
        target = final[group]
        if target is None:
            results.append(withheld_result(reference=reference, comparison=group, notes=notes[group], **common))
        else:
            results.append(build_result(frame, relabelled, reference=reference, comparison=target,
                                        quarters=quarters, notes=notes[group], **common))
    results.append(_all_minority(frame, min_group_size, common))
    return results


def _comparison_groups(by: str, reference: str) -> list[str]:
    if by == "category":
        codes = [c for c in ETHNIC_CATEGORIES if c != "A" and c not in UNKNOWN_CODES]
        return [ETHNIC_CATEGORIES[c][0] for c in codes]
    return list(BROAD_MINORITY) + ([WHITE_OTHER] if reference == WHITE_BRITISH else [])


def _plan(groups, reference, size, minimum, *, merge):
    """group → label of its own comparison (None: withheld), notes per group, merged group → label."""
    final: dict[str, str | None] = {g: g for g in (reference, *groups)}
    notes: dict[str, tuple[str, ...]] = {g: () for g in groups}
    merged: dict[str, str] = {}
    small = [g for g in groups if size.get(g, 0) < minimum]
    if size.get(reference, 0) < minimum:
        note = REFERENCE_SMALL.format(group=reference, minimum=minimum)
        return dict.fromkeys(final), {g: (note,) for g in groups}, merged
    mergeable = [g for g in small if merge and g in BROAD_MINORITY and g != MERGE_TARGET and size.get(g, 0) > 0]
    if mergeable:
        target = f"{MERGE_TARGET} (incl. {', '.join(mergeable)})"
        members = [MERGE_TARGET, *mergeable]
        if sum(size.get(g, 0) for g in members) >= minimum:
            merged = dict.fromkeys(members, target)
            final[MERGE_TARGET] = target
            for g in mergeable:
                final[g] = None
                notes[g] = (MERGED_INTO.format(group=g, minimum=minimum, target=target),)
            notes[MERGE_TARGET] = (INCLUDES.format(target=target, groups=", ".join(mergeable), minimum=minimum),)
            small = [g for g in small if g not in members]
        else:
            for g in members:
                final[g] = None
                notes[g] = (MERGED_STILL_SMALL.format(group=g, minimum=minimum, target=MERGE_TARGET),)
            small = [g for g in small if g not in members]
    for g in small:
        final[g] = None
        notes[g] = (TOO_SMALL.format(group=g, minimum=minimum),)
    return final, notes, merged


def _all_minority(frame: pd.DataFrame, minimum: int, common: dict) -> PayGapResult:
    """All ethnic minority staff (D–S) against White staff (A–C), per the 2023 guidance."""
    labels, ref, cmp = binary_labels(frame.rename(columns={"attr": "ethnic_category"}), "ethnicity")
    small = [g for g in (ref, cmp) if int((frame["full_pay"] & (labels == g)).sum()) < minimum]
    if small:
        notes = tuple(TOO_SMALL.format(group=g, minimum=minimum) for g in small)
        return withheld_result(reference=ref, comparison=cmp, notes=notes, **common)
    return build_result(frame, labels, reference=ref, comparison=ALL_MINORITY, **common)
