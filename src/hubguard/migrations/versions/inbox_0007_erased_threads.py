"""Inbox pipeline: threads erased by HubSpot's privacy deletion, remembered for a day.

A worker deciding one of the thread's messages while it is erased writes its verdict after the
erasure deleted the thread's rows; it finds the thread here and removes that verdict again. The
thread id itself is not kept, only its SHA-256: an erasure leaves no row naming the thread.

Revision ID: inbox_0007
Revises: inbox_0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "inbox_0007"
down_revision = "inbox_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox_erased_threads",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("thread_hash", sa.String(64), nullable=False),
        sa.Column("erased_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("portal_id", "thread_hash", name="pk_inbox_erased_threads"),
    )


def downgrade() -> None:
    op.drop_table("inbox_erased_threads")
