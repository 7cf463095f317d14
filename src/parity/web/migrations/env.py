"""Alembic environment: runs on the connection `parity.web.db.upgrade` passes in (no alembic.ini URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from parity.web.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # the alembic command line (making a revision): a URL from -x url=...
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///parity-web.sqlite")
    connection = create_engine(url).connect()
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")  # SQLite cannot ALTER most things
with context.begin_transaction():
    context.run_migrations()
