"""Every setting is documented in docs/web.md (nothing undocumented ships)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity.web.settings import SETTINGS

DOCS = Path(__file__).parents[2] / "docs" / "web.md"


@pytest.mark.parametrize("setting", SETTINGS, ids=[s.name for s in SETTINGS])
def test_setting_is_documented(setting):
    assert f"`{setting.name}`" in DOCS.read_text(encoding="utf-8")


def test_roles_table_is_documented():
    from parity.web.roles import PERMISSIONS

    text = DOCS.read_text(encoding="utf-8")
    for action in PERMISSIONS:
        assert f"`{action}`" in text
