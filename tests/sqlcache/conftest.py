"""What the SQL-cache tests share: a generated data folder imported into a workspace."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

#: the tables the counts read, beside the staff in post (ESR preset)
TABLES = ("applications", "disciplinary", "capability", "training", "survey_responses")


def import_generated(data: Path, path: Path) -> Path:
    """The workspace ``path`` holding ``data``'s staff in post, `TABLES` and survey question map."""
    from parity.ingest import import_file
    from parity.workspace import Workspace

    ws = Workspace.open(path, create=True)
    import_file(ws, data / "esr" / "staff_in_post.csv", "workforce", preset="esr-staff-in-post")
    for table in TABLES:
        import_file(ws, data / f"{table}.csv", table)
    shutil.copy(data / "survey_question_map.csv", path / "survey_question_map.csv")
    return path


@pytest.fixture(scope="session")
def imported() -> Callable[[Path, Path], Path]:
    return import_generated
