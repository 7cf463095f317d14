"""The `parity` command line. Each command lives in `parity.commands.<name>` and registers itself."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="parity",
    help="Workforce equality indicators (WRES, WDES, pay gaps) for NHS organisations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: command modules, each exposing ``register(app)``
COMMAND_MODULES = ("ingest", "synth", "standards", "paygap", "explore", "report", "serve", "demo", "workspace", "users", "spc", "actions", "meeting", "benchmark", "pulse")


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"parity.commands.{name}")
        except ModuleNotFoundError as exc:  # a command still being built must not break the others
            if exc.name == f"parity.commands.{name}":
                continue
            raise
        module.register(app)


_register_all()


def main() -> None:
    app()
