"""``parity wres|wdes --by-unit LEVEL``: the standard for each unit of a hierarchy level (issue 17)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from parity.commands.common import console

BY_UNIT = typer.Option(None, "--by-unit", help="Break down by a hierarchy level (e.g. division, or org_l3), for "
                       "internal use; small units roll up to 'Other units in <parent>'")
MIN_UNIT = typer.Option(30, "--min-unit", help="--by-unit / --within: units or groups with fewer people in post "
                        "roll up")
WITHIN = typer.Option(None, "--within", help="Break down within a characteristic's groups: age_band, sex, religion, "
                      "sexual_orientation or marital_status (e.g. WRES within age bands)")


def write_by_unit(name: str, workspace: Path, *, level: str | None, year: int, config, fmt: str,
                  groups: tuple[str, str, str], protected: bool, min_unit: int, within: str | None = None) -> None:
    """Each unit's (or characteristic group's) result — the analyst's view — or the published view,
    protected with the organisation's."""
    from parity.commands.render import ANALYST_VIEW, print_protected, write, write_csv
    from parity.indicators.by_unit import unit_results

    if (level is None) == (within is None):
        raise ValueError("give one of --by-unit or --within")
    plan, results = unit_results(name, workspace, level=level or within, year=year, config=config, min_unit=min_unit,
                                 protected=protected, within=within is not None)
    level = level or within
    if not results:
        raise ValueError(f"{name.upper()} --by-unit {level}: no units with data in {year}")
    ordered = [results[k] for k in sorted(results)]
    if fmt == "json":
        docs = ordered if protected else [{**r.to_dict(), "disclosure": dict(ANALYST_VIEW)} for r in ordered]
        payload = {("within" if within else "by_unit"): plan.to_dict(), "units": [{"org_code": o, "unit": u, "result": d}
                                                        for (o, u), d in zip(sorted(results), docs, strict=True)]}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv" and protected:
        import pandas as pd

        from parity.report.tidy import standard_rows

        frames = [pd.DataFrame(standard_rows(d, "*")).assign(org_code=o, unit=u)
                  for (o, u), d in zip(sorted(results), ordered, strict=True)]
        write_csv(pd.concat(frames, ignore_index=True).assign(protected=True))
    elif protected:
        for doc in ordered:
            print_protected(doc)
    else:
        write(ordered, fmt, groups)
    if fmt == "table":
        for (org, label), merged in plan.rolled_up().items():
            console.print(f"{org}: {label} = {', '.join(sorted(merged))} (each under {min_unit} people)",
                          markup=False, soft_wrap=True)
