"""Key lifecycle: crypto-erasure of one portal, and online re-wrapping under a new master key
(every portal's data key, and the audit log's key)."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from hubguard.errors import UnknownPortalError
from hubguard.models import InstallationStatus
from hubguard.vault import audit as audit_chain
from hubguard.vault.crypto import MasterKeyring
from hubguard.vault.sql import SECRET_COLUMNS, VaultSql
from hubguard.vault.tables import data_keys, installations

__all__ = ["erase_portal", "rewrap_all"]

log = logging.getLogger(__name__)
_ERASED = {f"{name}_ct": None for name in SECRET_COLUMNS}


def erase_portal(db: VaultSql, portal_id: int) -> None:
    """Delete the portal's data key and ciphertexts, mark it uninstalled, audit it.

    On SQLite the freed bytes are overwritten (``secure_delete``) and the WAL is checkpointed,
    so neither the wrapped key nor the ciphertexts linger in the file. On PostgreSQL old row
    versions live until VACUUM; retiring the master key after a rotation makes any such
    remnant (and any backup) undecryptable.
    """
    with db.write("erase") as conn:
        if not db.is_postgres:
            conn.exec_driver_sql("PRAGMA secure_delete=ON")
        done = conn.execute(
            installations.update()
            .where(installations.c.portal_id == portal_id)
            .values(
                status=InstallationStatus.UNINSTALLED.value,
                version=installations.c.version + 1,  # in-flight refreshes lose their CAS
                access_expires_at=None,
                updated_at=db.clock.now(),
                **_ERASED,
            )
        ).rowcount
        if done != 1:
            raise UnknownPortalError(f"portal {portal_id} is not installed")
        conn.execute(data_keys.delete().where(data_keys.c.portal_id == portal_id))
        db.log(conn, "vault.erase", portal_id)
    log.info("portal %s: data key and secrets erased", portal_id)
    if not db.is_postgres:
        with db.read("erase checkpoint") as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def rewrap_all(db: VaultSql, keyring: MasterKeyring) -> int:
    """Re-wrap every data key not under the newest master key; returns how many were.

    Row by row, each in its own short transaction, so readers never wait long and an
    interrupted rotation simply resumes. The data keys themselves (and so every ciphertext and
    CAS version) stay as they are. Raises UnknownKeyError naming a key that a row needs.
    """
    newest = keyring.newest.key_id
    with db.read("rotate_master_key") as conn:
        pending = (
            conn.execute(
                sa.select(data_keys.c.portal_id)
                .where(data_keys.c.key_id != newest)
                .order_by(data_keys.c.portal_id)
            )
            .scalars()
            .all()
        )
    rewrapped = 0
    for pid in pending:
        with db.write("rotate_master_key") as conn:
            query = sa.select(data_keys).where(data_keys.c.portal_id == pid)
            row = conn.execute(db.for_update(query, data_keys)).first()
            if row is None or row.key_id == newest:
                continue  # erased or re-installed meanwhile
            dek = keyring.unwrap(pid, row.key_id, bytes(row.wrapped_key))
            key_id, wrapped = keyring.wrap(pid, dek)
            conn.execute(
                data_keys.update()
                .where(data_keys.c.portal_id == pid)
                .values(key_id=key_id, wrapped_key=wrapped, rewrapped_at=db.clock.now())
            )
            db.log(conn, "vault.rewrap", pid, {"from": row.key_id, "to": key_id})
            rewrapped += 1
    with db.write("rotate_master_key") as conn:
        was = audit_chain.rewrap_key(conn, keyring, db.clock.now())
        if was is not None:
            db.log(conn, "vault.rewrap_audit_key", None, {"from": was, "to": newest})
        db.log(conn, "keys.rotate", None, {"key_id": newest, "rewrapped": rewrapped})
    log.info("master key rotation: %d data key(s) re-wrapped under %s", rewrapped, newest)
    return rewrapped
