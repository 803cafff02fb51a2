"""Inbox pipeline: events log, verdicts, policies, poll cursors.

Revision ID: inbox_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "inbox_0001"
down_revision = None
branch_labels = ("inbox",)
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "inbox_events",
        sa.Column("id", _Id, primary_key=True, autoincrement=True),
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("subscription_id", sa.BigInteger, nullable=False),
        sa.Column("event_id", sa.BigInteger, nullable=False),
        sa.Column("occurred_at", sa.BigInteger, nullable=False),
        sa.Column("subscription_type", sa.String(64), nullable=False),
        sa.Column("object_id", sa.String(64), nullable=True),
        sa.Column("message_id", sa.String(64), nullable=True),
        sa.Column("message_type", sa.String(32), nullable=True),
        sa.Column("property_name", sa.String(64), nullable=True),
        sa.Column("property_value", sa.String(255), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.Float, nullable=False),
        sa.Column("claimed_at", sa.Float, nullable=True),
        sa.Column("claim_token", sa.String(32), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Column("received_at", sa.Float, nullable=False),
        sa.Column("finished_at", sa.Float, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_inbox_events"),
        sa.UniqueConstraint(
            "portal_id",
            "subscription_id",
            "event_id",
            "occurred_at",
            name="uq_inbox_events_hubspot_key",
        ),
    )
    op.create_index("ix_inbox_events_status_next", "inbox_events", ["status", "next_attempt_at"])
    op.create_index("ix_inbox_events_portal_object", "inbox_events", ["portal_id", "object_id"])

    op.create_table(
        "inbox_verdicts",
        sa.Column("id", _Id, primary_key=True, autoincrement=True),
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("thread_id", sa.String(64), nullable=False),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("inbox_id", sa.String(64), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("sender", sa.String(320), nullable=True),
        sa.Column("sender_name", sa.String(255), nullable=True),
        sa.Column("subject", sa.String(998), nullable=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("is_spam", sa.Boolean, nullable=False),
        sa.Column("category", sa.String(32), nullable=True),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("action_state", sa.String(16), nullable=False),
        sa.Column("action_note", sa.String(64), nullable=True),
        sa.Column("received_at", sa.Float, nullable=True),
        sa.Column("decided_at", sa.Float, nullable=False),
        sa.Column("acted_at", sa.Float, nullable=True),
        sa.Column("feedback", sa.String(16), nullable=True),
        sa.Column("feedback_by", sa.String(128), nullable=True),
        sa.Column("feedback_at", sa.Float, nullable=True),
        sa.Column("body", sa.Text, nullable=True),
        sa.Column("body_expires_at", sa.Float, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_inbox_verdicts"),
        sa.UniqueConstraint("portal_id", "message_id", name="uq_inbox_verdicts_message"),
    )
    op.create_index("ix_inbox_verdicts_thread", "inbox_verdicts", ["portal_id", "thread_id"])
    op.create_index(
        "ix_inbox_verdicts_portal_inbox", "inbox_verdicts", ["portal_id", "inbox_id", "id"]
    )
    op.create_index("ix_inbox_verdicts_body_expiry", "inbox_verdicts", ["body_expires_at"])

    op.create_table(
        "inbox_policies",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("inbox_id", sa.String(64), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("threshold", sa.Float, nullable=True),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("updated_by", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("portal_id", "inbox_id", name="pk_inbox_policies"),
    )
    op.create_table(
        "inbox_poll_cursors",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("inbox_id", sa.String(64), nullable=False),
        sa.Column("cursor_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("portal_id", "inbox_id", name="pk_inbox_poll_cursors"),
    )


def downgrade() -> None:
    op.drop_table("inbox_poll_cursors")
    op.drop_table("inbox_policies")
    op.drop_table("inbox_verdicts")
    op.drop_table("inbox_events")
