"""vault: installations, wrapped data keys, hash-chained audit log

Revision ID: vault_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "vault_0001"
down_revision = None
branch_labels = ("vault",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vault_installations",
        sa.Column("portal_id", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("auth_type", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("scopes_granted", sa.Text, nullable=False),
        sa.Column("installed_at", sa.Float, nullable=False),
        sa.Column("hub_domain", sa.String(255)),
        sa.Column("user_email", sa.String(320)),
        sa.Column("user_id", sa.BigInteger),
        sa.Column("access_expires_at", sa.Float),
        sa.Column("last_refresh_at", sa.Float),
        sa.Column("refresh_failures", sa.Integer, nullable=False),
        sa.Column("last_error", sa.String(200)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("access_token_ct", sa.LargeBinary),
        sa.Column("refresh_token_ct", sa.LargeBinary),
        sa.Column("service_key_ct", sa.LargeBinary),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("portal_id", name="pk_vault_installations"),
    )
    op.create_table(
        "vault_data_keys",
        sa.Column("portal_id", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("rewrapped_at", sa.Float),
        sa.PrimaryKeyConstraint("portal_id", name="pk_vault_data_keys"),
        sa.ForeignKeyConstraint(
            ["portal_id"],
            ["vault_installations.portal_id"],
            name="fk_vault_data_keys_portal_id_vault_installations",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_vault_data_keys_key_id", "vault_data_keys", ["key_id"])
    op.create_table(
        "vault_audit_log",
        sa.Column("seq", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("portal_id", sa.BigInteger),
        sa.Column("operation", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_vault_audit_log"),
    )
    op.create_index("ix_vault_audit_log_portal_id", "vault_audit_log", ["portal_id"])


def downgrade() -> None:
    op.drop_index("ix_vault_audit_log_portal_id", table_name="vault_audit_log")
    op.drop_table("vault_audit_log")
    op.drop_index("ix_vault_data_keys_key_id", table_name="vault_data_keys")
    op.drop_table("vault_data_keys")
    op.drop_table("vault_installations")
