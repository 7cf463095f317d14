"""`parity serve`: the web dashboard over a workspace.

Server-rendered pages (FastAPI + Jinja, NHS.UK frontend served locally) that work with JavaScript
off; roles per organisation (admin, analyst, viewer) enforced on every route; viewers see only
figures that passed `parity.disclosure`. See docs/web.md.

>>> from parity.web import create_app, Settings                      # doctest: +SKIP
>>> app = create_app("my-workspace", Settings(secure_cookies=False))  # doctest: +SKIP
"""

from parity.web.app import create_app
from parity.web.settings import SETTINGS, Setting, Settings

__all__ = ["SETTINGS", "Setting", "Settings", "create_app"]
