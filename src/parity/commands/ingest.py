"""``parity import`` and ``parity validate`` (docs/ingest.md).

Exit codes: 0 clean (warnings allowed) or imported with ``--exclude-invalid``; 2 on errors. A bad
file never produces a traceback: every failure becomes a message naming the file.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table as RichTable

from parity.contract.schema import TABLES
from parity.ingest.limits import DEFAULT, FIELDS, WHAT, LimitExceeded, Limits, cli_flag
from parity.ingest.problems import ImportResult, Problem, ValidationReport

SHOW_PROBLEMS = 50  # on screen; --format json lists them all


class Format(str, Enum):
    table = "table"
    json = "json"


TABLE_HELP = f"Canonical table: {', '.join(TABLES)}"
PRESET_HELP = ("Built-in mapping: esr-staff-in-post, esr-gender-pay-gap, recruitment-generic, "
               "nhse-wres-organisation")
SNAPSHOT_HELP = "Snapshot date for an extract without a snapshot date column (e.g. 2024-03-31)"
DETECT_HELP = "Recognise a known layout (ESR, recruitment) from its headings when no --preset/--mapping"


def _limit(name: str, kind: type = int):
    default = getattr(DEFAULT, name)
    shown = "not enforced" if default is None else f"{default:,}"
    return Annotated[kind | None, typer.Option(
        cli_flag(name), min=1, rich_help_panel="Limits (docs/ingest.md)",
        help=f"Largest {WHAT[name].removeprefix('the ')} allowed (default {shown})")]


MaxFileBytes, MaxDecompressedBytes = _limit("max_file_bytes"), _limit("max_decompressed_bytes")
MaxCompressionRatio, MaxColumns = _limit("max_compression_ratio", float), _limit("max_columns")
MaxLineBytes, MaxCells = _limit("max_line_bytes"), _limit("max_cells")
MaxXlsxDimensionCells, MaxYamlBytes = _limit("max_xlsx_dimension_cells"), _limit("max_yaml_bytes")
MaxYamlAliases, WallSeconds, MemoryBytes = (_limit("max_yaml_aliases"), _limit("wall_seconds", float),
                                            _limit("memory_bytes"))


class Decimal(str, Enum):
    point = "."
    comma = ","


DecimalMark = Annotated[Decimal, typer.Option(
    "--decimal", help='Decimal mark of numbers: "." (default; commas only as thousands separators in '
    'groups of three) or "," (then dots or spaces group thousands)')]


def _limits(values: dict) -> Limits:
    """The limits from the command's flags (those not given keep their defaults)."""
    return DEFAULT.replace(**{k: v for k, v in values.items() if k in FIELDS})


def _render(report: ValidationReport, console: Console) -> None:
    if report.problems:
        t = RichTable(title=f"Problems in {report.file}", show_lines=False)
        for col, width in (("Row", 8), ("Column", 24), ("Value", 24), ("Severity", 8), ("Message", None)):
            t.add_column(col, overflow="fold", max_width=width)
        for p in report.problems[:SHOW_PROBLEMS]:
            style = "red" if p.severity == "error" else "yellow"
            t.add_row("" if p.row is None else str(p.row), p.column or "", "" if p.value is None else p.value,
                      f"[{style}]{p.severity}[/]", p.message)
        console.print(t)
        if len(report.problems) > SHOW_PROBLEMS:
            console.print(f"… and {len(report.problems) - SHOW_PROBLEMS} more problems "
                          f"({report.problem_counts()}); use --format json to see them all.")
    r = RichTable(title="Reconciliation")
    r.add_column("Rows")
    r.add_column("Count", justify="right")
    r.add_row("read", str(report.rows_read))
    r.add_row("accepted", str(report.rows_accepted))
    for reason, n in report.excluded_by_reason.items():
        r.add_row(f"excluded: {reason}", str(n))
    console.print(r)
    if report.dropped_columns:
        console.print("Columns not imported (not in the data contract): " + ", ".join(report.dropped_columns))
    if report.unused_columns:
        console.print("Columns the preset knows but the data contract does not use (not imported): "
                      + ", ".join(report.unused_columns))
    console.print(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s).")


def _finish(report: ValidationReport, fmt: Format, ok: bool, summary: str) -> None:
    if fmt == Format.json:
        typer.echo(json.dumps(report.to_dict(), indent=2, default=str))
    else:
        console = Console(soft_wrap=False, width=160)
        _render(report, console)
        console.print(summary, style="green" if ok else "red bold", markup=False)
    raise typer.Exit(0 if ok else 2)


def _interrupted() -> None:
    """Ctrl-C: one line, no traceback. Storage is one transaction, rolled back when interrupted."""
    typer.echo("interrupted; nothing was changed", err=True)
    raise typer.Exit(130)


def _crash(file: Path, table: str, exc: Exception, fmt: Format) -> None:
    """Last resort: an unexpected failure still names the file and exits 2, without a traceback."""
    report = getattr(exc, "report", None)
    if report is not None:  # storage failed after reading: keep the file's reconciliation
        _finish(report, fmt, False, f"Nothing imported from {file.name}: {exc}")
    if isinstance(exc, LimitExceeded):  # e.g. --wall-seconds ran out
        report = ValidationReport(file.name, table, [exc.problem])
        _finish(report, fmt, False, str(exc))
    msg = f"Could not process {file.name}: {type(exc).__name__}: {exc}"
    report = ValidationReport(file.name, table, [Problem(file.name, None, None, None, msg, "error", "failed")])
    _finish(report, fmt, False, msg)


def import_command(
    file: Path = typer.Argument(..., help="CSV, XLSX or Parquet file"),
    table: str = typer.Option(..., "--table", "-t", help=TABLE_HELP),
    workspace: Path = typer.Option(..., "--workspace", "-w", envvar="PARITY_WORKSPACE", help="Workspace directory"),
    mapping: Path | None = typer.Option(None, "--mapping", help="Mapping YAML file"),
    preset: str | None = typer.Option(None, "--preset", help=PRESET_HELP),
    sheet: str | None = typer.Option(None, "--sheet", help="XLSX sheet name (default: the first)"),
    org: str | None = typer.Option(None, "--org", help="Organisation code for rows without one (default ORG)"),
    year: int | None = typer.Option(None, "--year", help="Reporting year Y (1 April Y-1 to 31 March Y)"),
    unknown_as_not_stated: bool = typer.Option(False, "--unknown-as-not-stated",
                                               help="Store unrecognised ethnicity values as 99 (warning)"),
    exclude_invalid: bool = typer.Option(False, "--exclude-invalid",
                                         help="Leave out rows with errors and import the rest"),
    snapshot_date: str | None = typer.Option(None, "--snapshot-date", help=SNAPSHOT_HELP),
    detect: bool = typer.Option(True, "--detect/--no-detect", help=DETECT_HELP),
    fmt: Format = typer.Option(Format.table, "--format", help="table (on screen) or json"),
    decimal: DecimalMark = Decimal.point,
    key_file: Path | None = typer.Option(None, "--key-file", envvar="PARITY_KEY_FILE",
                                         help="Pseudonymisation key file (default: the per-user key store)"),
    max_file_bytes: MaxFileBytes = None,
    max_decompressed_bytes: MaxDecompressedBytes = None,
    max_compression_ratio: MaxCompressionRatio = None,
    max_columns: MaxColumns = None,
    max_line_bytes: MaxLineBytes = None,
    max_cells: MaxCells = None,
    max_xlsx_dimension_cells: MaxXlsxDimensionCells = None,
    max_yaml_bytes: MaxYamlBytes = None,
    max_yaml_aliases: MaxYamlAliases = None,
    wall_seconds: WallSeconds = None,
    memory_bytes: MemoryBytes = None,
) -> None:
    """Validate FILE and store it in the workspace as canonical TABLE (all-or-nothing by default)."""
    from parity.ingest import import_file
    from parity.ingest.limits import enforced
    from parity.workspace import Workspace, WorkspaceError

    limits = _limits(locals())
    try:
        with enforced(limits, file.name):
            result: ImportResult = import_file(
                Workspace.open(workspace, key_file=key_file), file, table, mapping=mapping, preset=preset,
                sheet=sheet, org=org, year=year, unknown_as_not_stated=unknown_as_not_stated,
                exclude_invalid=exclude_invalid, limits=limits, snapshot_date=snapshot_date,
                detect=detect, decimal=decimal.value)
    except KeyboardInterrupt:
        _interrupted()
    except WorkspaceError as exc:  # the workspace, not the file: say so (lock, key, disk, format)
        report = getattr(exc, "report", None) or ValidationReport(file.name, table, [Problem(
            file.name, None, None, None, str(exc), "error", "workspace")])
        _finish(report, fmt, False, f"Nothing imported from {file.name}: {exc}")
        return
    except Exception as exc:  # noqa: BLE001 — a bad file must never show a traceback
        _crash(file, table, exc, fmt)
        return
    if result.imported:
        summary = (f"Imported {result.rows_accepted} of {result.rows_read} rows from {result.file} into "
                   f"{result.table} (import {result.import_id}; {result.replaced_rows} earlier rows replaced; "
                   f"scope: {result.replaced_scope}).")
    elif result.file_errors or not exclude_invalid:
        summary = (f"Nothing imported from {result.file}: {len(result.errors)} error(s). Fix them"
                   + (" or use --exclude-invalid to leave those rows out." if not result.file_errors else "."))
    else:
        summary = f"Nothing imported from {result.file}."
    _finish(result, fmt, result.imported, summary)


def validate_command(
    file: Path = typer.Argument(..., help="CSV, XLSX or Parquet file"),
    table: str = typer.Option(..., "--table", "-t", help=TABLE_HELP),
    mapping: Path | None = typer.Option(None, "--mapping", help="Mapping YAML file"),
    preset: str | None = typer.Option(None, "--preset", help=PRESET_HELP),
    sheet: str | None = typer.Option(None, "--sheet", help="XLSX sheet name (default: the first)"),
    year: int | None = typer.Option(None, "--year", help="Reporting year Y (1 April Y-1 to 31 March Y)"),
    unknown_as_not_stated: bool = typer.Option(False, "--unknown-as-not-stated",
                                               help="Treat unrecognised ethnicity values as 99 (warning)"),
    snapshot_date: str | None = typer.Option(None, "--snapshot-date", help=SNAPSHOT_HELP),
    detect: bool = typer.Option(True, "--detect/--no-detect", help=DETECT_HELP),
    fmt: Format = typer.Option(Format.table, "--format", help="table (on screen) or json"),
    decimal: DecimalMark = Decimal.point,
    max_file_bytes: MaxFileBytes = None,
    max_decompressed_bytes: MaxDecompressedBytes = None,
    max_compression_ratio: MaxCompressionRatio = None,
    max_columns: MaxColumns = None,
    max_line_bytes: MaxLineBytes = None,
    max_cells: MaxCells = None,
    max_xlsx_dimension_cells: MaxXlsxDimensionCells = None,
    max_yaml_bytes: MaxYamlBytes = None,
    max_yaml_aliases: MaxYamlAliases = None,
    wall_seconds: WallSeconds = None,
    memory_bytes: MemoryBytes = None,
) -> None:
    """Check FILE against the data contract for TABLE without importing anything."""
    from parity.ingest import validate_file
    from parity.ingest.limits import enforced

    limits = _limits(locals())
    try:
        with enforced(limits, file.name):
            report = validate_file(file, table, mapping=mapping, preset=preset, sheet=sheet, year=year,
                                   unknown_as_not_stated=unknown_as_not_stated, limits=limits,
                                   snapshot_date=snapshot_date, detect=detect, decimal=decimal.value)
    except KeyboardInterrupt:
        _interrupted()
    except Exception as exc:  # noqa: BLE001
        _crash(file, table, exc, fmt)
        return
    ok = report.ok
    summary = (f"{report.file} is valid as {report.table}." if ok
               else f"{report.file} has {len(report.errors)} error(s) as {report.table}.")
    _finish(report, fmt, ok, summary)


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("validate")(validate_command)
