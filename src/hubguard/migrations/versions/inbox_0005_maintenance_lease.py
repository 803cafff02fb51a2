"""Inbox pipeline: the lease that lets one worker process run the periodic maintenance.

Revision ID: inbox_0005
Revises: inbox_0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "inbox_0005"
down_revision = "inbox_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox_maintenance_leases",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("holder", sa.String(128), nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_inbox_maintenance_leases"),
    )


def downgrade() -> None:
    op.drop_table("inbox_maintenance_leases")
