"""Every standard's results for a workspace and year as one tidy DataFrame (the analyst's view).

`results(workspace, year=2025)` runs WRES, WDES and the sex, ethnicity and disability pay gaps and
stacks their tidy frames (`StandardResult.to_frame`, `PayGapReport.to_frame`) under one set of
columns. The figures are unprotected (``protected`` is False): small cells are not suppressed, so
this frame is for analysis inside the organisation, never for publication — publish through
`parity report` / `parity.disclosure.protect`.
"""

from __future__ import annotations

import pandas as pd

from parity.paygap.api import ATTRIBUTES, paygap
from parity.standards.wdes import wdes
from parity.standards.wres import wres

STANDARDS = ("wres", "wdes", "paygap")
#: the shared columns, first; columns only one standard has follow them
COLUMNS = ["standard", "year", "organisation", "indicator", "breakdown", "group", "numerator", "denominator",
           "value", "ci_low", "ci_high", "protected"]
NUMERIC = ["numerator", "denominator", "value", "ci_low", "ci_high", "percent", "ci_low_value",
           "ci_high_value", "p_value", "value_unrounded"]


def results(source, *, year: int, org: str | None = None, standards: tuple[str, ...] = STANDARDS,
            paygap_resamples: int = 2000, seed: int = 0, backend: str = "duckdb") -> pd.DataFrame:
    """One tidy frame: WRES and WDES (one row per indicator x breakdown x group, as `to_frame`) and
    the pay gaps by sex, ethnicity and disability (one row per comparison x measure x group x quarter).

    Columns: ``standard`` (WRES, WDES, PAYGAP), ``year``, ``organisation``, ``indicator`` (e.g.
    ``wres.2``, ``paygap.sex.mean_hourly_gap``), ``breakdown`` ("overall", a band/clinical split, or
    for pay gaps "<reference> vs <comparison>" and ``quarter=…``), ``group``, ``numerator``,
    ``denominator``, ``value`` (WRES/WDES: the indicator's value, e.g. a relative likelihood, with
    the group's own ``percent`` beside it; pay gaps: the measure's figure), ``ci_low``/``ci_high``
    (WRES/WDES: the group's percentage interval, the indicator's in ``ci_low_value``/
    ``ci_high_value``; pay gaps: the bootstrap interval), then each standard's own columns
    (``p_value``, ``assessment``, ``measure``, ``withheld`` …), and ``protected`` = False.
    """
    unknown = set(standards) - set(STANDARDS)
    if unknown:
        raise ValueError(f"standards must be among {', '.join(STANDARDS)}, not {', '.join(sorted(unknown))}")
    frames = []
    if "wres" in standards:
        frames.append(wres(source, year=year, org=org, backend=backend).to_frame())
    if "wdes" in standards:
        frames.append(wdes(source, year=year, org=org, backend=backend).to_frame())
    if "paygap" in standards:
        for by in ATTRIBUTES:
            report = paygap(source, year=year, by=by, org=org, n_resamples=paygap_resamples, seed=seed,
                            backend=backend)
            frames.append(_paygap_rows(report.to_frame()))
    frame = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    frame["protected"] = False
    for col in NUMERIC:
        if col in frame:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    for col in ("numerator", "denominator"):
        frame[col] = frame[col].astype("Int64")
    frame["year"] = frame["year"].astype(int)
    return frame[COLUMNS + [c for c in frame.columns if c not in COLUMNS]]


def _paygap_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Pay gap rows under the shared names: indicator = paygap.<by>.<measure>, breakdown = comparison."""
    out = frame.copy()
    out["indicator"] = "paygap." + out["by"] + "." + out["measure"]
    comparison = out["reference_group"] + " vs " + out["comparison_group"]
    out["breakdown"] = comparison.where(out["quarter"].isna(), comparison + ";quarter=" + out["quarter"].astype(str))
    return out.drop(columns=["quarter"])
