"""Inbox pipeline: an index for the review digest (a portal's archived, unreviewed threads).

Revision ID: inbox_0004
Revises: inbox_0003
"""

from __future__ import annotations

from alembic import op

revision = "inbox_0004"
down_revision = "inbox_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_inbox_verdicts_portal_action", "inbox_verdicts", ["portal_id", "action", "action_state"]
    )


def downgrade() -> None:
    op.drop_index("ix_inbox_verdicts_portal_action", table_name="inbox_verdicts")
