"""Helpers shared by commands: one console, friendly errors instead of tracebacks."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)


@contextlib.contextmanager
def friendly_errors(what: str) -> Iterator[None]:
    """Turn expected failures into a clear message and exit code 2 — never a bare traceback."""
    try:
        yield
    except typer.Exit:
        raise
    except (FileNotFoundError, ValueError, KeyError, PermissionError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        err_console.print(f"[bold red]Error[/] ({what}): {message}")
        raise typer.Exit(2) from None
    except Exception as exc:  # unexpected: still no traceback for the user, but say how to report it
        err_console.print(f"[bold red]Unexpected error[/] ({what}): {type(exc).__name__}: {exc}")
        err_console.print("Run with PARITY_DEBUG=1 for details, and please report it.")
        if _debug():
            raise
        raise typer.Exit(3) from None


def _debug() -> bool:
    import os

    return os.environ.get("PARITY_DEBUG") == "1" or "--debug" in sys.argv
