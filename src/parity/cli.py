"""The `parity` command line. Each command lives in `parity.commands.<name>` and registers itself."""

from __future__ import annotations

import gc
import importlib
import sys
from pathlib import Path

#: command modules, each exposing ``register(app)``
COMMAND_MODULES = ("ingest", "synth", "standards", "paygap", "explore", "report", "serve", "demo", "workspace", "users", "spc", "actions", "meeting", "benchmark", "pulse")


#: as `parity.commands.common.BATCH_GC_THRESHOLD` (not imported from there: that loads Rich first)
BATCH_GC_THRESHOLD = 50_000
#: commands whose start-up time matters (issue 19), by the module that defines them: `parity wres`
#: registers only that module, not every command's imports (import, explore, report, ...)
ALONE = {"wres": "standards", "wdes": "standards"}


def _modules(argv: list[str]) -> tuple[str, ...]:
    """Every command module, or only the invoked command's when it is one of `ALONE` and the
    process is the `parity` command itself (a program importing `app` gets every command)."""
    if len(argv) > 1 and argv[1] in ALONE and Path(argv[0]).name in ("parity", "cli.py"):
        return (ALONE[argv[1]],)
    return COMMAND_MODULES


if _modules(sys.argv) != COMMAND_MODULES:
    # a one-shot standard: collect garbage as seldom as the command itself will (`batch_gc`), from
    # before Typer, Rich and pydantic load (about 5% of the command's CPU went to the collector)
    gc.set_threshold(BATCH_GC_THRESHOLD, *gc.get_threshold()[1:])

import typer  # noqa: E402  (after the collector's threshold)

app = typer.Typer(
    name="parity",
    help="Workforce equality indicators (WRES, WDES, pay gaps) for NHS organisations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_all() -> None:
    for name in _modules(sys.argv):
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
