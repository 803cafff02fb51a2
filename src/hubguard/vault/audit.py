"""The append-only, hash-chained, keyed audit log of credential use.

Each entry's hash covers its own fields and the previous entry's hash, so editing, deleting or
reordering a past row breaks every later link and :func:`verify_chain` finds the first bad seq.
The hash is an HMAC-SHA-256 under the audit key (``vault_audit_key``, wrapped by the master
key): someone who can write to the database but holds no master key cannot re-compute a
consistent chain after changing a row. What a key cannot show is the newest entries cut off, or
the whole log replaced together with its key; a head kept elsewhere (``hubguard audit
--anchor``) shows both. Entries from before the log had a key are plain SHA-256 links and are
counted as unsealed.

Appends are serialised (SQLite: the writer holds ``BEGIN IMMEDIATE``; PostgreSQL: a transaction
advisory lock), which keeps ``seq`` gapless and the chain linear under concurrency.

Details never hold secrets: every key and value passes through :func:`hubguard.logs.redact`,
which replaces registered secrets and token-shaped strings before anything is written.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hubguard.logs import redact
from hubguard.models import AuditEntry
from hubguard.vault.crypto import MasterKeyring
from hubguard.vault.tables import audit_key, audit_log

__all__ = [
    "GENESIS_HASH",
    "AuditChainReport",
    "append",
    "create_key",
    "entry_hash",
    "head",
    "lock",
    "read",
    "read_key",
    "rewrap_key",
    "verify_chain",
]

GENESIS_HASH = "0" * 64
# pg_advisory_xact_lock key for "the audit chain head" (an arbitrary, fixed 63-bit number).
_AUDIT_LOCK_KEY = 0x6875_6267_6175_6431  # "hubgaud1"
_KEY_BYTES = 32
UNKEYED = 2**62  # "first sealed seq" of a log that has no key yet: every entry is unsealed


@dataclass(frozen=True)
class AuditChainReport:
    """Outcome of a chain check. Truthy when every entry links and hashes correctly."""

    ok: bool
    entries: int
    first_bad_seq: int | None = None
    unsealed: int = 0  # entries from before the log had a key (plain SHA-256 links)

    def __bool__(self) -> bool:
        return self.ok


def _clean_detail(detail: Mapping[str, object] | None) -> dict[str, str]:
    # None means "not applicable": leave the key out rather than store the string "None".
    return {redact(str(k)): redact(str(v)) for k, v in (detail or {}).items() if v is not None}


def entry_hash(
    prev_hash: str,
    seq: int,
    at: float,
    portal_id: int | None,
    operation: str,
    actor: str,
    detail: Mapping[str, str],
    key: bytes | None = None,
) -> str:
    """HMAC-SHA-256 under ``key`` (plain SHA-256 without one, as before the log had a key) over
    the previous hash and a canonical JSON of the entry."""
    body = json.dumps(
        [seq, at, portal_id, operation, actor, dict(detail)],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    message = f"{prev_hash}\n{body}".encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def append(
    conn: Connection,
    *,
    key: bytes,
    at: float,
    operation: str,
    actor: str,
    portal_id: int | None = None,
    detail: Mapping[str, object] | None = None,
) -> AuditEntry:
    """Append one entry, sealed under ``key``, inside the caller's (write) transaction."""
    lock(conn)
    last_seq, prev = head(conn)
    seq = last_seq + 1
    clean = _clean_detail(detail)
    operation, actor = redact(operation)[:64], redact(actor)[:64]  # the columns' width
    digest = entry_hash(prev, seq, at, portal_id, operation, actor, clean, key)
    conn.execute(
        audit_log.insert().values(
            seq=seq,
            at=at,
            portal_id=portal_id,
            operation=operation,
            actor=actor,
            detail=json.dumps(clean, sort_keys=True),
            prev_hash=prev,
            entry_hash=digest,
            sealed=True,
        )
    )
    return AuditEntry(seq, at, portal_id, operation, actor, clean, digest)


def lock(conn: Connection) -> None:
    """Hold the chain's head until the transaction ends (SQLite: BEGIN IMMEDIATE already does)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_AUDIT_LOCK_KEY)))


_KEY_ROW = sa.select(audit_key).where(audit_key.c.id == 1)


def _unwrapped(row: Any, keyring: MasterKeyring) -> tuple[bytes, int]:
    first_seq = int(row.first_seq)
    return keyring.unwrap_audit_key(str(row.key_id), bytes(row.wrapped_key), first_seq), first_seq


def read_key(conn: Connection, keyring: MasterKeyring) -> tuple[bytes, int] | None:
    """The audit key and the first entry it seals; None while the log has no key."""
    row = conn.execute(_KEY_ROW).first()
    return None if row is None else _unwrapped(row, keyring)


def create_key(conn: Connection, keyring: MasterKeyring, now: float) -> bytes:
    """Make the log's key (the caller holds :func:`lock` and found none): it seals every entry
    from the next one on."""
    material = secrets.token_bytes(_KEY_BYTES)
    first_seq = head(conn)[0] + 1
    key_id, wrapped = keyring.wrap_audit_key(material, first_seq)
    conn.execute(
        audit_key.insert().values(
            id=1, key_id=key_id, wrapped_key=wrapped, first_seq=first_seq, created_at=now
        )
    )
    return material


def rewrap_key(conn: Connection, keyring: MasterKeyring, now: float) -> str | None:
    """Re-wrap the audit key under the newest master key; returns the id it was under, or None
    when there was nothing to do. The key itself (so every entry's seal) stays the same."""
    query = _KEY_ROW.with_for_update() if conn.dialect.name == "postgresql" else _KEY_ROW
    row = conn.execute(query).first()
    if row is None or row.key_id == keyring.newest.key_id:
        return None
    key_id, wrapped = keyring.wrap_audit_key(*_unwrapped(row, keyring))
    conn.execute(
        audit_key.update()
        .where(audit_key.c.id == 1)
        .values(key_id=key_id, wrapped_key=wrapped, rewrapped_at=now)
    )
    return str(row.key_id)


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        seq=int(row.seq),
        at=float(row.at),
        portal_id=None if row.portal_id is None else int(row.portal_id),
        operation=str(row.operation),
        actor=str(row.actor),
        detail=dict(json.loads(row.detail)),
        entry_hash=str(row.entry_hash),
    )


def read(conn: Connection, portal_id: int | None, limit: int) -> list[AuditEntry]:
    """The newest ``limit`` entries (of one portal, or all), oldest first."""
    query = sa.select(audit_log).order_by(audit_log.c.seq.desc()).limit(limit)
    if portal_id is not None:
        query = query.where(audit_log.c.portal_id == portal_id)
    return [_entry(row) for row in reversed(conn.execute(query).all())]


def verify_chain(
    rows: Iterable[Any], key: bytes, first_sealed: int, anchor: tuple[int, str] | None = None
) -> AuditChainReport:
    """Check rows (in seq order) link, hash, and number 1, 2, 3, ... without gaps.

    Entries from ``first_sealed`` on must be sealed under ``key``; those before it must not be
    (they predate the key). A chain cannot notice its newest entries being cut off. ``anchor``
    is a ``(seq, hash)`` recorded earlier outside the database (see :func:`head`): the check
    then also fails unless that entry is still there, unchanged.
    """
    prev = GENESIS_HASH
    count = 0
    anchored = anchor is None
    for row in rows:
        count += 1
        seq = int(row.seq)
        sealed = seq >= first_sealed
        try:
            detail = json.loads(row.detail)
        except ValueError:
            return AuditChainReport(False, count, seq)
        expected = entry_hash(
            prev,
            seq,
            float(row.at),
            None if row.portal_id is None else int(row.portal_id),
            str(row.operation),
            str(row.actor),
            detail,
            key if sealed else None,
        )
        if (
            seq != count
            or bool(row.sealed) != sealed
            or row.prev_hash != prev
            or not _same(str(row.entry_hash), expected)
        ):
            return AuditChainReport(False, count, seq)
        if anchor is not None and seq == anchor[0]:
            if not _same(expected, anchor[1]):
                return AuditChainReport(False, count, seq)
            anchored = True
        prev = expected
    if not anchored:
        assert anchor is not None
        return AuditChainReport(False, count, anchor[0])
    return AuditChainReport(True, count, unsealed=min(count, first_sealed - 1))


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def head(conn: Connection) -> tuple[int, str]:
    """The newest entry's ``(seq, hash)`` (``(0, GENESIS_HASH)`` when empty), to keep elsewhere."""
    last = conn.execute(
        sa.select(audit_log.c.seq, audit_log.c.entry_hash).order_by(audit_log.c.seq.desc()).limit(1)
    ).first()
    return (0, GENESIS_HASH) if last is None else (int(last.seq), str(last.entry_hash))
