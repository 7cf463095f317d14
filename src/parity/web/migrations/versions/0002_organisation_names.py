"""Organisation names: the name an administrator gives each organisation code (issue 14).

A new table only: an upgrade keeps every user, membership and audit event.

Revision ID: 0002_organisation_names
Revises: 0001_baseline
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_organisation_names"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("organisations",
                    sa.Column("code", sa.String(length=20), nullable=False),
                    sa.Column("name", sa.String(length=200), nullable=False),
                    sa.Column("updated_at", sa.DateTime(), nullable=False),
                    sa.PrimaryKeyConstraint("code"))


def downgrade() -> None:
    op.drop_table("organisations")
