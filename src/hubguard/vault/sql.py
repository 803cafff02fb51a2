"""Plumbing shared by the vault's SQL modules: transactions, the error boundary, row mapping.

Every write is one short transaction: ``BEGIN IMMEDIATE`` on SQLite (take the write lock up
front, so a read-then-write never hits a stale snapshot), ``SELECT ... FOR UPDATE`` on
PostgreSQL. SQLAlchemy errors are translated into :class:`~hubguard.errors.VaultError` here,
once, with the driver's message only (never the statement's parameters).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from hubguard.clock import Clock
from hubguard.errors import VaultError
from hubguard.logs import redact
from hubguard.models import AuditEntry, AuthType, Installation, InstallationStatus
from hubguard.vault import audit as audit_chain
from hubguard.vault.crypto import MasterKeyring
from hubguard.vault.tables import data_keys, installations

__all__ = ["SECRET_COLUMNS", "VaultSql", "error_code", "installation_from_row", "translated"]

# The name of each encrypted column is part of its ciphertext's AAD.
SECRET_COLUMNS = ("access_token", "refresh_token", "service_key")
_META = [c for c in installations.c if not c.name.endswith("_ct")]


def error_code(error: str | None) -> str | None:
    """Error codes are short and never secrets: redact, and fit the column."""
    return None if error is None else redact(error)[:200]


@contextlib.contextmanager
def translated(operation: str) -> Iterator[None]:
    """SQLAlchemy errors become VaultError here, once; the DBAPI message carries no parameters."""
    try:
        yield
    except sa.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0]
        raise VaultError(f"vault database error during {operation}: {reason}") from None


def installation_from_row(row: Any) -> Installation:
    return Installation(
        portal_id=int(row.portal_id),
        auth_type=AuthType(row.auth_type),
        status=InstallationStatus(row.status),
        scopes_granted=tuple(str(row.scopes_granted).split()),
        installed_at=float(row.installed_at),
        hub_domain=row.hub_domain,
        user=row.user_email,
        user_id=None if row.user_id is None else int(row.user_id),
        access_expires_at=row.access_expires_at,
        last_refresh_at=row.last_refresh_at,
        refresh_failures=int(row.refresh_failures),
        last_error=row.last_error,
        key_id=row.key_id,
        updated_at=None if row.updated_at is None else float(row.updated_at),
    )


class VaultSql:
    """One engine's read and write transactions, row locks, and audit appends."""

    def __init__(self, engine: Engine, clock: Clock, actor: str, keyring: MasterKeyring) -> None:
        self.engine = engine
        self.clock = clock
        self.actor = actor
        self.keyring = keyring
        self.is_postgres = engine.dialect.name == "postgresql"
        self._writer = engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        self._audit_key: bytes | None = None  # unwrapped once; re-wrapping never changes it

    @contextlib.contextmanager
    def write(self, operation: str) -> Iterator[Connection]:
        with translated(operation), self._writer.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def read(self, operation: str) -> Iterator[Connection]:
        with translated(operation), self.engine.connect() as conn:
            yield conn

    def for_update(self, query: sa.Select[Any], of: sa.Table = installations) -> sa.Select[Any]:
        # SQLite needs no row lock: BEGIN IMMEDIATE already holds the database's write lock.
        return query.with_for_update(of=of) if self.is_postgres else query

    def log(
        self,
        conn: Connection,
        operation: str,
        portal_id: int | None,
        detail: dict[str, object] | None = None,
        *,
        actor: str | None = None,
    ) -> AuditEntry:
        """Append a sealed audit entry (by this vault's actor unless named) inside ``conn``'s
        transaction."""
        key = self._audit_key
        if key is None:
            audit_chain.lock(conn)  # a key made now seals from the next entry on
            found = audit_chain.read_key(conn, self.keyring)
            if found is not None:
                key = self._audit_key = found[0]
            else:  # not remembered: this transaction may yet roll back
                key = audit_chain.create_key(conn, self.keyring, self.clock.now())
        return audit_chain.append(
            conn,
            key=key,
            at=self.clock.now(),
            operation=operation,
            actor=actor or self.actor,
            portal_id=portal_id,
            detail=detail,
        )

    @staticmethod
    def with_key() -> sa.Select[Any]:
        """Installation metadata (no ciphertexts) joined with its data key's id."""
        return sa.select(*_META, data_keys.c.key_id).select_from(
            installations.outerjoin(data_keys, data_keys.c.portal_id == installations.c.portal_id)
        )
