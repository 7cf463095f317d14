"""`parity wres`: the nine WRES indicators for a workspace."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from parity.commands.common import friendly_errors
from parity.commands.render import write


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Period(str, Enum):
    single_year = "single_year"
    two_year_rolling = "two_year_rolling"


def register(app: typer.Typer) -> None:
    @app.command("wres")
    def wres_command(
        workspace: Path = typer.Option(..., "--workspace", "-w", help="Workspace directory"),
        year: int = typer.Option(..., "--year", "-y", help="Reporting year Y (financial year ending 31 March Y)"),
        org: str | None = typer.Option(None, "--org", help="Organisation code (default: all organisations together)"),
        fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, json or csv"),
        backend: str = typer.Option("duckdb", "--backend", help="duckdb (default) or spark"),
        confidence: float = typer.Option(0.95, "--confidence", help="Confidence level of intervals"),
        disciplinary_period: Period = typer.Option(Period.two_year_rolling, "--disciplinary-period",
                                                   help="Indicator 3 over one year or two-year rolling"),
        include_declined: bool = typer.Option(False, "--include-declined-offers",
                                              help="Indicator 2: keep shortlisted applications whose offer was declined"),
    ) -> None:
        """Workforce Race Equality Standard: all nine indicators with intervals and assessments."""
        from parity import WresConfig, wres

        with friendly_errors("wres"):
            config = WresConfig(confidence=confidence, disciplinary_period=disciplinary_period.value,
                                exclude_declined_offers=not include_declined)
            result = wres(workspace, year=year, org=org, config=config, backend=backend)
            write(result, fmt.value, ("White", "BME", "Unknown"))
