"""`ExploreResult`: what every explorer returns, the same shape whatever the kind."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from parity.stats._result import json_safe


@dataclass
class ExploreResult:
    """A tidy frame (one row per cell, tested or not), ranked findings and the bookkeeping.

    ``comparisons`` is the number of tests that entered the false discovery rate control;
    ``not_tested`` lists the cells that were counted but not tested, each with its reason;
    ``tables`` holds secondary frames (e.g. funnel stage counts, leaving reasons, trend series).
    """

    kind: str
    frame: pd.DataFrame
    findings: list[dict]
    comparisons: int
    not_tested: list[dict]
    settings: dict
    notes: list[str] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-safe: findings (most important first), comparisons, not_tested, settings, notes, tables."""
        return json_safe({
            "kind": self.kind,
            "findings": self.findings,
            "comparisons": self.comparisons,
            "not_tested": self.not_tested,
            "settings": self.settings,
            "notes": self.notes,
            "tables": {name: _records(df) for name, df in self.tables.items()},
        })


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: (None if _missing(v) else v) for k, v in rec.items()}
            for rec in df.astype(object).to_dict(orient="records")]


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
