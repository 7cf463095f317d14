"""`parity wres`, `parity wdes` and `parity narrative`: the standards for a workspace."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from parity.commands.by_unit import BY_UNIT, MIN_UNIT, WITHIN, write_by_unit
from parity.commands.common import batch_gc, console, friendly_errors
from parity.commands.render import write


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Period(str, Enum):
    single_year = "single_year"
    two_year_rolling = "two_year_rolling"


WORKSPACE = typer.Option(..., "--workspace", "-w", help="Workspace directory")
YEAR = typer.Option(..., "--year", "-y", help="Reporting year Y (financial year ending 31 March Y)")
ORG = typer.Option(None, "--org", help="Organisation code (default: all organisations together)")
FORMAT = typer.Option(Format.table, "--format", "-f", help="table, json or csv")
BACKEND = typer.Option("duckdb", "--backend", help="duckdb (default) or spark")
CONFIDENCE = typer.Option(0.95, "--confidence", help="Confidence level of intervals")
PROTECTED = typer.Option(False, "--protected",
                         help="The published view: disclosure control as in the report (default: analyst's view)")
DECLINED = typer.Option(False, "--include-declined-offers",
                        help="Appointment indicators: keep shortlisted applications whose offer was declined")


def published(name: str, workspace: Path, year: int, org: str | None, config) -> dict:
    """The published (protected) result: the same release as `parity report` (both standards, every
    organisation and the trend years protected together, `protected_standards`), with this command's
    settings for this standard (the other at its published defaults)."""
    from parity.disclosure import DisclosureRule
    from parity.report.build import TREND_YEARS
    from parity.report.release import protected_standards, unit_for

    found = protected_standards(workspace, DisclosureRule(), first=year - TREND_YEARS + 1, last=year,
                                configs={name: config}, required=(name,))
    results, orgs, docs = found[name]
    key = (unit_for(org, orgs), year)
    if key not in results:
        raise ValueError(f"{name.upper()} cannot be computed for {year} ({org or 'all organisations'})")
    return docs[key]


def register(app: typer.Typer) -> None:
    @app.command("wres")
    def wres_command(
        workspace: Path = WORKSPACE, year: int = YEAR, org: str | None = ORG, fmt: Format = FORMAT,
        backend: str = BACKEND, confidence: float = CONFIDENCE, include_declined: bool = DECLINED,
        protected: bool = PROTECTED, disciplinary_period: Period = typer.Option(Period.two_year_rolling, "--disciplinary-period",
                                                   help="Indicator 3 over one year or two-year rolling"),
        by_unit: str | None = BY_UNIT, min_unit: int = MIN_UNIT, within: str | None = WITHIN,
    ) -> None:
        """Workforce Race Equality Standard: all nine indicators with intervals and assessments."""
        from parity import WresConfig, sqlcache, wres

        with friendly_errors("wres"), batch_gc():
            config = WresConfig(confidence=confidence, disciplinary_period=disciplinary_period.value,
                                exclude_declined_offers=not include_declined)
            if by_unit or within:
                return write_by_unit("wres", workspace, level=by_unit, year=year, config=config, fmt=fmt.value,
                                     groups=("White", "BME", "Unknown"), protected=protected, min_unit=min_unit,
                                     within=within)
            if sqlcache.enabled(backend):  # compiled SQL, no Ibis or pandas (issue 19)
                result = sqlcache.wres(workspace, year=year, org=org, config=config)
            else:
                result = wres(workspace, year=year, org=org, config=config, backend=backend)
            write(result, fmt.value, ("White", "BME", "Unknown"),
                  protected=published("wres", workspace, year, org, config) if protected else None)

    @app.command("wdes")
    def wdes_command(
        workspace: Path = WORKSPACE, year: int = YEAR, org: str | None = ORG, fmt: Format = FORMAT,
        backend: str = BACKEND, confidence: float = CONFIDENCE, include_declined: bool = DECLINED,
        protected: bool = PROTECTED, capability_period: Period = typer.Option(Period.two_year_rolling, "--capability-period",
                                                 help="Metric 3 over one year or two-year rolling"),
        include_ill_health: bool = typer.Option(False, "--include-ill-health/--exclude-ill-health",
                                                help="Metric 3 headline including capability on ill-health "
                                                     "grounds (default: performance grounds only, as "
                                                     "NHS England's national figures)"),
        by_unit: str | None = BY_UNIT, min_unit: int = MIN_UNIT, within: str | None = WITHIN,
    ) -> None:
        """Workforce Disability Equality Standard: the ten metrics, with declaration rates."""
        from parity import WdesConfig, sqlcache, wdes

        with friendly_errors("wdes"), batch_gc():
            config = WdesConfig(confidence=confidence, capability_period=capability_period.value,
                                capability_ill_health=include_ill_health,
                                exclude_declined_offers=not include_declined)
            if by_unit or within:
                return write_by_unit("wdes", workspace, level=by_unit, year=year, config=config, fmt=fmt.value,
                                     groups=("Disabled", "Non-disabled", "Unknown"), protected=protected,
                                     min_unit=min_unit, within=within)
            if sqlcache.enabled(backend):  # compiled SQL, no Ibis or pandas (issue 19)
                result = sqlcache.wdes(workspace, year=year, org=org, config=config)
            else:
                result = wdes(workspace, year=year, org=org, config=config, backend=backend)
            write(result, fmt.value, ("Disabled", "Non-disabled", "Unknown"),
                  protected=published("wdes", workspace, year, org, config) if protected else None)

    @app.command("narrative")
    def narrative_command(
        workspace: Path = WORKSPACE, year: int = YEAR,
        org: str = typer.Option(..., "--org", help="Organisation code"),
        indicator: str = typer.Option("wdes.9b", "--indicator", help="Which narrative (default wdes.9b)"),
        text: str | None = typer.Option(None, "--text", help="The narrative text"),
        file: Path | None = typer.Option(None, "--file", help="Read the narrative from a text file"),
    ) -> None:
        """Store a narrative the organisation supplies (e.g. WDES 9b: hearing Disabled staff's voices)."""
        from parity.narratives import set_narrative

        with friendly_errors("narrative"):
            if (text is None) == (file is None):
                raise ValueError("give the narrative with exactly one of --text or --file")
            body = text if text is not None else file.read_text(encoding="utf-8")
            set_narrative(workspace, org=org, year=year, indicator=indicator, text=body.strip())
            console.print(f"Saved the {indicator} narrative for {org} {year}.")
