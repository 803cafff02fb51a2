"""Inbox pipeline: the sender's Conversations actor on each verdict (chat senders have no e-mail).

Revision ID: inbox_0002
Revises: inbox_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "inbox_0002"
down_revision = "inbox_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbox_verdicts") as batch:
        batch.add_column(sa.Column("sender_actor", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbox_verdicts") as batch:
        batch.drop_column("sender_actor")
