"""Inbox pipeline: an index for the dashboard's score histogram (a portal's recent verdicts).

It holds the score and the feedback too, so the histogram is counted from the index alone
instead of reading every verdict row of the portal.

Revision ID: inbox_0006
Revises: inbox_0005
"""

from __future__ import annotations

from alembic import op

revision = "inbox_0006"
down_revision = "inbox_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_inbox_verdicts_portal_decided",
        "inbox_verdicts",
        ["portal_id", "decided_at", "score", "feedback"],
    )


def downgrade() -> None:
    op.drop_index("ix_inbox_verdicts_portal_decided", table_name="inbox_verdicts")
