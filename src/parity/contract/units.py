"""The organisation's own names for its hierarchy levels (issue 17): ``organisation.yaml``.

ESR carries the hierarchy as "Org L3" … "Org L7" (stored as ``org_l3`` … ``org_l7``) plus a site; what
each level *is* differs between organisations (division, care group, directorate…). A workspace may
hold ``organisation.yaml``::

    levels: {org_l3: division, org_l4: directorate, org_l5: department}

set with ``parity workspace units FILE`` (docs/data-contract.md). Without it the defaults in
`parity.contract.codes.DEFAULT_LEVEL_NAMES` apply. ``--by-unit`` and the explorer accept a level's name
or its column.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from parity.contract.codes import DEFAULT_LEVEL_NAMES, ORG_LEVELS, UNIT_COLUMNS

FILE_NAME = "organisation.yaml"
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
BAD_FILE = "{file}: {problem}. Expected e.g. 'levels: {{org_l3: division, org_l4: directorate}}'"
UNKNOWN_LEVEL = "Unknown unit level {name!r}: choose one of {valid}"


class UnitsError(ValueError):
    """An organisation.yaml, or a level name, we cannot use."""


def parse_levels(text: str, file: str = FILE_NAME) -> dict[str, str]:
    """Column → level name from the YAML text, validated (each name lower-case, distinct, not a column)."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise UnitsError(BAD_FILE.format(file=file, problem=f"not valid YAML ({exc})")) from None
    levels = data.get("levels") if isinstance(data, dict) else None
    if not isinstance(levels, dict) or not levels:
        raise UnitsError(BAD_FILE.format(file=file, problem="no 'levels' mapping"))
    out: dict[str, str] = {}
    for column, name in levels.items():
        if column not in UNIT_COLUMNS:
            raise UnitsError(BAD_FILE.format(file=file, problem=f"{column!r} is not one of {', '.join(UNIT_COLUMNS)}"))
        name = str(name).strip().lower().replace(" ", "_")
        if not NAME.match(name) or name in UNIT_COLUMNS:
            raise UnitsError(BAD_FILE.format(file=file, problem=f"level name {name!r} for {column} must be a "
                                             "short lower-case word (letters, digits, _) and not a column name"))
        if name in out.values():
            raise UnitsError(BAD_FILE.format(file=file, problem=f"level name {name!r} is used twice"))
        out[str(column)] = name
    return out


def level_names(workspace_dir: Path | None) -> dict[str, str]:
    """Column → level name: the workspace's organisation.yaml over the defaults."""
    names = dict(DEFAULT_LEVEL_NAMES)
    path = Path(workspace_dir) / FILE_NAME if workspace_dir is not None else None
    if path is not None and path.is_file():
        given = parse_levels(path.read_text(encoding="utf-8"), str(path))
        names = {c: n for c, n in names.items() if n not in given.values()} | given
    return names


def unit_column(name: str, workspace_dir: Path | None = None) -> str:
    """The stored column for a level given by name ("division") or column ("org_l3")."""
    names = level_names(workspace_dir)
    if name in UNIT_COLUMNS:
        return name
    for column, level in names.items():
        if level == name:
            return column
    valid = ", ".join(f"{n} ({c})" for c, n in names.items())
    raise UnitsError(UNKNOWN_LEVEL.format(name=name, valid=valid))


def parent_column(column: str) -> str | None:
    """The level above (org_l4 → org_l3); None for org_l3 and the site (their parent is the organisation)."""
    if column in ORG_LEVELS and column != ORG_LEVELS[0]:
        return ORG_LEVELS[ORG_LEVELS.index(column) - 1]
    return None


def save_levels(workspace_dir: Path, text: str, file: str = FILE_NAME) -> dict[str, str]:
    """Validate `text` and store it as the workspace's organisation.yaml (mode 0600)."""
    levels = parse_levels(text, file)
    path = Path(workspace_dir) / FILE_NAME
    path.write_text(yaml.safe_dump({"levels": levels}, sort_keys=False), encoding="utf-8")
    path.chmod(0o600)
    return levels
