"""Dashboard sessions (sign in with HubSpot).

Revision ID: web_0002
Revises: web_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "web_0002"
down_revision = "web_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dashboard_sessions",
        sa.Column("session_hash", sa.String(64), nullable=False),
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("user_email", sa.String(320), nullable=True),
        sa.Column("user_id", sa.BigInteger, nullable=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("session_hash", name="pk_dashboard_sessions"),
    )
    op.create_index("ix_dashboard_sessions_portal", "dashboard_sessions", ["portal_id"])


def downgrade() -> None:
    op.drop_index("ix_dashboard_sessions_portal", table_name="dashboard_sessions")
    op.drop_table("dashboard_sessions")
