"""The disability pay gap: Disabled against non-disabled staff with the method of the Gender Pay
Gap Information Regulations 2017 (regs 6–13), as the NHS EDI Improvement Plan (2023) asks trusts
to extend pay gap reporting to disability.

Unknown disability status is outside the comparison and reported as ``not_disclosed_percent`` (of
all relevant employees). A group with fewer full-pay employees than ``min_group_size`` makes the
comparison withheld, with the reason in ``notes``.
"""

from __future__ import annotations

import pandas as pd

from parity.paygap.groups import DISABLED, NON_DISABLED, UNKNOWN, disability_labels
from parity.paygap.inputs import prepare
from parity.paygap.pair import build_result, not_disclosed, withheld_result
from parity.paygap.results import PayGapResult

TOO_SMALL = "{group} has fewer than {minimum} full-pay relevant employees: comparison withheld"


def disability_pay_gap(df: pd.DataFrame, *, min_group_size: int = 10) -> PayGapResult:
    """Pay gap of Disabled (``disability == "yes"``) against Non-disabled (``"no"``) employees."""
    frame = prepare(df, "disability")
    labels = disability_labels(frame["attr"])
    common = {
        "attribute": "disability",
        "reference": NON_DISABLED,
        "comparison": DISABLED,
        "not_disclosed_percent": not_disclosed(labels, UNKNOWN),
        "excluded": {"unknown": int((labels == UNKNOWN).sum())},
    }
    small = [g for g in (NON_DISABLED, DISABLED) if int((frame["full_pay"] & (labels == g)).sum()) < min_group_size]
    if small:
        return withheld_result(notes=tuple(TOO_SMALL.format(group=g, minimum=min_group_size) for g in small), **common)
    return build_result(frame, labels, **common)
