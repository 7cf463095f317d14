"""The prose contract and the ingest guide stay in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parity.contract.schema import TABLES
from parity.ingest import load_preset, preset_names

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _section(text: str, heading: str) -> str:
    m = re.search(rf"^### `{heading}`[^\n]*\n(.*?)(?=^### |^## |\Z)", text, re.S | re.M)
    assert m, f"no section for {heading}"
    return m.group(1)


@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_and_column_is_documented(table):
    section = _section((DOCS / "data-contract.md").read_text(encoding="utf-8"), table)
    for column in TABLES[table].columns:
        assert f"| `{column.name}` | {column.kind} |" in section, column.name


@pytest.mark.parametrize("preset", preset_names())
def test_every_preset_column_is_documented(preset):
    text = (DOCS / "ingest.md").read_text(encoding="utf-8")
    section = _section(text, preset)
    for canonical, sources in load_preset(preset).columns.items():
        assert canonical in section
        for source in sources:
            assert source in section, source


def test_every_limit_is_documented_with_default_and_flag():
    from parity.ingest.limits import DEFAULT, FIELDS, cli_flag

    text = (DOCS / "ingest.md").read_text(encoding="utf-8")
    for name in FIELDS:
        row = next((line for line in text.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row, name
        default = getattr(DEFAULT, name)
        assert ("not enforced" if default is None else f"{default:,}".removesuffix(".0")) in row, name
        assert f"`{cli_flag(name)}`" in row, name


def test_chunk_sizes_are_the_documented_ones():
    from parity.ingest.chunks import CHUNK_ROWS, WHOLE_ROWS
    from parity.ingest.staging import MEMORY_LIMIT

    speed = (DOCS / "ingest.md").read_text(encoding="utf-8").split("## Speed", 1)[1]
    assert f"{WHOLE_ROWS:,} rows (`WHOLE_ROWS`)" in speed
    assert f"{CHUNK_ROWS:,} rows (`CHUNK_ROWS`)" in speed
    assert f"capped\n  at {MEMORY_LIMIT.replace('MB', ' MB')}" in speed
