"""`parity paygap`: gender, ethnicity and disability pay gaps for a workspace."""

from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path

import typer
from rich.table import Table

from parity.commands.by_unit import BY_UNIT, MIN_UNIT, WITHIN
from parity.commands.common import console, friendly_errors
from parity.commands.render import ANALYST_VIEW, write_csv


class By(str, Enum):
    sex = "sex"
    ethnicity = "ethnicity"
    disability = "disability"


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    gov_uk = "gov-uk"


MEASURES = ("mean_hourly_gap", "median_hourly_gap", "mean_bonus_gap", "median_bonus_gap")


def register(app: typer.Typer) -> None:
    @app.command("paygap")
    def paygap_command(
        workspace: Path = typer.Option(..., "--workspace", "-w", help="Workspace directory"),
        year: int = typer.Option(..., "--year", "-y", help="Snapshot 31 March of this year"),
        by: By = typer.Option(By.sex, "--by", help="sex, ethnicity or disability"),
        org: str | None = typer.Option(None, "--org", help="Organisation code"),
        fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, json, csv or gov-uk"),
        min_group: int = typer.Option(10, "--min-group", help="Smallest group published (ethnicity, disability)"),
        resamples: int = typer.Option(2000, "--resamples", help="Bootstrap resamples for the intervals"),
        seed: int = typer.Option(0, "--seed", help="Bootstrap seed (results are reproducible)"),
        protected: bool = typer.Option(False, "--protected",
                                       help="The published view: disclosure control as in the report "
                                            "(default: analyst's view; gender figures are statutory)"),
        by_unit: str | None = BY_UNIT, within: str | None = WITHIN, min_unit: int = MIN_UNIT,
    ) -> None:
        """Pay gaps exactly as the regulations define them, plus within-band gaps and intervals."""
        from parity.paygap.api import paygap

        with friendly_errors("paygap"):
            if by_unit or within:
                return _by_unit(workspace, year=year, by=by.value, level=by_unit, within=within, fmt=fmt,
                                protected=protected, min_unit=min_unit, min_group=min_group, resamples=resamples,
                                seed=seed)
            report = paygap(workspace, year=year, by=by.value, org=org, min_group_size=min_group,
                            n_resamples=resamples, seed=seed)
            doc = _published(report) if protected else {**report.to_dict(), "disclosure": dict(ANALYST_VIEW)}
            if fmt is Format.json:
                sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
            elif fmt is Format.gov_uk:
                row = report.gov_uk_row()
                writer = csv.DictWriter(sys.stdout, fieldnames=list(row))
                writer.writeheader()
                writer.writerow(row)
            elif fmt is Format.csv:
                write_csv(_tidy(report, doc if protected else None))
            elif protected:
                console.print_json(json.dumps(doc, ensure_ascii=False))
            else:
                _print(report)


def _by_unit(workspace: Path, *, year: int, by: str, level: str | None, within: str | None, fmt, protected: bool,
             min_unit: int, min_group: int, resamples: int, seed: int) -> None:
    """``--by-unit`` / ``--within``: each unit's (group's) pay gaps (issue 17; parity.indicators.by_unit)."""
    from parity.indicators.by_unit import paygap_units

    if (level is None) == (within is None):
        raise ValueError("give one of --by-unit or --within")
    if fmt is Format.gov_uk:
        raise ValueError("--format gov-uk is the organisation's statutory figure: not by unit")
    plan, reports = paygap_units(workspace, level=level or within, year=year, by=by, within=within is not None,
                                 min_unit=min_unit, protected=protected, min_group_size=min_group,
                                 n_resamples=resamples, seed=seed)
    docs = {k: (r if protected else {**r.to_dict(), "disclosure": dict(ANALYST_VIEW)}) for k, r in reports.items()}
    if fmt is Format.json:
        payload = {("within" if within else "by_unit"): plan.to_dict(),
                   "units": [{"org_code": o, "unit": u, "result": docs[(o, u)]} for o, u in sorted(docs)]}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    elif fmt is Format.csv:
        import pandas as pd

        frames = [_tidy(reports[k], docs[k] if protected else None).assign(org_code=k[0], unit=k[1])
                  for k in sorted(reports)] if not protected else [
                  pd.json_normalize(docs[k].get("results") or []).assign(org_code=k[0], unit=k[1]) for k in sorted(docs)]
        write_csv(pd.concat(frames, ignore_index=True))
    else:
        for k in sorted(docs):
            if protected:
                console.print(f"{k[0]} / {k[1]}", markup=False)
                console.print_json(json.dumps(docs[k], ensure_ascii=False, default=str))
            else:
                _print(reports[k])


def _published(report) -> dict:
    """The pay gap comparison as the report publishes it (`protect_paygap_report`)."""
    from parity.disclosure import DisclosureRule, protect_paygap
    from parity.report.build import protect_paygap_report

    return protect_paygap_report(report.to_dict(), DisclosureRule(), protect_paygap)


def _tidy(report, published: dict | None = None):
    """One row per comparison x measure; ``protected`` says which view (withheld values are "*")."""
    import pandas as pd

    rows = []
    shown = (published or {}).get("results") or [None] * len(report.results)
    for r, p in zip(report.results, shown, strict=False):
        for m in MEASURES:
            value = getattr(r, m) if published is None else (p or {}).get(m)
            hidden = published is not None and value is None and getattr(r, m) is not None
            rows.append({"year": report.year, "organisation": report.organisation, "by": report.by,
                         "reference": r.reference_group, "comparison": r.comparison_group,
                         "measure": m, "value": "*" if hidden else value,
                         "withheld": r.withheld or hidden, "protected": published is not None})
    return pd.DataFrame(rows)


def _fmt(x) -> str:
    return "—" if x is None else f"{x:.1f}%"


def _print(report) -> None:
    table = Table(title=f"Pay gaps by {report.by}, snapshot {report.snapshot_date} — {report.organisation} "
                        f"({report.employees:,} relevant employees)")
    for col in ("Comparison", "Mean hourly", "Median hourly", "Mean bonus", "Median bonus", "Notes"):
        table.add_column(col)
    for r in report.results:
        label = f"{r.comparison_group} vs {r.reference_group}"
        if r.withheld:
            table.add_row(label, "withheld", "", "", "", "; ".join(r.notes))
            continue
        table.add_row(label, _fmt(r.mean_hourly_gap), _fmt(r.median_hourly_gap), _fmt(r.mean_bonus_gap),
                      _fmt(r.median_bonus_gap), "; ".join(r.notes))
    console.print(table)
    ci = report.intervals
    console.print(f"95% bootstrap intervals: mean gap {_range(ci['mean'])}, median gap {_range(ci['median'])}.")
    d = report.decomposition
    if getattr(d, "total_gap", None) is not None:
        console.print(f"Of the mean gap of {d.total_gap:.1f}%, {d.band_mix:.1f} points come from the mix of pay bands "
                      f"(who is in which band) and {d.within_band:.1f} from pay differences within bands.")
    if report.results and report.results[0].quarters:
        q = Table(title="Pay quarters (lower → top)")
        q.add_column("Quarter")
        groups = list(report.results[0].quarters[0]["percent"])
        for g in groups:
            q.add_column(f"{g} %", justify="right")
        for quarter in report.results[0].quarters:
            q.add_row(quarter["quarter"], *[_fmt(quarter["percent"][g]) for g in groups])
        console.print(q)


def _range(ci) -> str:
    if ci["ci_low"] is None:
        return "not available"
    return f"{ci['ci_low']:.1f}% to {ci['ci_high']:.1f}%"
