"""The vault's tables, on the shared :data:`hubguard.db.metadata` (migrations: vault_0001, vault_0002).

Secrets live only as ciphertexts (``*_ct`` columns); the data key that decrypts them lives in
``vault_data_keys``, wrapped by a master key whose id sits beside it; the audit log's MAC key in
``vault_audit_key``, wrapped the same way. Erasing a portal deletes its
data-key row and nulls its ciphertexts; the installation row stays for the audit trail.
"""

from __future__ import annotations

import sqlalchemy as sa

from hubguard.db import metadata

__all__ = ["audit_key", "audit_log", "data_keys", "installations"]

installations = sa.Table(
    "vault_installations",
    metadata,
    sa.Column("portal_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("auth_type", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    # Space-separated, the way HubSpot writes scopes in URLs.
    sa.Column("scopes_granted", sa.Text, nullable=False, default=""),
    sa.Column("installed_at", sa.Float, nullable=False),
    sa.Column("hub_domain", sa.String(255)),
    sa.Column("user_email", sa.String(320)),
    sa.Column("user_id", sa.BigInteger),
    sa.Column("access_expires_at", sa.Float),
    sa.Column("last_refresh_at", sa.Float),
    sa.Column("refresh_failures", sa.Integer, nullable=False, default=0),
    sa.Column("last_error", sa.String(200)),
    # Compare-and-swap counter: every credential write bumps it.
    sa.Column("version", sa.Integer, nullable=False, default=1),
    sa.Column("access_token_ct", sa.LargeBinary),
    sa.Column("refresh_token_ct", sa.LargeBinary),
    sa.Column("service_key_ct", sa.LargeBinary),
    sa.Column("updated_at", sa.Float, nullable=False),
)

data_keys = sa.Table(
    "vault_data_keys",
    metadata,
    sa.Column(
        "portal_id",
        sa.BigInteger,
        sa.ForeignKey("vault_installations.portal_id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("key_id", sa.String(64), nullable=False, index=True),
    sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("rewrapped_at", sa.Float),
)

audit_log = sa.Table(
    "vault_audit_log",
    metadata,
    # Assigned by the writer (last + 1) under a lock, so the chain has no gaps.
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("portal_id", sa.BigInteger, index=True),
    sa.Column("operation", sa.String(64), nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),  # canonical JSON object of str -> str
    sa.Column("prev_hash", sa.String(64), nullable=False),
    # Sealed: entry_hash is an HMAC under the audit key. Only entries written before the log
    # had a key (migration vault_0002) are not.
    sa.Column("entry_hash", sa.String(64), nullable=False),
    sa.Column("sealed", sa.Boolean, nullable=False, default=True),
)

# The audit log's MAC key: one row, wrapped by a master key (re-wrapped by `keys rotate`).
audit_key = sa.Table(
    "vault_audit_key",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),  # always 1
    sa.Column("key_id", sa.String(64), nullable=False),
    sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
    sa.Column("first_seq", sa.BigInteger, nullable=False),  # the first entry it seals
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("rewrapped_at", sa.Float),
)
