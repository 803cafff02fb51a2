"""The SQL token vault: one SQLAlchemy Core implementation of :class:`TokenVault`.

The same statements run on SQLite (embedded default) and PostgreSQL (scale-out); every write is
one short transaction (see :mod:`hubguard.vault.sql`). Nothing is cached between calls: every read sees what other processes committed, which is what a token
refresh that re-reads after taking :meth:`SqlTokenVault.refresh_lock` relies on.
"""

from __future__ import annotations

import builtins
import contextlib
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hubguard.clock import Clock, SystemClock
from hubguard.config import Secret, Settings
from hubguard.errors import ConfigError, CredentialsErasedError, UnknownPortalError, VaultError
from hubguard.logs import register_secret
from hubguard.models import (
    AuditEntry,
    AuthType,
    Installation,
    InstallationStatus,
    StoredCredentials,
    TokenSet,
)
from hubguard.vault import audit as audit_chain
from hubguard.vault.crypto import DataKey, MasterKeyring
from hubguard.vault.lifecycle import erase_portal, rewrap_all, scrub
from hubguard.vault.locks import RefreshLocks
from hubguard.vault.sql import (
    SECRET_COLUMNS,
    VaultSql,
    error_code,
    installation_from_row,
    translated,
)
from hubguard.vault.tables import audit_log as audit_table
from hubguard.vault.tables import data_keys, installations

__all__ = ["SECRET_COLUMNS", "SqlTokenVault"]


class SqlTokenVault:
    """Installations and encrypted credentials in SQL, plus the hash-chained audit log.

    ``engine`` must be migrated (:func:`hubguard.db.migrate`); :meth:`from_settings` does both.
    ``actor`` names this process in audit entries the vault writes by itself.
    """

    def __init__(
        self,
        engine: Engine,
        keyring: MasterKeyring,
        *,
        clock: Clock | None = None,
        actor: str = "hubguard",
    ) -> None:
        self._engine = engine
        self._keyring = keyring
        self._clock = clock or SystemClock()
        self._db = VaultSql(engine, self._clock, actor, keyring)
        self._locks = RefreshLocks(engine)
        self._scrub_pending = False  # an erasure whose bytes are still in a side file

    @classmethod
    def from_settings(
        cls, settings: Settings, *, clock: Clock | None = None, actor: str = "hubguard"
    ) -> SqlTokenVault:
        """The vault for ``settings``: parse the master keys, open and migrate the database."""
        from hubguard.db import create_engine, migrate

        keyring = MasterKeyring.parse(settings.master_keys)  # before touching the database
        try:
            engine = create_engine(settings.effective_database_url)
        except (OSError, ValueError, ImportError, sa.exc.ArgumentError) as exc:
            # A malformed URL (a port that is no number), a database file that cannot be made:
            # the operator's to fix, said in a line (not the URL: it may hold a password).
            raise ConfigError(
                f"HUBGUARD_DATABASE_URL / HUBGUARD_DATA_DIR: cannot open the database "
                f"({type(exc).__name__})"
            ) from None
        with translated("migrate"):
            migrate(engine)
        return cls(engine, keyring, clock=clock, actor=actor)

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def keyring(self) -> MasterKeyring:
        return self._keyring

    def __repr__(self) -> str:
        return f"SqlTokenVault({self._engine.url!r}, {self._keyring!r})"

    # -- installations --------------------------------------------------------------------------

    def save_oauth_installation(self, installation: Installation, tokens: TokenSet) -> Installation:
        """Insert or replace (re-install) a portal's OAuth grant; a fresh data key each time."""
        pid = installation.portal_id
        dek = DataKey.generate()
        register_secret(tokens.access_token.reveal())
        refresh_ct = None
        if tokens.refresh_token is not None:
            register_secret(tokens.refresh_token.reveal())
            refresh_ct = dek.encrypt(pid, "refresh_token", tokens.refresh_token.reveal())
        values: dict[str, Any] = {
            "auth_type": AuthType.OAUTH.value,
            "status": installation.status.value,
            "scopes_granted": " ".join(installation.scopes_granted or tokens.scopes),
            "installed_at": installation.installed_at,
            "hub_domain": installation.hub_domain,
            "user_email": installation.user,
            "user_id": installation.user_id,
            "access_expires_at": tokens.expires_at,
            "last_refresh_at": installation.last_refresh_at,
            "refresh_failures": installation.refresh_failures,
            "last_error": error_code(installation.last_error),
            "access_token_ct": dek.encrypt(pid, "access_token", tokens.access_token.reveal()),
            "refresh_token_ct": refresh_ct,
            "service_key_ct": None,
        }
        return self._upsert(pid, values, dek, "vault.install")

    def save_service_key(self, portal_id: int, key: Secret, scopes: Sequence[str]) -> Installation:
        """Connect (or re-key) a portal with a service key; a fresh data key each time."""
        register_secret(key.reveal())
        dek = DataKey.generate()
        values: dict[str, Any] = {
            "auth_type": AuthType.SERVICE_KEY.value,
            "status": InstallationStatus.ACTIVE.value,
            "scopes_granted": " ".join(scopes),
            "installed_at": self._clock.now(),
            "hub_domain": None,
            "user_email": None,
            "user_id": None,
            "access_expires_at": None,
            "last_refresh_at": None,
            "refresh_failures": 0,
            "last_error": None,
            "access_token_ct": None,
            "refresh_token_ct": None,
            "service_key_ct": dek.encrypt(portal_id, "service_key", key.reveal()),
        }
        return self._upsert(portal_id, values, dek, "vault.service_key")

    def _upsert(
        self, pid: int, values: dict[str, Any], dek: DataKey, operation: str
    ) -> Installation:
        key_id, wrapped = self._keyring.wrap(pid, dek)
        now = self._clock.now()
        values = {**values, "updated_at": now}
        for attempt in (1, 2):
            try:
                with self._db.write(operation) as conn:
                    current = conn.execute(
                        self._db.for_update(
                            sa.select(installations.c.version).where(
                                installations.c.portal_id == pid
                            )
                        )
                    ).first()
                    if current is None:
                        conn.execute(
                            installations.insert().values(portal_id=pid, version=1, **values)
                        )
                    else:
                        conn.execute(
                            installations.update()
                            .where(installations.c.portal_id == pid)
                            .values(version=int(current.version) + 1, **values)
                        )
                    conn.execute(data_keys.delete().where(data_keys.c.portal_id == pid))
                    conn.execute(
                        data_keys.insert().values(
                            portal_id=pid, key_id=key_id, wrapped_key=wrapped, created_at=now
                        )
                    )
                    self._db.log(conn, operation, pid, {"auth_type": values["auth_type"]})
                    row = conn.execute(
                        self._db.with_key().where(installations.c.portal_id == pid)
                    ).one()
                    return installation_from_row(row)
            except VaultError:
                # Two first installs of one portal raced on PostgreSQL: the loser updates.
                if attempt == 2 or not self._db.is_postgres:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, portal_id: int) -> Installation | None:
        with self._db.read("get") as conn:
            row = conn.execute(
                self._db.with_key().where(installations.c.portal_id == portal_id)
            ).first()
        return None if row is None else installation_from_row(row)

    def list(self) -> list[Installation]:
        with self._db.read("list") as conn:
            rows = conn.execute(self._db.with_key().order_by(installations.c.portal_id)).all()
        return [installation_from_row(row) for row in rows]

    # -- credentials ----------------------------------------------------------------------------

    def credentials(self, portal_id: int) -> StoredCredentials:
        """Decrypt a portal's credentials (read fresh from the database, never cached).

        Raises UnknownPortalError, CredentialsErasedError, UnknownKeyError or DecryptionError.
        """
        query = (
            sa.select(installations, data_keys.c.key_id, data_keys.c.wrapped_key)
            .select_from(
                installations.outerjoin(
                    data_keys, data_keys.c.portal_id == installations.c.portal_id
                )
            )
            .where(installations.c.portal_id == portal_id)
        )
        with self._db.read("credentials") as conn:
            row = conn.execute(query).first()
        if row is None:
            raise UnknownPortalError(f"portal {portal_id} is not installed")
        if row.wrapped_key is None:
            raise CredentialsErasedError(
                f"portal {portal_id}'s credentials were erased (status {row.status})"
            )
        dek = self._keyring.unwrap(portal_id, row.key_id, row.wrapped_key)
        plain: dict[str, Secret | None] = {}
        for name in SECRET_COLUMNS:
            blob = getattr(row, f"{name}_ct")
            if blob is None:
                plain[name] = None
                continue
            value = dek.decrypt(portal_id, name, bytes(blob))
            register_secret(value)
            plain[name] = Secret(value)
        return StoredCredentials(
            portal_id=portal_id,
            auth_type=AuthType(row.auth_type),
            version=int(row.version),
            access_token=plain["access_token"],
            refresh_token=plain["refresh_token"],
            expires_at=row.access_expires_at,
            service_key=plain["service_key"],
        )

    def swap_tokens(self, portal_id: int, expected_version: int, tokens: TokenSet) -> bool:
        """Write refreshed tokens only if the stored version is still ``expected_version``.

        A refresh token of None keeps the stored one. Success resets the failure counter.
        """
        register_secret(tokens.access_token.reveal())
        if tokens.refresh_token is not None:
            register_secret(tokens.refresh_token.reveal())
        with self._db.write("swap_tokens") as conn:
            row = conn.execute(
                self._db.for_update(
                    sa.select(installations.c.version, data_keys.c.key_id, data_keys.c.wrapped_key)
                    .select_from(
                        installations.outerjoin(
                            data_keys, data_keys.c.portal_id == installations.c.portal_id
                        )
                    )
                    .where(installations.c.portal_id == portal_id)
                )
            ).first()
            if row is None:
                raise UnknownPortalError(f"portal {portal_id} is not installed")
            if int(row.version) != expected_version:
                return False
            if row.wrapped_key is None:
                raise CredentialsErasedError(f"portal {portal_id}'s credentials were erased")
            dek = self._keyring.unwrap(portal_id, row.key_id, row.wrapped_key)
            now = self._clock.now()
            values: dict[str, Any] = {
                "version": expected_version + 1,
                "access_token_ct": dek.encrypt(
                    portal_id, "access_token", tokens.access_token.reveal()
                ),
                "access_expires_at": tokens.expires_at,
                "last_refresh_at": now,
                "refresh_failures": 0,
                "last_error": None,
                "updated_at": now,
            }
            if tokens.refresh_token is not None:
                values["refresh_token_ct"] = dek.encrypt(
                    portal_id, "refresh_token", tokens.refresh_token.reveal()
                )
            if tokens.scopes:
                values["scopes_granted"] = " ".join(tokens.scopes)
            done = conn.execute(
                installations.update()
                .where(installations.c.portal_id == portal_id)
                .where(installations.c.version == expected_version)
                .values(**values)
            ).rowcount
            if done != 1:  # pragma: no cover - the row lock above makes this impossible
                return False
            self._db.log(
                conn,
                "vault.tokens_swapped",
                portal_id,
                {"version": expected_version + 1, "expires_at": tokens.expires_at},
            )
            return True

    def refresh_lock(self, portal_id: int) -> contextlib.AbstractContextManager[None]:
        """Single-flight per portal across threads and processes (see :mod:`vault.locks`).

        Inside it, re-read :meth:`credentials` (another process may have refreshed already) and
        write with :meth:`swap_tokens`; both use their own short transactions. Not reentrant:
        taking the same portal's lock again in the same thread blocks forever.
        """
        return self._locks.hold(portal_id)

    # -- status ---------------------------------------------------------------------------------

    def set_status(
        self,
        portal_id: int,
        status: InstallationStatus,
        *,
        error: str | None = None,
        if_version: int | None = None,
    ) -> bool:
        """Set a portal's status and its last error code (None clears it). With ``if_version``,
        only while the credentials are still that version (a grant found dead must not mark a
        re-install that landed meanwhile); returns whether the status was set."""
        with self._db.write("set_status") as conn:
            exists = conn.execute(
                sa.select(installations.c.version).where(installations.c.portal_id == portal_id)
            ).first()
            if exists is None:
                raise UnknownPortalError(f"portal {portal_id} is not installed")
            if if_version is not None and exists.version != if_version:
                return False
            conn.execute(
                installations.update()
                .where(installations.c.portal_id == portal_id)
                .values(
                    status=status.value, last_error=error_code(error), updated_at=self._clock.now()
                )
            )
            self._db.log(conn, "vault.status", portal_id, {"status": status.value, "error": error})
        return True

    def record_refresh_failure(self, portal_id: int, error: str) -> int:
        """Count a failed refresh; returns the number of consecutive failures."""
        with self._db.write("record_refresh_failure") as conn:
            done = conn.execute(
                installations.update()
                .where(installations.c.portal_id == portal_id)
                .values(
                    refresh_failures=installations.c.refresh_failures + 1,
                    last_error=error_code(error),
                    updated_at=self._clock.now(),
                )
            ).rowcount
            if done != 1:
                raise UnknownPortalError(f"portal {portal_id} is not installed")
            failures = int(
                conn.execute(
                    sa.select(installations.c.refresh_failures).where(
                        installations.c.portal_id == portal_id
                    )
                ).scalar_one()
            )
            self._db.log(
                conn, "vault.refresh_failure", portal_id, {"error": error, "failures": failures}
            )
        return failures

    # -- erasure and rotation -------------------------------------------------------------------

    def erase(self, portal_id: int) -> None:
        """Crypto-erasure: destroy the data key and ciphertexts; the row stays, uninstalled.
        (See :func:`hubguard.vault.lifecycle.erase_portal` for what else it takes.)"""
        self._scrub_pending = not erase_portal(self._db, portal_id)

    def finish_erasure(self) -> bool:
        """Retry an erasure's scrub that readers kept from completing (a maintenance job);
        True when nothing is pending."""
        if self._scrub_pending:
            self._scrub_pending = not scrub(self._db)
        return not self._scrub_pending

    def rotate_master_key(self) -> int:
        """Re-wrap every data key (and the audit log's key) under the newest master key, online;
        returns how many data keys were re-wrapped."""
        return rewrap_all(self._db, self._keyring)

    # -- audit ----------------------------------------------------------------------------------

    def audit(
        self,
        operation: str,
        *,
        portal_id: int | None = None,
        actor: str = "hubguard",
        detail: dict[str, str] | None = None,
    ) -> AuditEntry:
        """Append one entry. Detail keys and values are redacted before they are written."""
        with self._db.write("audit") as conn:
            return self._db.log(conn, operation, portal_id, dict(detail or {}), actor=actor)

    def audit_log(
        self, portal_id: int | None = None, limit: int = 1000
    ) -> builtins.list[AuditEntry]:
        """The newest ``limit`` entries (of one portal, or all), oldest first."""
        with self._db.read("audit_log") as conn:
            return audit_chain.read(conn, portal_id, limit)

    def audit_head(self) -> tuple[int, str]:
        """The newest audit entry's ``(seq, hash)``: record it elsewhere to detect truncation."""
        with self._db.read("audit_head") as conn:
            return audit_chain.head(conn)

    def verify_audit_chain(
        self, anchor: tuple[int, str] | None = None
    ) -> audit_chain.AuditChainReport:
        """Re-compute every entry's seal; falsy (with the first bad seq) if any past row was
        altered, even by someone who re-computed the chain without the master key.

        With ``anchor`` (an earlier :meth:`audit_head`), cutting off recent entries is caught too.
        """
        query = sa.select(audit_table).order_by(audit_table.c.seq)
        with self._db.read("verify_audit_chain") as conn:
            key, first_sealed = audit_chain.read_key(conn, self._keyring) or (
                b"",
                audit_chain.UNKEYED,
            )
            rows = conn.execution_options(yield_per=1000).execute(query)
            try:
                return audit_chain.verify_chain(rows, key, first_sealed, anchor)
            finally:
                rows.close()  # an early verdict leaves a server-side cursor open otherwise
