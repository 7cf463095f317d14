"""Which backends can run here, and the errors that say what is missing."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

SPARK_INSTALL_HINT = "pip install 'parity[spark]'"
ERR_NO_PYSPARK = f"The Spark backend needs pyspark: {SPARK_INSTALL_HINT}"
ERR_NO_JAVA = (
    f"The Spark backend needs a Java runtime (17 or later) on PATH or in JAVA_HOME; "
    f"install one, then {SPARK_INSTALL_HINT} if you have not already"
)
ERR_UNKNOWN_BACKEND = "Unknown backend {name!r}: choose one of {choices}, or pass an Ibis connection"
ERR_BOTH_SOURCES = "Give either workspace= or tables=, not both"
ERR_SOURCE_WITH_CONNECTION = "An existing connection already holds its tables: drop workspace=/tables="
ERR_NO_SOURCE = "connect({name!r}) needs workspace= or tables="


class BackendUnavailable(RuntimeError):
    """The requested backend cannot run here (a package or Java is missing)."""




def _spark_problem() -> str | None:
    """Why Spark cannot run here, or None when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return ERR_NO_PYSPARK
    if _java() is None:
        return ERR_NO_JAVA
    return None


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def available_backends() -> list[str]:
    """Names of the backends that can run on this machine, DuckDB first."""
    return ["duckdb"] + (["spark"] if _spark_problem() is None else [])
