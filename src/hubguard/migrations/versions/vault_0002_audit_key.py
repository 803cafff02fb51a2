"""vault: a MAC key for the audit log, and which entries it seals

Entries written before this revision stay plain SHA-256 links (``sealed`` false); the first
entry written after it is the audit key's ``first_seq``, and every entry from there on is an
HMAC only a holder of the master key can compute.

Revision ID: vault_0002
Revises: vault_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "vault_0002"
down_revision = "vault_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vault_audit_key",
        sa.Column("id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("first_seq", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("rewrapped_at", sa.Float),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("vault_audit_log") as batch:
        batch.add_column(sa.Column("sealed", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("vault_audit_log") as batch:
        batch.drop_column("sealed")
    op.drop_table("vault_audit_key")
