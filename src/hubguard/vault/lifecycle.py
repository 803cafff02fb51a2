"""Key lifecycle: crypto-erasure of one portal, and online re-wrapping under a new master key
(every portal's data key, and the audit log's key)."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from hubguard.db import SQLITE_BUSY_TIMEOUT_MS
from hubguard.errors import UnknownPortalError
from hubguard.models import InstallationStatus
from hubguard.vault import audit as audit_chain
from hubguard.vault.crypto import MasterKeyring
from hubguard.vault.sql import SECRET_COLUMNS, VaultSql
from hubguard.vault.tables import data_keys, installations

__all__ = ["erase_portal", "rewrap_all", "scrub"]

log = logging.getLogger(__name__)
_ERASED = {f"{name}_ct": None for name in SECRET_COLUMNS}


def erase_portal(db: VaultSql, portal_id: int) -> bool:
    """Delete the portal's data key and ciphertexts, mark it uninstalled, audit it; then
    :func:`scrub`. Returns whether the scrub was complete.

    What no database operation reaches: PostgreSQL's WAL (and its archives, replicas and base
    backups) and any backup of a SQLite file keep the old bytes, the wrapped data key included,
    readable with the master key that wrapped it. Rotating the master key and retiring the old
    one (``hubguard keys rotate``) makes every such copy undecryptable: that is the last step
    of an erasure.
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
    return scrub(db)


SCRUB_WAIT_MS = 2_000  # how long a SQLite checkpoint waits for readers before giving up


def scrub(db: VaultSql) -> bool:
    """Push erased bytes out of the live database files; whether that was complete.

    PostgreSQL: VACUUM the vault's tables, so dead row versions (the deleted data key, the
    nulled ciphertexts) leave the heap now, not whenever autovacuum comes by. SQLite: freed
    pages were overwritten (``secure_delete``); a TRUNCATE checkpoint moves the WAL's copies
    into the file and empties the WAL, but it cannot while another connection reads, so it
    waits at most ``SCRUB_WAIT_MS`` and reports an incomplete scrub (call again later).
    """
    if db.is_postgres:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f"VACUUM {data_keys.name}, {installations.name}")
        return True
    with db.read("erase checkpoint") as conn:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={SCRUB_WAIT_MS}")
        try:
            row = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    complete = row is not None and row[0] == 0
    if not complete:
        log.warning("erased secrets are still in the SQLite WAL (readers active); retrying later")
    return complete


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
