"""`explore(source, kind=...)`: one entry point over the five explorers."""

from __future__ import annotations

from parity.explore.result import ExploreResult
from parity.explore.sources import open_sources  # noqa: F401  (kept importable from here)

KINDS = ("scan", "funnel", "progression", "retention", "trend")
UNKNOWN_KIND = "Unknown kind {kind!r}: choose one of {valid}"
#: ``method=``: "rate" (today's yearly rates) or "survival" (time to the event, progression and retention)
METHODS = ("rate", "survival")
BAD_METHOD = "Unknown method {method!r} for {kind}: choose {valid}"


def explore(source, *, kind: str = "scan", year: int, by=("ethnicity", "sex"), outcomes=None, reference=None,
            fdr: float = 0.05, min_cell: int = 30, min_expected: float = 1.0, org: str | None = None,
            **options) -> ExploreResult:
    """Run one explorer; see `scan`, `funnel`, `progression`, `retention`, `trend` for what each does.

    ``outcomes`` applies to ``scan`` and ``trend``; ``options`` are passed on (e.g. ``years=`` for
    ``trend``). ``method="survival"`` (progression and retention) runs `parity.explore.survival`
    instead, with its options (``adjust=``, ``band=``, ``staff_group=``, ``new_only=``).
    """
    method = options.pop("method", None) or "rate"
    if method != "rate":
        if method != "survival" or kind not in ("progression", "retention"):
            valid = "rate or survival" if kind in ("progression", "retention") else "rate"
            raise ValueError(BAD_METHOD.format(method=method, kind=kind, valid=valid))
        from parity.explore.survival import survival

        return survival(source, kind=kind, year=year, by=tuple(by), reference=reference, fdr=fdr,
                        min_cell=min_cell, org=org, **options)
    from parity.explore.funnel import funnel
    from parity.explore.progression import progression
    from parity.explore.retention import retention
    from parity.explore.scan import scan
    from parity.explore.trend import trend

    common = dict(year=year, by=tuple(by), reference=reference, fdr=fdr, min_cell=min_cell,
                  min_expected=min_expected, org=org, **options)
    if kind == "scan":
        return scan(source, outcomes=outcomes, **common)
    if kind == "trend":
        return trend(source, outcomes=outcomes, **common)
    runners = {"funnel": funnel, "progression": progression, "retention": retention}
    if kind not in runners:
        raise ValueError(UNKNOWN_KIND.format(kind=kind, valid=", ".join(KINDS)))
    return runners[kind](source, **common)
