"""Shared fixtures: one small demo trust (600 staff, 2 years) imported once per session."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # --import-mode=importlib: make web_helpers importable

from web_helpers import OTHER_ORG, add_user, import_demo, settings  # noqa: E402

from parity.web import create_app  # noqa: E402


def pytest_configure(config):
    # until the lead registers it in pyproject.toml
    config.addinivalue_line("markers", "browser: drives Debian's Chromium with Playwright (tests/web)")


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory) -> Path:
    from parity.synth import generate

    out = tmp_path_factory.mktemp("demo-data")
    generate(out, staff=600, years=2, seed=7)
    return out


@pytest.fixture(scope="session")
def messy_data(tmp_path_factory) -> Path:
    from parity.synth import generate

    out = tmp_path_factory.mktemp("messy-data")
    generate(out, staff=600, years=2, seed=8, messy=True)
    return out




@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory, demo_data) -> Path:
    """A workspace holding the demo trust (treat as read-only: copy it to change it)."""
    ws = tmp_path_factory.mktemp("ws-demo") / "ws"
    import_demo(ws, demo_data)
    return ws










@pytest.fixture(scope="session")
def shared_app(tmp_path_factory, demo_workspace):
    """One app over a copy of the demo workspace with a user of every kind (results cached across tests)."""
    ws = tmp_path_factory.mktemp("ws-shared") / "ws"
    shutil.copytree(demo_workspace, ws)
    app = create_app(ws, settings())
    add_user(app, "admin@example.org", site_admin=True)
    add_user(app, "orgadmin@example.org", role="admin")
    add_user(app, "analyst@example.org", role="analyst")
    add_user(app, "viewer@example.org", role="viewer")
    add_user(app, "contributor@example.org", role="contributor")
    add_user(app, "other@example.org", role="admin", org=OTHER_ORG)
    return app


@pytest.fixture
def fresh_app(tmp_path, demo_workspace):
    """An app over its own copy of the demo workspace (for tests that import or change state)."""
    ws = tmp_path / "ws"
    shutil.copytree(demo_workspace, ws)
    app = create_app(ws, settings())
    add_user(app, "analyst@example.org", role="analyst")
    add_user(app, "viewer@example.org", role="viewer")
    return app
