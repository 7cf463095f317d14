"""Alembic migrations of the app database (users, memberships, invitations, sessions, audit log, jobs).

`parity.web.db.Database` upgrades to the newest revision on start; a database made before Alembic
(by `create_all`) is stamped with the baseline first. A new revision: change `models.py`, then
``alembic -c src/parity/web/migrations/alembic.ini revision --autogenerate -m "what"`` (docs/web.md).
"""
