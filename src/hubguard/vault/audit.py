"""The append-only, hash-chained audit log of credential use.

Each entry's hash covers its own fields and the previous entry's hash, so editing, deleting or
reordering a past row breaks every later link and :func:`verify_chain` finds the first bad seq.
Appends are serialised (SQLite: the writer holds ``BEGIN IMMEDIATE``; PostgreSQL: a transaction
advisory lock), which keeps ``seq`` gapless and the chain linear under concurrency.

Details never hold secrets: every key and value passes through :func:`hubguard.logs.redact`,
which replaces registered secrets and token-shaped strings before anything is written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hubguard.logs import redact
from hubguard.models import AuditEntry
from hubguard.vault.tables import audit_log

__all__ = [
    "GENESIS_HASH",
    "AuditChainReport",
    "append",
    "entry_hash",
    "head",
    "read",
    "verify_chain",
]

GENESIS_HASH = "0" * 64
# pg_advisory_xact_lock key for "the audit chain head" (an arbitrary, fixed 63-bit number).
_AUDIT_LOCK_KEY = 0x6875_6267_6175_6431  # "hubgaud1"


@dataclass(frozen=True)
class AuditChainReport:
    """Outcome of a chain check. Truthy when every entry links and hashes correctly."""

    ok: bool
    entries: int
    first_bad_seq: int | None = None

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
) -> str:
    """SHA-256 over the previous hash and a canonical JSON of the entry."""
    body = json.dumps(
        [seq, at, portal_id, operation, actor, dict(detail)],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def append(
    conn: Connection,
    *,
    at: float,
    operation: str,
    actor: str,
    portal_id: int | None = None,
    detail: Mapping[str, object] | None = None,
) -> AuditEntry:
    """Append one entry inside the caller's (write) transaction."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_AUDIT_LOCK_KEY)))
    last_seq, prev = head(conn)
    seq = last_seq + 1
    clean = _clean_detail(detail)
    operation, actor = redact(operation)[:64], redact(actor)[:64]  # the columns' width
    digest = entry_hash(prev, seq, at, portal_id, operation, actor, clean)
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
        )
    )
    return AuditEntry(seq, at, portal_id, operation, actor, clean, digest)


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


def verify_chain(rows: Iterable[Any], anchor: tuple[int, str] | None = None) -> AuditChainReport:
    """Check rows (in seq order) link, hash, and number 1, 2, 3, ... without gaps.

    A chain cannot notice its newest entries being cut off. ``anchor`` is a ``(seq, hash)``
    recorded earlier outside the database (see :func:`head`): the check then also fails unless
    that entry is still there, unchanged.
    """
    prev = GENESIS_HASH
    count = 0
    anchored = anchor is None
    for row in rows:
        count += 1
        seq = int(row.seq)
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
        )
        if seq != count or row.prev_hash != prev or row.entry_hash != expected:
            return AuditChainReport(False, count, seq)
        if anchor is not None and seq == anchor[0]:
            if expected != anchor[1]:
                return AuditChainReport(False, count, seq)
            anchored = True
        prev = expected
    if not anchored:
        assert anchor is not None
        return AuditChainReport(False, count, anchor[0])
    return AuditChainReport(True, count)


def head(conn: Connection) -> tuple[int, str]:
    """The newest entry's ``(seq, hash)`` (``(0, GENESIS_HASH)`` when empty), to keep elsewhere."""
    last = conn.execute(
        sa.select(audit_log.c.seq, audit_log.c.entry_hash).order_by(audit_log.c.seq.desc()).limit(1)
    ).first()
    return (0, GENESIS_HASH) if last is None else (int(last.seq), str(last.entry_hash))
