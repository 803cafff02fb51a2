"""Inbox pipeline: per-category modes on each inbox policy.

Revision ID: inbox_0003
Revises: inbox_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "inbox_0003"
down_revision = "inbox_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbox_policies") as batch:
        batch.add_column(sa.Column("category_modes", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbox_policies") as batch:
        batch.drop_column("category_modes")
