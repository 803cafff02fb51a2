"""Spam filter portal state: lists, feedback, per-portal corrections.

Revision ID: spam_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "spam_0001"
down_revision = None
branch_labels = ("spam",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "spam_lists",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("entry", sa.String(320), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("portal_id", "entry", name="pk_spam_lists"),
    )
    op.create_table(
        "spam_feedback",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("label", sa.String(8), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("model", sa.String(80), nullable=False),
        sa.Column("global_logit", sa.Float, nullable=False),
        sa.Column("features", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("portal_id", "key", name="pk_spam_feedback"),
    )
    op.create_table(
        "spam_corrections",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("model", sa.String(80), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("weights", sa.Text, nullable=False),
        sa.Column("n_examples", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("portal_id", name="pk_spam_corrections"),
    )


def downgrade() -> None:
    op.drop_table("spam_corrections")
    op.drop_table("spam_feedback")
    op.drop_table("spam_lists")
