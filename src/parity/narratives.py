"""Narrative text an organisation supplies (WDES metric 9b), kept in the workspace, never computed."""

from __future__ import annotations

import json
from pathlib import Path

FILE = "narratives.json"


def _path(workspace: Path) -> Path:
    return Path(workspace) / FILE


def set_narrative(workspace: Path, *, org: str, year: int, indicator: str, text: str) -> None:
    path = _path(workspace)
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data.setdefault(org, {}).setdefault(str(year), {})[indicator] = text
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def get_narrative(workspace: Path | None, *, org: str, year: int, indicator: str) -> str | None:
    if workspace is None or not _path(workspace).exists():
        return None
    data = json.loads(_path(workspace).read_text(encoding="utf-8"))
    return data.get(org, {}).get(str(year), {}).get(indicator)
