"""The contract every vault backend keeps. One contract test suite runs it on each backend."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from hubguard.config import Secret
from hubguard.models import (
    AuditEntry,
    Installation,
    InstallationStatus,
    StoredCredentials,
    TokenSet,
)
from hubguard.vault.audit import AuditChainReport

__all__ = ["TokenVault"]


class TokenVault(Protocol):
    """Installations and their encrypted credentials, plus the append-only audit log."""

    def save_oauth_installation(self, installation: Installation, tokens: TokenSet) -> Installation:
        """Insert or replace (re-install) a portal's OAuth grant; a fresh data key each time."""
        ...

    def save_service_key(self, portal_id: int, key: Secret, scopes: Sequence[str]) -> Installation:
        """Connect (or re-key) a portal with a service key."""
        ...

    def get(self, portal_id: int) -> Installation | None: ...

    def list(self) -> list[Installation]: ...

    def credentials(self, portal_id: int) -> StoredCredentials:
        """Decrypt the portal's credentials. Raises VaultError subclasses on tampering."""
        ...

    def swap_tokens(self, portal_id: int, expected_version: int, tokens: TokenSet) -> bool:
        """Write new tokens only if the stored version is still ``expected_version``."""
        ...

    def refresh_lock(self, portal_id: int) -> AbstractContextManager[None]:
        """Single-flight per portal across threads and processes (PostgreSQL advisory lock,
        SQLite ``flock`` beside the database). Re-read credentials inside it; write with CAS."""
        ...

    def set_status(
        self,
        portal_id: int,
        status: InstallationStatus,
        *,
        error: str | None = None,
        if_version: int | None = None,
    ) -> bool:
        """Set the status (only while the credentials are ``if_version``, if given); whether
        it was set."""
        ...

    def record_refresh_failure(self, portal_id: int, error: str) -> int:
        """Count a failed refresh; returns the number of consecutive failures."""
        ...

    def erase(self, portal_id: int) -> None:
        """Crypto-erasure: destroy the portal's data key and ciphertexts; status uninstalled."""
        ...

    def rotate_master_key(self) -> int:
        """Re-wrap every data key under the newest master key; returns rows re-wrapped."""
        ...

    def audit(
        self,
        operation: str,
        *,
        portal_id: int | None = None,
        actor: str = "hubguard",
        detail: dict[str, str] | None = None,
    ) -> AuditEntry: ...

    def audit_log(
        self, portal_id: int | None = None, limit: int = 1000
    ) -> builtins.list[AuditEntry]:
        """The newest ``limit`` entries (of one portal, or all), oldest first."""
        ...

    def audit_head(self) -> tuple[int, str]:
        """The newest audit entry's ``(seq, hash)``, to record outside the database."""
        ...

    def verify_audit_chain(self, anchor: tuple[int, str] | None = None) -> AuditChainReport:
        """Re-hash the whole audit log; falsy, naming the first bad seq, if a row was altered
        (or, given an earlier ``audit_head()`` as ``anchor``, if recent entries were cut off)."""
        ...
